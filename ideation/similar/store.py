"""Idea vectors in and out of the database, and the nearest ideas of a question.

Both backends rank by the pipeline's score (similarity.score_pairs): the cosine of two
vectors after centring them on the question's mean vector, shrunk when the question has
few ideas. PostgreSQL ranks in SQL: the HNSW index gives candidates, which SQL then
re-scores exactly. SQLite loads a question's vectors once per process (renewed when
they change) and ranks all of them with numpy.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from flask import current_app
from pgvector.sqlalchemy import VECTOR
from sqlalchemy import Integer, LargeBinary, bindparam, func, select, text, type_coerce
from sqlalchemy.dialects import postgresql, sqlite

from .. import similarity
from ..embeddings import Embedder, get_embedder
from ..extensions import db
from ..models import Idea, IdeaStatus, Question, utcnow
from .models import HNSW_DIMENSIONS, IdeaEmbedding

# Ideas out of the public listing are never suggested. Picking statuses by name keeps
# this valid whether or not MERGED exists yet.
UNLISTED_STATUSES = tuple(
    s.value for s in IdeaStatus if s.name in {"WITHDRAWN", "MERGED"}
)
# The HNSW index proposes this many candidates, which are then scored exactly.
ANN_CANDIDATES = 100
# SQLite: at most this many vectors stay cached (about 150 MB at 384 dimensions).
CACHE_MAX_ROWS = 100_000

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def settings() -> similarity.Settings:
    """The pipeline's knobs, with the app configuration's overrides."""
    return similarity.Settings.from_mapping(current_app.config)


def configured_model() -> str:
    """The name stored with vectors of the configured embedding model."""
    return get_embedder(current_app).name


def idea_vectors(
    embedder: Embedder,
    titles: Sequence[str],
    descriptions: Sequence[str],
    weight: float = similarity.DESCRIPTION_WEIGHT,
) -> np.ndarray:
    """One vector per idea as the pipeline makes it: title and description embedded
    apart, then combined (an empty description adds nothing)."""
    described = [i for i, d in enumerate(descriptions) if d and d.strip()]
    vectors = embedder.embed([*titles, *(descriptions[i] for i in described)])
    titles_vectors = vectors[: len(titles)]
    description_vectors = np.zeros_like(titles_vectors)
    description_vectors[described] = vectors[len(titles) :]
    return similarity.combine_title_description(
        titles_vectors, description_vectors, weight
    )


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
    insert = _INSERTS[db.session.get_bind().dialect.name](IdeaEmbedding)
    changed = ("question_id", "model", "dimension", "vector", "created_at")
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=["idea_id"],
            set_={name: insert.excluded[name] for name in changed},
        ),
        rows,
    )


# -- search ----------------------------------------------------------------------------


def nearest_ideas(
    question: Question,
    query_vector: np.ndarray,
    limit: int,
    exclude_ids: Collection[int] = (),
    model: str | None = None,
) -> list[tuple[int, float]]:
    """The question's listed ideas most similar to `query_vector`: (idea_id, score),
    best first, at most `limit`. Only vectors of `model` (default: the configured
    one) and of the query's dimension take part."""
    query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
    model = model or configured_model()
    if limit <= 0:
        return []
    search = _search_sql if _dialect() == "postgresql" else _search_numpy
    return search(question.id, query, limit, frozenset(exclude_ids), model)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def shrunk_mean(mean: np.ndarray, count: int, knobs: similarity.Settings) -> np.ndarray:
    """similarity.centring_mean from the plain mean and count of the vectors (which
    is what SQL gives), without the vectors themselves."""
    if count == 0 or knobs.centre_weight == 0:
        return np.zeros_like(mean, dtype=np.float32)
    factor = knobs.centre_weight * count / (count + knobs.centre_prior)
    return (factor * np.asarray(mean, dtype=np.float32)).astype(np.float32)


def _unlisted_or_excluded(ids: Sequence[int], exclude_ids: frozenset[int]) -> set[int]:
    hidden = db.session.scalars(
        select(Idea.id).where(
            Idea.id.in_([int(i) for i in ids]), Idea.status.in_(UNLISTED_STATUSES)
        )
    )
    return set(hidden) | exclude_ids


# SQLite (and any backend without pgvector): exact search with numpy.


@dataclass(frozen=True)
class _QuestionMatrix:
    signature: tuple
    ids: np.ndarray
    centred: np.ndarray  # rows centred on `mean` and renormalised
    mean: np.ndarray


_matrices: OrderedDict[tuple, _QuestionMatrix] = OrderedDict()
_matrices_lock = threading.Lock()


def _search_numpy(question_id, query, limit, exclude_ids, model):
    matrix = question_matrix(question_id, model, len(query))
    if matrix is None:
        return []
    centred_query = similarity.centre(query[None, :], matrix.mean)[0]
    k = limit + len(exclude_ids)
    while True:
        rows, scores = similarity.top_k(centred_query, matrix.centred, k)
        ids = matrix.ids[rows]
        skip = _unlisted_or_excluded(ids, exclude_ids)
        found = [
            (int(i), float(s))
            for i, s in zip(ids, scores, strict=True)
            if i not in skip
        ]
        if len(found) >= limit or k >= len(matrix.ids):
            return found[:limit]
        k = 2 * k + len(skip)


def question_matrix(
    question_id: int, model: str, dimension: int
) -> _QuestionMatrix | None:
    """The question's vectors of `model`, centred as the pipeline compares them.

    Cached per process; a change of the count or the newest vector renews it.
    """
    filters = _filters(question_id, model, dimension)
    count, newest = db.session.execute(
        select(func.count(), func.max(IdeaEmbedding.created_at)).where(*filters)
    ).one()
    if not count:
        return None
    key = (str(db.engine.url), question_id, model, dimension)
    signature = (count, newest)
    with _matrices_lock:
        cached = _matrices.get(key)
        if cached is not None and cached.signature == signature:
            _matrices.move_to_end(key)
            return cached
    matrix = _load_matrix(filters, signature, dimension)
    with _matrices_lock:
        _matrices[key] = matrix
        while sum(len(m.ids) for m in _matrices.values()) > CACHE_MAX_ROWS:
            if len(_matrices) == 1:
                break
            _matrices.popitem(last=False)
    return matrix


def _filters(question_id: int, model: str, dimension: int) -> list:
    return [
        IdeaEmbedding.question_id == question_id,
        IdeaEmbedding.model == model,
        IdeaEmbedding.dimension == dimension,
    ]


def _load_matrix(filters, signature, dimension) -> _QuestionMatrix:
    # The raw bytes, joined and read once: far faster than a numpy array per row.
    rows = db.session.execute(
        select(
            IdeaEmbedding.idea_id,
            type_coerce(IdeaEmbedding.vector, LargeBinary),
        )
        .where(*filters)
        .order_by(IdeaEmbedding.idea_id)
    ).all()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(row[1] for row in rows), dtype="<f4")
    vectors = vectors.astype(np.float32).reshape(len(rows), dimension)
    knobs = settings()
    mean = similarity.centring_mean(vectors, knobs.centre_weight, knobs.centre_prior)
    return _QuestionMatrix(signature, ids, similarity.centre(vectors, mean), mean)


def clear_cache() -> None:
    """Forget the cached question matrices (tests; they renew themselves anyway)."""
    with _matrices_lock:
        _matrices.clear()


# PostgreSQL: in SQL, through the HNSW index where there is one for the dimension.

_MEAN_SQL = """
SELECT count(*) AS n, avg(CAST(vector AS vector({d}))) AS mean
FROM idea_embeddings
WHERE question_id = :question_id AND model = :model AND dimension = {d}
"""

# Candidates by the cosine to the centred query (one of the two factors of the
# centred score), through the index; then the exact centred score of each.
_ANN_SQL = """
WITH candidates AS (
    SELECT idea_id, CAST(vector AS vector({d})) AS vector
    FROM idea_embeddings
    WHERE question_id = :question_id AND model = :model AND dimension = {d}
    ORDER BY CAST(vector AS vector({d})) <=> CAST(:query AS vector({d}))
    LIMIT {candidates}
)
SELECT c.idea_id, i.status,
       1 - ((c.vector - CAST(:mean AS vector({d}))) <=> CAST(:query AS vector({d})))
           AS score
FROM candidates AS c JOIN ideas AS i ON i.id = c.idea_id
"""

# Every vector of the question scored exactly: dimensions without an index, and the
# rare case where the index returned too few candidates.
_EXACT_SQL = """
SELECT e.idea_id,
       1 - ((CAST(e.vector AS vector({d})) - CAST(:mean AS vector({d})))
            <=> CAST(:query AS vector({d}))) AS score
FROM idea_embeddings AS e JOIN ideas AS i ON i.id = e.idea_id
WHERE e.question_id = :question_id AND e.model = :model AND e.dimension = {d}
  AND i.status NOT IN :unlisted AND e.idea_id NOT IN :exclude
ORDER BY score DESC, e.idea_id
LIMIT :limit
"""


def _vector_params(sql: str, dimension: int, *names: str):
    return text(sql).bindparams(
        *(bindparam(name, type_=VECTOR(dimension)) for name in names)
    )


def _search_sql(question_id, query, limit, exclude_ids, model):
    d = int(len(query))
    mean_sql = _vector_params(_MEAN_SQL.format(d=d), d).columns(
        n=Integer, mean=VECTOR(d)
    )
    count, mean = db.session.execute(
        mean_sql, {"question_id": question_id, "model": model}
    ).one()
    if not count:
        return []
    knobs = settings()
    mean = shrunk_mean(np.asarray(mean, dtype=np.float32), count, knobs)
    params = {
        "question_id": question_id,
        "model": model,
        "query": query - mean,
        "mean": mean,
    }
    wanted = limit + len(exclude_ids)
    if d in HNSW_DIMENSIONS and wanted <= ANN_CANDIDATES:
        found = _approximate(d, params, count, limit, exclude_ids)
        if found is not None:
            return found
    return _exact(d, params, limit, exclude_ids)


def _approximate(d, params, count, limit, exclude_ids):
    """Through the HNSW index; None when it gave too few candidates to be sure."""
    _tune_hnsw(ANN_CANDIDATES)
    sql = _ANN_SQL.format(d=d, candidates=ANN_CANDIDATES)
    rows = db.session.execute(_vector_params(sql, d, "query", "mean"), params).all()
    if len(rows) < min(count, ANN_CANDIDATES):
        return None  # the index's filtered scan came up short: search exactly
    found = [
        (row.idea_id, float(row.score))
        for row in rows
        if row.status not in UNLISTED_STATUSES
        and row.idea_id not in exclude_ids
        and not math.isnan(row.score)
    ]
    if len(found) < limit and count > len(rows):
        return None  # hidden ideas crowded the candidates out
    found.sort(key=lambda hit: (-hit[1], hit[0]))
    return found[:limit]


def _exact(d, params, limit, exclude_ids):
    sql = _vector_params(_EXACT_SQL.format(d=d), d, "query", "mean").bindparams(
        bindparam("unlisted", expanding=True), bindparam("exclude", expanding=True)
    )
    rows = db.session.execute(
        sql,
        {
            **params,
            "unlisted": list(UNLISTED_STATUSES),
            "exclude": sorted(exclude_ids),
            "limit": limit,
        },
    ).all()
    return [
        (row.idea_id, float(row.score)) for row in rows if not math.isnan(row.score)
    ]


_iterative_scan: dict[str, bool] = {}


def _tune_hnsw(candidates: int) -> None:
    """For this transaction: let the index scan find `candidates` rows of a question.

    ef_search bounds how many rows an HNSW scan returns; pgvector 0.8 and later can
    also keep scanning when the question filter drops rows (iterative scan).
    """
    db.session.execute(text(f"SET LOCAL hnsw.ef_search = {max(40, int(candidates))}"))
    if _has_iterative_scan():
        db.session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))


def _has_iterative_scan() -> bool:
    key = str(db.engine.url)
    if key not in _iterative_scan:
        version = db.session.scalar(
            text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        )
        parts = tuple(int(p) for p in (version or "0").split(".")[:2] if p.isdigit())
        _iterative_scan[key] = parts >= (0, 8)
    return _iterative_scan[key]
