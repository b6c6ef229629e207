"""Vectors: unit length, centred on their question, nearest first. Pure numpy, no Flask.

Vectors are float32 rows, L2-normalised. All ideas on one question share its topic, so
the pipeline centres them on the question's mean vector before comparing: what is left
is what tells one idea from another.
"""

from __future__ import annotations

import numpy as np

from ideation.similarity.settings import CENTRE_PRIOR, CENTRE_WEIGHT, DESCRIPTION_WEIGHT

_BLOCK = 4096  # rows per block when all pairs of a large matrix are compared
# BLAS / OpenMP threads for k-means and all-pairs products. One: a web or job worker
# shares 2 cores with others, and oversubscribed threads that spin waiting for each
# other made 10k-idea themes 18 times slower (14.6 s against 0.8 s, measured).
NUMERIC_THREADS = 1


def numeric_threads():
    """A context in which BLAS and OpenMP use NUMERIC_THREADS threads."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=NUMERIC_THREADS)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def centring_mean(
    vectors: np.ndarray, weight: float = CENTRE_WEIGHT, prior: float = CENTRE_PRIOR
) -> np.ndarray:
    """The vector to subtract from a question's ideas: their mean, shrunk when few."""
    vectors = np.asarray(vectors, dtype=np.float32)
    n = len(vectors)
    if n == 0 or weight == 0:
        return np.zeros(vectors.shape[-1], dtype=np.float32)
    return (weight * n / (n + prior)) * vectors.mean(axis=0)


def centre(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Vectors minus `mean`, renormalised."""
    return normalise(np.asarray(vectors, dtype=np.float32) - mean)


def centre_question(
    vectors: np.ndarray, weight: float = CENTRE_WEIGHT, prior: float = CENTRE_PRIOR
) -> np.ndarray:
    """One question's idea vectors centred on their (shrunk) mean, as compared."""
    return centre(vectors, centring_mean(vectors, weight, prior))


def in_context(context: str, text: str) -> str:
    """`text` as it is embedded: after the question it answers, when there is one.

    The model then reads "Should we ban cars downtown? More bike lanes" rather than a
    bare "More bike lanes": ideas that answer one question in different words come
    closer (ArgKP dev top-1 0.735 -> 0.753 with the shipped model), and centring
    takes the shared question back out.
    """
    context, text = (context or "").strip(), (text or "").strip()
    if not context or not text:
        return text
    separator = " " if context[-1] in ".?!:;" else ". "
    return context + separator + text


def in_contexts(contexts: list[str] | None, texts: list[str]) -> list[str]:
    """in_context for each text and its own context; the texts as they are when
    `contexts` is None."""
    if contexts is None:
        return list(texts)
    return [in_context(c, t) for c, t in zip(contexts, texts, strict=True)]


def combine_title_description(
    titles: np.ndarray, descriptions: np.ndarray, weight: float = DESCRIPTION_WEIGHT
) -> np.ndarray:
    """One vector per idea from its title and description vectors, embedded apart."""
    return normalise(np.asarray(titles) + weight * np.asarray(descriptions))


def top_k(
    query: np.ndarray, matrix: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosines of the k rows of `matrix` nearest to `query`, best first."""
    scores = np.asarray(matrix, dtype=np.float32) @ np.asarray(query, dtype=np.float32)
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if k < len(scores):
        best = np.argpartition(-scores, k - 1)[:k]
    else:
        best = np.arange(len(scores))
    best = best[np.argsort(-scores[best], kind="stable")]
    return best, scores[best]


def similar_pairs(
    vectors: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs i < j with cosine >= threshold: (i, j, score) arrays, blockwise."""
    vectors = np.asarray(vectors, dtype=np.float32)
    rows, cols, scores = [], [], []
    for start in range(0, len(vectors), _BLOCK):
        block = vectors[start : start + _BLOCK] @ vectors.T
        i, j = np.nonzero(block >= threshold)
        i = i + start
        keep = i < j
        rows.append(i[keep])
        cols.append(j[keep])
        scores.append(block[i[keep] - start, j[keep]])
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(scores)


# -- pair scores -----------------------------------------------------------------------


def score_vectors(
    a: np.ndarray, b: np.ndarray, mean: np.ndarray | None = None
) -> np.ndarray:
    """Cosine of each row of `a` with the same row of `b`, after centring on `mean`."""
    if mean is not None:
        a, b = centre(a, mean), centre(b, mean)
    return np.einsum("ij,ij->i", normalise(a), normalise(b))


def score_pairs(
    a_texts: list[str],
    b_texts: list[str],
    embedder,
    groups: list | None = None,
    centre_weight: float = CENTRE_WEIGHT,
    centre_prior: float = CENTRE_PRIOR,
    contexts: list[str] | None = None,
) -> np.ndarray:
    """The pipeline's score for each pair (a_texts[i], b_texts[i]).

    Both texts of pair i are embedded in contexts[i] (the question they answer), when
    given. Each group (all rows when `groups` is None) is centred on the mean of its
    distinct texts, as the ideas of one question are.
    """
    if len(a_texts) != len(b_texts):
        raise ValueError("a_texts and b_texts differ in length")
    n = len(a_texts)
    groups = list(groups) if groups is not None else [None] * n
    a_texts, b_texts = in_contexts(contexts, a_texts), in_contexts(contexts, b_texts)
    unique = list(dict.fromkeys([*a_texts, *b_texts]))
    index = {text: i for i, text in enumerate(unique)}
    vectors = embedder.embed(unique)
    scores = np.zeros(n, dtype=np.float32)
    rows_of: dict = {}
    for i, group in enumerate(groups):
        rows_of.setdefault(group, []).append(i)
    for rows in rows_of.values():
        ia = np.array([index[a_texts[i]] for i in rows], dtype=np.int64)
        ib = np.array([index[b_texts[i]] for i in rows], dtype=np.int64)
        members = np.unique(np.concatenate([ia, ib]))
        mean = centring_mean(vectors[members], centre_weight, centre_prior)
        scores[rows] = score_vectors(vectors[ia], vectors[ib], mean)
    return scores
