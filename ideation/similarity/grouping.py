"""Duplicate groups: ideas of one question that say the same thing, by centred vectors.

Pure numpy, no Flask. Pass the question's centred vectors (vectors.centre_question):
ideas of one question share its topic, and what is compared is what sets them apart.

Groups never chain: each is built around a representative (the first idea in the
caller's priority order, e.g. most supported, then oldest), and an idea joins only if
it is same-idea with the representative *and* with every idea already in the group.
Candidates come from each idea's k nearest neighbours, found block by block, so time
and memory grow with n * k and no n x n matrix is ever held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ideation.similarity.phrases import shared_phrases
from ideation.similarity.settings import SAME_IDEA_NEIGHBOURS, SAME_IDEA_THRESHOLD
from ideation.similarity.vectors import normalise, numeric_threads

# Scores held at once while looking for neighbours: rows per block = this // n.
_BLOCK_CELLS = 1 << 22  # 4M float32, 16 MiB


@dataclass
class DuplicatePair:
    """Two near-duplicates (by id), their score and the phrases they share."""

    a: object
    b: object
    similarity: float
    shared: list[str] = field(default_factory=list)


@dataclass
class DuplicateGroup:
    """Ideas that are all same-idea with each other, the representative first, with
    their pairs best first."""

    ids: list
    pairs: list[DuplicatePair]


def neighbour_pairs(
    vectors: np.ndarray, k: int, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs i < j where j is among i's k nearest neighbours (or i among j's) with
    cosine >= threshold: (i, j, score) arrays, found in blocks of rows."""
    vectors = np.asarray(vectors, dtype=np.float32)
    n = len(vectors)
    k = min(k, n - 1)
    empty = np.zeros(0, dtype=np.int64)
    if k <= 0:
        return empty, empty, np.zeros(0, dtype=np.float32)
    rows_per_block = max(1, _BLOCK_CELLS // n)
    found_i, found_j, found_s = [], [], []
    for start in range(0, n, rows_per_block):
        block = vectors[start : start + rows_per_block] @ vectors.T
        local = np.arange(len(block))
        block[local, local + start] = -np.inf  # not its own neighbour
        best = np.argpartition(-block, k - 1, axis=1)[:, :k]
        scores = np.take_along_axis(block, best, axis=1)
        keep = scores >= threshold
        found_i.append(np.repeat(local + start, k).reshape(-1, k)[keep])
        found_j.append(best[keep])
        found_s.append(scores[keep])
    i, j, s = (np.concatenate(x) for x in (found_i, found_j, found_s))
    a, b = np.minimum(i, j), np.maximum(i, j)
    _, unique = np.unique(a * n + b, return_index=True)
    return a[unique], b[unique], s[unique]


def same_idea_groups(
    vectors: np.ndarray,
    threshold: float = SAME_IDEA_THRESHOLD,
    k: int = SAME_IDEA_NEIGHBOURS,
    order: np.ndarray | None = None,
    excluded: Callable[[int, int], bool] | None = None,
) -> list[list[int]]:
    """Groups of two or more row indices, each around its representative (first).

    Representatives are taken in `order` (row order when None); an idea joins a group
    if it is among the k nearest neighbours of the representative or of it, and it
    scores at least `threshold` with every member. `excluded(i, j)` (i < j) marks
    pairs that people said are not duplicates: never in one group.
    """
    vectors = normalise(vectors)
    n = len(vectors)
    if n < 2:
        return []
    with numeric_threads():
        i, j, _ = neighbour_pairs(vectors, k, threshold)
    neighbours: dict[int, set[int]] = {}
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    order = np.arange(n) if order is None else np.asarray(order)
    taken = np.zeros(n, dtype=bool)
    groups = []
    for rep in order.tolist():
        if taken[rep] or rep not in neighbours:
            continue
        free = [c for c in neighbours[rep] if not taken[c]]
        if not free:
            continue
        # Best candidates first: each must be same-idea with every member so far.
        free.sort(key=lambda c: -float(vectors[rep] @ vectors[c]))
        members = [rep]
        for candidate in free:
            scores = vectors[members] @ vectors[candidate]
            if scores.min() < threshold:  # as pipeline.same_idea decides
                continue
            if excluded and any(excluded(*sorted((m, candidate))) for m in members):
                continue
            members.append(candidate)
        if len(members) > 1:
            taken[members] = True
            groups.append(members)
    return groups


def duplicate_labels(
    vectors: np.ndarray,
    threshold: float = SAME_IDEA_THRESHOLD,
    k: int = SAME_IDEA_NEIGHBOURS,
    excluded: Callable[[int, int], bool] | None = None,
) -> np.ndarray:
    """A group number per vector, 0, 1, ... by first row: equal means same idea
    (`excluded(i, j)` rows never share one)."""
    n = len(vectors)
    labels = np.arange(n, dtype=np.int64)
    for members in same_idea_groups(vectors, threshold, k, excluded=excluded):
        labels[members] = members[0]
    return _renumber(labels) if n else labels


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, ... in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)


def duplicate_groups(
    vectors: np.ndarray,
    ids: list,
    threshold: float = SAME_IDEA_THRESHOLD,
    texts: list[str] | None = None,
    k: int = SAME_IDEA_NEIGHBOURS,
    order: np.ndarray | None = None,
    excluded: Callable[[object, object], bool] | None = None,
) -> list[DuplicateGroup]:
    """Groups of two or more same-idea ideas, each with all its pairs, best first.

    Representatives are taken in `order` (of rows; row order when None); `excluded`
    takes two ids. Pairs carry the phrases the two texts share when `texts` is given;
    groups come largest first.
    """
    vectors = normalise(vectors)

    def excluded_rows(a: int, b: int) -> bool:
        return excluded(ids[a], ids[b])

    found = same_idea_groups(
        vectors, threshold, k, order, excluded_rows if excluded else None
    )
    groups = []
    for members in found:
        sims = vectors[members] @ vectors[members].T
        pairs = []
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                shared = shared_phrases(texts[a], texts[b]) if texts else []
                pairs.append(DuplicatePair(ids[a], ids[b], float(sims[x, y]), shared))
        pairs.sort(key=lambda p: -p.similarity)
        groups.append(DuplicateGroup([ids[m] for m in members], pairs))
    groups.sort(key=lambda g: -len(g.ids))
    return groups
