"""Bradley–Terry scores from pairwise votes: pure numpy and choix, no database.

Strengths are fitted with choix (iterative Luce spectral ranking, lightly
regularised so that a proposal that won or lost every time still gets a finite
strength). A proposal's score is its chance, 0-100, to win against a proposal
picked at random, the average over the others of the model's win probability.
The interval comes from the fit's curvature (Laplace approximation): strengths are
drawn around the estimate with the inverse Fisher information as covariance, and
the 2.5 and 97.5 percentiles of the drawn scores bound it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import choix
import numpy as np

MODEL = "bradley-terry/choix-ilsr"
# Regularisation of the fit (choix's alpha) and the prior precision of the
# interval: small, they matter only for proposals with few or one-sided votes.
ALPHA = 0.01
PRIOR_PRECISION = 0.1
# Scores within this many points share a rank.
TIE_DIGITS = 1


@dataclass(frozen=True)
class Fitted:
    """Per item (by index): strength, score 0-100, its interval, and its rank."""

    strengths: np.ndarray
    scores: np.ndarray
    low: np.ndarray
    high: np.ndarray
    ranks: list[int]


def strengths(n_items: int, comparisons: Sequence[tuple[int, int]]) -> np.ndarray:
    """Bradley–Terry strengths (mean 0) of `n_items` from (winner, loser) pairs."""
    if not comparisons:
        return np.zeros(n_items)
    return choix.ilsr_pairwise(n_items, list(comparisons), alpha=ALPHA)


def chance_to_win(params: np.ndarray) -> np.ndarray:
    """Each item's mean win probability against every other item, 0-100."""
    params = np.atleast_2d(params)  # (draws, items)
    n = params.shape[1]
    if n < 2:
        return np.full(params.shape, 50.0)
    diff = params[:, :, None] - params[:, None, :]
    wins = 1.0 / (1.0 + np.exp(-diff))
    # The diagonal is 0.5 (an item against itself): leave it out of the mean.
    return 100.0 * (wins.sum(axis=2) - 0.5) / (n - 1)


def covariance(
    params: np.ndarray, comparisons: Sequence[tuple[int, int]]
) -> np.ndarray:
    """Inverse Fisher information of the strengths, with a weak prior."""
    n = len(params)
    info = PRIOR_PRECISION * np.eye(n)
    if comparisons:
        pairs = np.asarray(comparisons)
        w, lose = pairs[:, 0], pairs[:, 1]
        p = 1.0 / (1.0 + np.exp(params[lose] - params[w]))
        weight = p * (1.0 - p)
        np.add.at(info, (w, w), weight)
        np.add.at(info, (lose, lose), weight)
        np.add.at(info, (w, lose), -weight)
        np.add.at(info, (lose, w), -weight)
    return np.linalg.inv(info)


def ranks_of(scores: np.ndarray) -> list[int]:
    """Competition ranks (1 is best; equal scores share a rank: 1, 2, 2, 4)."""
    rounded = np.round(scores, TIE_DIGITS)
    return [int((rounded > value).sum()) + 1 for value in rounded]


def fit(
    n_items: int,
    comparisons: Sequence[tuple[int, int]],
    draws: int = 400,
    seed: int = 0,
) -> Fitted:
    """Strengths, scores, 95 % intervals and ranks of `n_items` from
    (winner, loser) index pairs; the same votes always give the same result."""
    params = strengths(n_items, comparisons)
    scores = chance_to_win(params)[0]
    if n_items >= 2 and draws > 0:
        rng = np.random.default_rng(seed)
        sampled = rng.multivariate_normal(
            params, covariance(params, comparisons), size=draws, method="cholesky"
        )
        drawn = chance_to_win(sampled)
        low = np.percentile(drawn, 2.5, axis=0)
        high = np.percentile(drawn, 97.5, axis=0)
    else:
        low, high = np.zeros(n_items), np.full(n_items, 100.0)
    # The interval always holds the estimate (the schema checks it).
    low = np.clip(np.minimum(low, scores), 0.0, 100.0)
    high = np.clip(np.maximum(high, scores), 0.0, 100.0)
    return Fitted(params, scores, low, high, ranks_of(scores))
