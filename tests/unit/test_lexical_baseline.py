"""The benchmarks' lexical baseline (bench/lexical.py): pg_trgm's trigram similarity,
and the pipeline's pair score blended with it."""

import numpy as np
import pytest

from bench.lexical import score_pairs, trigram_similarity
from ideation.similarity.embeddings import FakeEmbedder
from ideation.similarity.vectors import in_context


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("word", "words", 4 / 7),  # pg_trgm: SELECT similarity('word', 'words')
        ("word", "word", 1.0),
        ("Word", "wORD", 1.0),
        ("cat", "dog", 0.0),
        ("", "", 0.0),
        ("foo bar", "bar foo", 1.0),  # a set of trigrams: order does not matter
        ("a", "ab", 0.25),  # {"  a", " a "} vs {"  a", " ab", "ab "}
    ],
)
def test_trigram_similarity_matches_pg_trgm(a, b, expected):
    assert trigram_similarity(a, b) == pytest.approx(expected)


class RecordingEmbedder(FakeEmbedder):
    """The fake embedder, remembering what it was asked to embed."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def embed(self, texts):
        self.seen.extend(texts)
        return super().embed(texts)


def test_score_pairs_embeds_each_pair_in_its_context_and_blends_bare_texts():
    embedder = RecordingEmbedder()
    a, b = ["Night clinics", "Bus lanes"], ["Clinics open at night", "Bike lanes"]
    contexts = ["How to improve health?", "How to improve transport?"]

    scores = score_pairs(
        a, b, embedder, contexts=contexts, centre_weight=0, lexical_weight=0.5
    )

    assert set(embedder.seen) == {
        "How to improve health? Night clinics",
        "How to improve health? Clinics open at night",
        "How to improve transport? Bus lanes",
        "How to improve transport? Bike lanes",
    }
    vectors = FakeEmbedder().embed(
        [in_context(c, t) for c, t in zip(contexts * 2, a + b, strict=True)]
    )
    semantic = np.einsum("ij,ij->i", vectors[:2], vectors[2:])
    lexical = [trigram_similarity(x, y) for x, y in zip(a, b, strict=True)]
    np.testing.assert_allclose(
        scores, 0.5 * semantic + 0.5 * np.array(lexical), atol=1e-6
    )
