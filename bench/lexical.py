"""The lexical baseline the benchmarks hold the app's pipeline against, and the blend.

pg_trgm's trigram similarity (PostgreSQL's, as Decidim uses it) scores pairs by shared
character trigrams; the blend mixes it into the pipeline's score. The app uses
neither: tuned on ArgKP train (bench/tune_similarity.py), the blend's best weight is 0.

Import it after the repository is on sys.path (it builds on ideation.similarity).
"""

from __future__ import annotations

import re

import numpy as np

from ideation.similarity.settings import CENTRE_PRIOR, CENTRE_WEIGHT
from ideation.similarity.vectors import score_pairs as pipeline_score_pairs

# Pair score = (1 - LEXICAL_WEIGHT) * centred cosine + LEXICAL_WEIGHT * trigram.
# Off: on train it gained at most 0.01 top-1 for the stock model, at a cost in STS-B.
LEXICAL_WEIGHT = 0.0

_ALNUM = re.compile(r"[^\W_]+", re.UNICODE)


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: of each lower-cased word padded "  word "."""
    grams = set()
    for word in _ALNUM.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """PostgreSQL pg_trgm similarity(a, b): shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    union = len(ta | tb)
    return len(ta & tb) / union if union else 0.0


def blend(
    semantic: np.ndarray, lexical: np.ndarray, weight: float = LEXICAL_WEIGHT
) -> np.ndarray:
    """Semantic scores mixed with lexical (trigram) ones."""
    return (1 - weight) * np.asarray(semantic) + weight * np.asarray(lexical)


def score_pairs(
    a_texts: list[str],
    b_texts: list[str],
    embedder,
    groups: list | None = None,
    centre_weight: float = CENTRE_WEIGHT,
    centre_prior: float = CENTRE_PRIOR,
    lexical_weight: float = LEXICAL_WEIGHT,
    contexts: list[str] | None = None,
) -> np.ndarray:
    """The pipeline's score for each pair, blended with the trigram similarity of the
    bare texts (without their contexts) when `lexical_weight` is not 0."""
    scores = pipeline_score_pairs(
        a_texts,
        b_texts,
        embedder,
        groups,
        centre_weight=centre_weight,
        centre_prior=centre_prior,
        contexts=contexts,
    )
    if not lexical_weight:
        return scores
    lexical = [trigram_similarity(a, b) for a, b in zip(a_texts, b_texts, strict=True)]
    return blend(scores, np.array(lexical), lexical_weight).astype(np.float32)
