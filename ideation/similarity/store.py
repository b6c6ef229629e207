"""Stored idea vectors: written in one statement, read back per question for search.

A search needs the question's vectors (SQLite: numpy scores them all) or only their
mean (PostgreSQL: SQL scores them). Both are cached per process, and renewed when the
question's vectors change: their count or newest creation time (an index-only query).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pgvector.sqlalchemy import VECTOR
from sqlalchemy import LargeBinary, func, not_, select, text, type_coerce

from ideation.extensions import db
from ideation.ideas.models import Idea, listed_idea
from ideation.shared.db import dialect_insert, utcnow
from ideation.similarity.models import IdeaEmbedding
from ideation.similarity.pipeline import configured_settings
from ideation.similarity.settings import Settings
from ideation.similarity.vectors import centre, centring_mean

# At most this many vectors stay cached per process (on SQLite each is kept as read
# and centred: about 300 MB at 384 dimensions); the least recently searched go first.
CACHE_MAX_ROWS = 100_000


# -- writes ----------------------------------------------------------------------------


def save_embedding(idea: Idea, vector: np.ndarray, model: str) -> None:
    """Store (or replace) the idea's vector, made by `model`."""
    save_embeddings([(idea.id, idea.question_id)], np.asarray(vector)[None, :], model)


def save_embeddings(
    ideas: Sequence[tuple[int, int]], vectors: np.ndarray, model: str
) -> None:
    """Store (or replace) the vectors of (idea_id, question_id) pairs, in one write."""
    if not len(ideas):
        return
    now = utcnow()
    rows = [
        {
            "idea_id": idea_id,
            "question_id": question_id,
            "model": model,
            "dimension": int(vector.shape[-1]),
            "vector": vector,
            "created_at": now,
        }
        for (idea_id, question_id), vector in zip(ideas, vectors, strict=True)
    ]
    insert = dialect_insert(IdeaEmbedding)
    changed = ("question_id", "model", "dimension", "vector", "created_at")
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=["idea_id"],
            set_={name: insert.excluded[name] for name in changed},
        ),
        rows,
    )


# -- reads for search ------------------------------------------------------------------


def shrunk_mean(mean: np.ndarray, count: int, knobs: Settings) -> np.ndarray:
    """vectors.centring_mean from the plain mean and count of the vectors (which
    is what SQL gives), without the vectors themselves."""
    if count == 0 or knobs.centre_weight == 0:
        return np.zeros_like(mean, dtype=np.float32)
    factor = knobs.centre_weight * count / (count + knobs.centre_prior)
    return (factor * np.asarray(mean, dtype=np.float32)).astype(np.float32)


def unlisted_or_excluded(ids: Sequence[int], exclude_ids: frozenset[int]) -> set[int]:
    """Those of `ids` that are not listed, and `exclude_ids`."""
    hidden = db.session.scalars(
        select(Idea.id).where(Idea.id.in_([int(i) for i in ids]), not_(listed_idea()))
    )
    return set(hidden) | exclude_ids


_cache: OrderedDict[tuple, object] = OrderedDict()
_cache_lock = threading.Lock()


def _filters(question_id: int, model: str, dimension: int) -> list:
    return [
        IdeaEmbedding.question_id == question_id,
        IdeaEmbedding.model == model,
        IdeaEmbedding.dimension == dimension,
    ]


def _cached(kind: str, question_id: int, model: str, dimension: int, load):
    """The question's value of `kind`, cached; else `load(filters, count, newest,
    previous)`, where `previous` is the stale cached value (or None)."""
    filters = _filters(question_id, model, dimension)
    count, newest = db.session.execute(
        select(func.count(), func.max(IdeaEmbedding.created_at)).where(*filters)
    ).one()
    if not count:
        return None
    key = (kind, str(db.engine.url), question_id, model, dimension)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == (count, newest):
            _cache.move_to_end(key)
            return hit[1]
    value = load(filters, count, newest, hit[1] if hit else None)
    with _cache_lock:
        _cache[key] = ((count, newest), value)
        while len(_cache) > 1 and sum(_rows(v) for _, v in _cache.values()) > (
            CACHE_MAX_ROWS
        ):
            _cache.popitem(last=False)
    return value


def _rows(value) -> int:
    return len(value.ids) if isinstance(value, QuestionMatrix) else 1


def clear_cache() -> None:
    """Forget the cached question vectors and means (they renew themselves anyway)."""
    with _cache_lock:
        _cache.clear()


# SQLite (and any backend without pgvector): every vector, for numpy.


@dataclass(frozen=True)
class QuestionMatrix:
    """A question's vectors of one model, and the same centred as the pipeline
    compares them (centred on `mean`, renormalised)."""

    ids: np.ndarray  # ascending
    vectors: np.ndarray
    centred: np.ndarray
    mean: np.ndarray
    newest: object  # the latest created_at among them


def question_matrix(question_id: int, model: str, dimension: int):
    """The question's QuestionMatrix (None without vectors), cached per process."""
    load = functools.partial(_load_matrix, dimension)
    return _cached("matrix", question_id, model, dimension, load)


def _load_matrix(dimension, filters, count, newest, previous) -> QuestionMatrix:
    """Read the question's vectors: only the new or changed ones when a previous
    matrix can be brought up to date, all of them otherwise."""
    if previous is not None:
        ids, vectors = _read_vectors(
            filters + [IdeaEmbedding.created_at > previous.newest], dimension
        )
        ids, vectors = _merge(previous.ids, previous.vectors, ids, vectors)
        if len(ids) != count:  # some were deleted: start again
            previous = None
    if previous is None:
        ids, vectors = _read_vectors(filters, dimension)
    knobs = configured_settings()
    mean = centring_mean(vectors, knobs.centre_weight, knobs.centre_prior)
    return QuestionMatrix(ids, vectors, centre(vectors, mean), mean, newest)


def _read_vectors(filters, dimension: int) -> tuple[np.ndarray, np.ndarray]:
    # The raw bytes, joined and read once: far faster than a numpy array per row.
    rows = db.session.execute(
        select(IdeaEmbedding.idea_id, type_coerce(IdeaEmbedding.vector, LargeBinary))
        .where(*filters)
        .order_by(IdeaEmbedding.idea_id)
    ).all()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(row[1] for row in rows), dtype="<f4")
    return ids, vectors.astype(np.float32).reshape(len(rows), dimension)


def _merge(ids, vectors, new_ids, new_vectors) -> tuple[np.ndarray, np.ndarray]:
    """`ids`/`vectors` with the rows of `new_ids` replaced or added, ids ascending."""
    at = np.searchsorted(ids, new_ids)
    known = (at < len(ids)) & (ids[np.minimum(at, len(ids) - 1)] == new_ids)
    vectors = vectors.copy()
    vectors[at[known]] = new_vectors[known]
    ids = np.concatenate([ids, new_ids[~known]])
    vectors = np.concatenate([vectors, new_vectors[~known]])
    order = np.argsort(ids, kind="stable")
    return ids[order], vectors[order]


# PostgreSQL: the mean alone, which SQL scores with.

_MEAN_SQL = """
SELECT avg(CAST(vector AS vector({d})))
FROM idea_embeddings
WHERE question_id = :question_id AND model = :model AND dimension = {d}
"""


@dataclass(frozen=True)
class QuestionMean:
    """A question's vector count and (shrunk) mean, as SQL gives them."""

    count: int
    mean: np.ndarray  # shrunk, as vectors.centring_mean


def question_mean(question_id: int, model: str, dimension: int):
    """The question's QuestionMean (None without vectors), cached per process."""

    def load(filters, count, newest, previous):
        sql = text(_MEAN_SQL.format(d=dimension)).columns(avg=VECTOR(dimension))
        mean = db.session.scalar(sql, {"question_id": question_id, "model": model})
        mean = shrunk_mean(
            np.asarray(mean, dtype=np.float32), count, configured_settings()
        )
        return QuestionMean(count, mean)

    return _cached("mean", question_id, model, dimension, load)
