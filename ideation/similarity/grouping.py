"""Duplicate groups: near-duplicates among one question's ideas, by centred vectors.

Pure numpy and SciPy, no Flask. Pass the question's centred vectors
(vectors.centre_question): ideas of one question share its topic, and what is compared
is what sets them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ideation.similarity.phrases import shared_phrases
from ideation.similarity.settings import DUPLICATE_LINKAGE, DUPLICATE_THRESHOLD
from ideation.similarity.vectors import normalise, numeric_threads, similar_pairs


@dataclass
class DuplicatePair:
    """Two near-duplicates (by id), their score and the phrases they share."""

    a: object
    b: object
    similarity: float
    shared: list[str] = field(default_factory=list)


@dataclass
class DuplicateGroup:
    """Ideas connected by near-duplicate pairs, with those pairs best first."""

    ids: list
    pairs: list[DuplicatePair]


def _split_component(
    vectors: np.ndarray, members: np.ndarray, threshold: float, linkage: str
) -> list[np.ndarray]:
    if linkage == "single" or len(members) <= 2:
        return [members]
    from scipy.cluster.hierarchy import fcluster
    from scipy.cluster.hierarchy import linkage as hierarchy

    sub = vectors[members]
    distances = np.clip(1 - sub @ sub.T, 0, 2)
    condensed = distances[np.triu_indices(len(members), 1)].astype(np.float64)
    tree = hierarchy(condensed, method=linkage)
    labels = fcluster(tree, t=1 - threshold, criterion="distance")
    return [members[labels == label] for label in np.unique(labels)]


def duplicate_labels(
    vectors: np.ndarray,
    threshold: float = DUPLICATE_THRESHOLD,
    linkage: str = DUPLICATE_LINKAGE,
) -> np.ndarray:
    """A group number per vector, 0, 1, ... by first row: equal means near-duplicate."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    vectors = normalise(vectors)
    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    with numeric_threads():
        i, j, _ = similar_pairs(vectors, threshold)
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, components = connected_components(graph, directed=False)
    labels = np.full(n, -1, dtype=np.int64)
    next_label = 0
    for component in np.unique(components):
        members = np.flatnonzero(components == component)
        for part in _split_component(vectors, members, threshold, linkage):
            labels[part] = next_label
            next_label += 1
    return _renumber(labels)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, ... in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)


def duplicate_groups(
    vectors: np.ndarray,
    ids: list,
    threshold: float = DUPLICATE_THRESHOLD,
    texts: list[str] | None = None,
    linkage: str = DUPLICATE_LINKAGE,
) -> list[DuplicateGroup]:
    """Groups of two or more near-duplicates, each with its pairs above the threshold.

    Pairs come best first, with the phrases the two texts share when `texts` is given;
    groups come largest first.
    """
    vectors = normalise(vectors)
    labels = duplicate_labels(vectors, threshold, linkage)
    groups = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < 2:
            continue
        sims = vectors[members] @ vectors[members].T
        pairs = []
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if sims[x, y] >= threshold:
                    a, b = members[x], members[y]
                    shared = shared_phrases(texts[a], texts[b]) if texts else []
                    pairs.append(
                        DuplicatePair(ids[a], ids[b], float(sims[x, y]), shared)
                    )
        pairs.sort(key=lambda p: -p.similarity)
        groups.append(DuplicateGroup([ids[m] for m in members], pairs))
    groups.sort(key=lambda g: -len(g.ids))
    return groups
