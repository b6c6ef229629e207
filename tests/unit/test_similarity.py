"""The similarity functions alone: small hand-made vectors, no Flask, no model."""

import itertools

import numpy as np
import pytest

from ideation.similarity.embeddings import FakeEmbedder
from ideation.similarity.grouping import (
    duplicate_groups,
    duplicate_labels,
    neighbour_pairs,
)
from ideation.similarity.phrases import shared_phrases
from ideation.similarity.settings import THEMES_MAX
from ideation.similarity.themes import (
    cluster_themes,
    describe_themes,
    theme_count,
    theme_labels,
)
from ideation.similarity.vectors import (
    centre,
    centre_question,
    centring_mean,
    in_context,
    normalise,
    score_pairs,
    top_k,
)


def unit(*rows):
    return normalise(np.array(rows, dtype=np.float32))


def test_normalise_gives_unit_rows_and_keeps_zero_rows():
    vectors = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(vectors, [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)


def test_top_k_matches_brute_force():
    rng = np.random.default_rng(7)
    matrix = normalise(rng.normal(size=(5000, 32)))
    query = normalise(rng.normal(size=32))
    indices, scores = top_k(query, matrix, 10)
    brute = np.argsort(-(matrix @ query))[:10]
    assert list(indices) == list(brute)
    np.testing.assert_allclose(scores, (matrix @ query)[brute], rtol=1e-6)
    assert list(scores) == sorted(scores, reverse=True)


def test_top_k_with_k_beyond_the_rows_and_with_no_rows():
    matrix = unit([1, 0], [0, 1], [1, 1])
    indices, _ = top_k(np.array([1.0, 0.0]), matrix, 10)
    assert list(indices) == [0, 2, 1]
    indices, scores = top_k(np.array([1.0, 0.0]), matrix[:0], 3)
    assert len(indices) == len(scores) == 0


def test_centring_removes_the_shared_direction():
    # Three ideas that share one strong "topic" direction (the first axis).
    vectors = unit([5, 1, 0], [5, 0, 1], [5, -1, 0])
    raw = vectors @ vectors.T
    centred = centre(vectors, vectors.mean(axis=0))
    np.testing.assert_allclose(np.linalg.norm(centred, axis=1), 1, rtol=1e-6)
    after = centred @ centred.T
    assert raw[0, 2] > 0.9  # the topic makes them all look alike
    assert after[0, 2] < 0  # once removed, opposite ideas are opposite
    assert after[0, 2] < after[0, 1]


def test_centring_mean_is_shrunk_for_few_ideas():
    vectors = unit([1, 0], [1, 0])
    mean = centring_mean(vectors, weight=1.0, prior=2)
    np.testing.assert_allclose(mean, [0.5, 0.0])
    np.testing.assert_allclose(centring_mean(vectors, weight=0.0), [0, 0])


def test_score_pairs_centres_within_each_group():
    embedder = FakeEmbedder(dimension=256)
    a = ["open the clinic at night", "plant trees in the park", "buses to the clinic"]
    b = ["the clinic should open at night", "more trees for the park", "trees"]
    scores = score_pairs(a, b, embedder, groups=["x", "y", "x"])
    assert scores.shape == (3,)
    assert scores.dtype == np.float32
    assert scores[0] > scores[2]
    # The same pairs scored alone, group by group, give the same scores.
    alone = score_pairs([a[1]], [b[1]], embedder)
    np.testing.assert_allclose(scores[1], alone[0], rtol=1e-5)
    with pytest.raises(ValueError):
        score_pairs(a, b[:2], embedder)


def test_duplicate_groups_list_pairs_with_similarity_and_shared_words():
    vectors = unit([1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0.05, 1], [0, 0, 1])
    texts = ["open clinics at night", "clinics open at night", "x", "y", "z"]
    groups = duplicate_groups(
        vectors, ["a", "b", "c", "d", "e"], threshold=0.9, texts=texts
    )
    assert [g.ids for g in groups] == [["a", "b"], ["d", "e"]]
    pair = groups[0].pairs[0]
    assert (pair.a, pair.b) == ("a", "b")
    assert pair.similarity == pytest.approx(float(vectors[0] @ vectors[1]))
    assert "night" in pair.shared and "clinics" in pair.shared


CHAIN = unit([1, 0], [np.cos(0.4), np.sin(0.4)], [np.cos(0.8), np.sin(0.8)])
CHAIN_THRESHOLD = float(np.cos(0.45))  # a ~ b, b ~ c, but a and c are far apart


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_duplicate_groups_never_chain(order):
    # Whoever represents the group (even b, same-idea with both), a and c never meet.
    groups = duplicate_groups(CHAIN, ["a", "b", "c"], CHAIN_THRESHOLD, order=order)
    assert len(groups) == 1 and len(groups[0].ids) == 2
    assert not {"a", "c"} <= set(groups[0].ids)
    assert all(p.similarity >= CHAIN_THRESHOLD for p in groups[0].pairs)


def test_duplicate_groups_form_around_the_representative():
    groups = duplicate_groups(CHAIN, ["a", "b", "c"], CHAIN_THRESHOLD, order=[2, 1, 0])
    assert groups[0].ids == ["c", "b"]  # c first: it takes b, a stays alone
    assert list(duplicate_labels(CHAIN, CHAIN_THRESHOLD)) == [0, 0, 1]


def test_duplicate_groups_keep_dismissed_pairs_apart():
    same = unit([1, 0], [1, 0.01], [1, 0.02])
    groups = duplicate_groups(
        same, [1, 2, 3], 0.9, excluded=lambda a, b: {a, b} == {1, 3}
    )
    assert [sorted(g.ids) for g in groups] == [[1, 2]]


def test_neighbour_pairs_match_all_pairs_within_k():
    rng = np.random.default_rng(3)
    vectors = normalise(rng.normal(size=(300, 8)))
    i, j, s = neighbour_pairs(vectors, k=299, threshold=0.5)
    full = vectors @ vectors.T
    want = {(a, b) for a in range(300) for b in range(a + 1, 300) if full[a, b] >= 0.5}
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == want
    assert np.allclose(s, full[i, j], atol=1e-5)
    # With k = 3, each idea keeps at most its 3 nearest, all of them above 0.5.
    i, j, _ = neighbour_pairs(vectors, k=3, threshold=0.5)
    assert len(i) <= 300 * 3 and set(zip(i.tolist(), j.tolist(), strict=True)) <= want


def test_duplicate_labels_scale_to_blocks():
    rng = np.random.default_rng(1)
    vectors = normalise(rng.normal(size=(5000, 16)))
    vectors[4999] = vectors[0]
    labels = duplicate_labels(vectors, threshold=0.999)
    assert labels[0] == labels[4999]
    assert len(set(labels)) == 4999


@pytest.mark.parametrize(
    "phrase_a, phrase_b, expected",
    [
        (
            "The clinic should open at night",
            "Keep the clinic open at night, please",
            ["open at night", "clinic"],
        ),
        (
            "More buses to the hospital",
            "Buses to the hospital!",
            ["buses to the hospital"],
        ),
        ("of the and", "the and of", []),
        ("Plant trees", "Build roads", []),
    ],
)
def test_shared_phrases(phrase_a, phrase_b, expected):
    assert shared_phrases(phrase_a, phrase_b) == expected


@pytest.mark.parametrize("n", [1_000])
def test_theme_count_for_a_thousand_ideas(n):
    assert 10 <= theme_count(n) <= 25


def test_theme_count_small_and_large():
    assert theme_count(0) == 0
    assert theme_count(3) == 1
    assert theme_count(100_000) == THEMES_MAX


def test_cluster_themes_finds_planted_topics_largest_first():
    rng = np.random.default_rng(3)
    centres = normalise(rng.normal(size=(4, 24)))
    sizes = [60, 40, 30, 20]
    vectors = np.concatenate(
        [
            c + 0.15 * rng.normal(size=(s, 24))
            for c, s in zip(centres, sizes, strict=True)
        ]
    )
    labels = cluster_themes(vectors, n_themes=4)
    assert list(np.bincount(labels)) == sizes
    default = cluster_themes(vectors)
    assert len(set(default)) == theme_count(len(vectors))


def test_theme_labels_pick_distinctive_words():
    texts = [
        "more buses to the hospital",
        "cheaper buses at night",
        "buses every ten minutes",
        "plant trees in the park",
        "more trees along the river",
        "a park with shade trees",
    ]
    labels = [0, 0, 0, 1, 1, 1]
    keywords = theme_labels(texts, labels, top_n=3)
    assert keywords[0][0] == "buses"
    assert keywords[1][0] == "trees"
    assert "more" not in keywords[0] + keywords[1]  # a stop word


def test_theme_labels_prefer_a_phrase_to_its_words():
    texts = ["school uniform costs", "school uniform rules", "sports fields", "sports"]
    keywords = theme_labels(texts, [0, 0, 1, 1], top_n=3)
    assert keywords[0][0] == "school uniform"
    assert "school" not in keywords[0] and "uniform" not in keywords[0]


def test_describe_themes_gives_sizes_keywords_and_members():
    texts = ["buses at night", "night buses", "trees in parks"]
    themes = describe_themes(texts, [1, 1, 0], ids=[10, 11, 12])
    assert [(t.number, t.size, t.members) for t in themes] == [
        (1, 2, [10, 11]),
        (0, 1, [12]),
    ]
    assert "buses" in themes[0].keywords


def test_themes_for_ten_thousand_ideas_are_fast():
    import time

    rng = np.random.default_rng(5)
    vectors = normalise(rng.normal(size=(10_000, 384)))
    started = time.perf_counter()
    labels = cluster_themes(centre_question(vectors))
    assert time.perf_counter() - started < 30
    assert len(set(labels)) == THEMES_MAX


# -- the question's context ------------------------------------------------------------


@pytest.mark.parametrize(
    ("context", "text", "expected"),
    [
        (
            "Should we ban cars downtown?",
            "More bike lanes",
            "Should we ban cars downtown? More bike lanes",
        ),
        (
            "We should ban cars downtown",
            " More bike lanes ",
            "We should ban cars downtown. More bike lanes",
        ),
        ("", "More bike lanes", "More bike lanes"),
        ("Should we ban cars downtown?", "  ", ""),
    ],
)
def test_in_context_puts_the_question_before_the_text(context, text, expected):
    assert in_context(context, text) == expected
