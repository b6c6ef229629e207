"""Idea vectors in and out of the database, and the nearest ideas of a question.

Both backends rank by the pipeline's score (similarity.score_pairs): the cosine of two
vectors after centring them on the question's mean vector, shrunk when the question has
few ideas. PostgreSQL ranks in SQL: for a large question the HNSW index gives
candidates, which SQL then scores exactly; a small one (or one with a small share of
the table, which the index's filtered scan would miss) is scored whole. SQLite keeps a
question's vectors in memory per process (brought up to date when they change) and
ranks all of them with numpy.
"""

from __future__ import annotations

import functools
import math
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from flask import current_app
from pgvector.sqlalchemy import VECTOR
from sqlalchemy import (
    Float,
    LargeBinary,
    bindparam,
    func,
    not_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite

from ideation.extensions import db
from ideation.ideas.models import UNLISTED_IDEA_STATUSES, Idea, listed_idea
from ideation.questions.models import Question
from ideation.shared.db import utcnow
from ideation.similar.models import HNSW_DIMENSIONS, IdeaEmbedding
from ideation.similarity import core as similarity
from ideation.similarity.embeddings import Embedder, get_embedder

# PostgreSQL: questions with at most EXACT_BELOW vectors are scored exactly (a few
# ms); larger ones go through the HNSW index, which proposes up to ANN_CANDIDATES
# candidates, scored exactly. With fewer than ANN_MIN_CANDIDATES of the question
# among them, or a question too small a share of the table for an ef_search of at
# most HNSW_EF_SEARCH_MAX to find them, the search scores all the question's vectors.
EXACT_BELOW = 5000
ANN_CANDIDATES = 100
ANN_MIN_CANDIDATES = 40
HNSW_EF_SEARCH = 200
HNSW_EF_SEARCH_MAX = 400
# SQLite: at most this many vectors stay cached per process (each is kept as read and
# centred: about 300 MB at 384 dimensions); the least recently searched go first.
CACHE_MAX_ROWS = 100_000

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def settings() -> similarity.Settings:
    """The pipeline's knobs, with the app configuration's overrides."""
    return similarity.Settings.from_mapping(current_app.config)


def configured_model() -> str:
    """The name stored with vectors of the configured embedding model."""
    return get_embedder(current_app).name


def contexts(question_titles: Sequence[str]) -> list[str] | None:
    """What idea_vectors embeds each idea after: its question's title, unless the
    configuration says to embed ideas bare (QUESTION_CONTEXT off)."""
    return list(question_titles) if settings().question_context else None


def idea_vectors(
    embedder: Embedder,
    titles: Sequence[str],
    descriptions: Sequence[str],
    weight: float = similarity.DESCRIPTION_WEIGHT,
    question_titles: Sequence[str] | None = None,
) -> np.ndarray:
    """One vector per idea as the pipeline makes it: title and description embedded
    apart, each after its question's title when given, then combined (an empty
    description adds nothing)."""
    titles = similarity.in_contexts(question_titles, titles)
    descriptions = similarity.in_contexts(question_titles, descriptions)
    described = [i for i, d in enumerate(descriptions) if d and d.strip()]
    vectors = embedder.embed([*titles, *(descriptions[i] for i in described)])
    titles_vectors = vectors[: len(titles)]
    description_vectors = np.zeros_like(titles_vectors)
    description_vectors[described] = vectors[len(titles) :]
    return similarity.combine_title_description(
        titles_vectors, description_vectors, weight
    )


def idea_texts(idea_ids: Sequence[int]) -> list:
    """Id, question, title, description and question title of these ideas (those
    still there), by id."""
    return db.session.execute(
        select(
            Idea.id,
            Idea.question_id,
            Idea.title,
            Idea.description,
            Question.title.label("question_title"),
        )
        .join(Question, Question.id == Idea.question_id)
        .where(Idea.id.in_(idea_ids))
        .order_by(Idea.id)
    ).all()


def embed_idea_texts(embedder: Embedder, rows: Sequence) -> np.ndarray:
    """One vector per row of idea_texts, as the configured pipeline makes it."""
    return idea_vectors(
        embedder,
        [r.title for r in rows],
        [r.description for r in rows],
        settings().description_weight,
        contexts([r.question_title for r in rows]),
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
        select(Idea.id).where(Idea.id.in_([int(i) for i in ids]), not_(listed_idea()))
    )
    return set(hidden) | exclude_ids


# What a search needs of a question's vectors is cached per process, and renewed when
# their count or newest creation time changes (an index-only query).

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


# SQLite (and any backend without pgvector): exact search with numpy.


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
    knobs = settings()
    mean = similarity.centring_mean(vectors, knobs.centre_weight, knobs.centre_prior)
    return QuestionMatrix(ids, vectors, similarity.centre(vectors, mean), mean, newest)


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


def _search_numpy(question_id, query, limit, exclude_ids, model):
    matrix = question_matrix(question_id, model, len(query))
    if matrix is None:
        return []
    centred_query = similarity.centre(query[None, :], matrix.mean)[0]
    k = limit + len(exclude_ids)
    while True:
        with _one_blas_thread():
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


_blas = None


def _one_blas_thread():
    """numpy's BLAS on one thread for a while (about 6 µs to set).

    One matrix-vector product per request gains nothing from more threads, and on a
    busy machine (other requests, the model) OpenBLAS's threads wait for cores:
    measured on 2 busy cores, 20 ms at 10k rows instead of 0.2 ms.
    """
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController().select(user_api="blas")
    return _blas.limit(limits=1)


# PostgreSQL: in SQL, through the HNSW index where there is one for the dimension.
#
# The centred score of a stored unit vector v against the query q, with the
# question's mean m and qc = q - m, is (v - m)·qc / (|v - m| |qc|), and
# |v - m|² = 1 - 2 v·m + m·m. So two inner products per row give it (pgvector's <#>
# is the negative inner product), and no vector is built per row.
_SCORE = (
    "(-({v} <#> CAST(:qc AS vector({d}))) - :mq)"
    " / (sqrt(greatest(1 + 2 * ({v} <#> CAST(:mean AS vector({d}))) + :mm, 1e-12))"
    " * :qn)"
)

_MEAN_SQL = """
SELECT avg(CAST(vector AS vector({d})))
FROM idea_embeddings
WHERE question_id = :question_id AND model = :model AND dimension = {d}
"""

# Candidates by cosine to the centred query (the numerator of the centred score),
# through the index; then the exact score of each.
_ANN_SQL = """
WITH candidates AS (
    SELECT idea_id, CAST(vector AS vector({d})) AS v
    FROM idea_embeddings
    WHERE question_id = :question_id AND model = :model AND dimension = {d}
    ORDER BY CAST(vector AS vector({d})) <=> CAST(:qc AS vector({d}))
    LIMIT {candidates}
)
SELECT c.idea_id, i.status, i.hidden_at, {score} AS score
FROM candidates AS c JOIN ideas AS i ON i.id = c.idea_id
"""

# Every vector of the question scored: small questions, dimensions without an index,
# and the case where the index's filtered scan gave too few candidates. Hidden ideas
# are left out afterwards, as in the numpy search (joining `ideas` here made the
# planner hash the whole table).
_EXACT_SQL = """
SELECT e.idea_id, {score} AS score
FROM idea_embeddings AS e
WHERE e.question_id = :question_id AND e.model = :model AND e.dimension = {d}
  AND e.idea_id NOT IN :exclude
ORDER BY score DESC, e.idea_id
LIMIT :k
"""


def _sql(template: str, d: int, v: str, **fields):
    score = _SCORE.format(v=v, d=d)
    return text(template.format(d=d, score=score, **fields)).bindparams(
        bindparam("qc", type_=VECTOR(d)),
        bindparam("mean", type_=VECTOR(d)),
        *(bindparam(name, type_=Float) for name in ("mq", "mm", "qn")),
    )


@dataclass(frozen=True)
class QuestionMean:
    count: int
    mean: np.ndarray  # shrunk, as similarity.centring_mean


def question_mean(question_id: int, model: str, dimension: int):
    """The question's QuestionMean (None without vectors), cached per process."""

    def load(filters, count, newest, previous):
        sql = text(_MEAN_SQL.format(d=dimension)).columns(avg=VECTOR(dimension))
        mean = db.session.scalar(sql, {"question_id": question_id, "model": model})
        mean = shrunk_mean(np.asarray(mean, dtype=np.float32), count, settings())
        return QuestionMean(count, mean)

    return _cached("mean", question_id, model, dimension, load)


def _search_sql(question_id, query, limit, exclude_ids, model):
    d = int(len(query))
    stats = question_mean(question_id, model, d)
    if stats is None:
        return []
    mean = stats.mean
    centred = (query - mean).astype(np.float32)
    params = {
        "question_id": question_id,
        "model": model,
        "qc": centred,
        "mean": mean,
        "mq": float(mean @ centred),
        "mm": float(mean @ mean),
        "qn": max(float(np.linalg.norm(centred)), 1e-12),
    }
    if d in HNSW_DIMENSIONS and stats.count > EXACT_BELOW:
        found = _approximate(d, params, stats.count, limit, exclude_ids)
        if found is not None:
            return found
    return _exact(d, params, limit, exclude_ids)


def _approximate(d, params, count, limit, exclude_ids):
    """Through the HNSW index; None when it cannot give enough candidates."""
    # The scan filters by question after finding neighbours, so it must visit
    # about ANN_MIN_CANDIDATES / share rows to keep enough of a question holding
    # `share` of the table; past HNSW_EF_SEARCH_MAX, scoring all is cheaper.
    share = count / max(count, _table_rows())
    ef_search = max(HNSW_EF_SEARCH, math.ceil(2 * ANN_MIN_CANDIDATES / share))
    if ef_search > HNSW_EF_SEARCH_MAX:
        return None
    _tune_hnsw(ef_search)
    sql = _sql(_ANN_SQL, d, "c.v", candidates=ANN_CANDIDATES)
    rows = db.session.execute(sql, params).all()
    found = [
        (row.idea_id, float(row.score))
        for row in rows
        if row.status not in UNLISTED_IDEA_STATUSES
        and row.hidden_at is None
        and row.idea_id not in exclude_ids
        and not math.isnan(row.score)
    ]
    # Few of the question's rows in the scan, or hidden ideas crowding them out.
    if len(found) < max(limit, ANN_MIN_CANDIDATES):
        return None
    found.sort(key=lambda hit: (-hit[1], hit[0]))
    return found[:limit]


def _exact(d, params, limit, exclude_ids):
    sql = _sql(_EXACT_SQL, d, "e.vector").bindparams(
        bindparam("exclude", expanding=True)
    )
    k = limit + 10
    while True:
        rows = db.session.execute(
            sql, {**params, "exclude": sorted(exclude_ids), "k": k}
        ).all()
        hidden = _unlisted_or_excluded([row.idea_id for row in rows], frozenset())
        found = [
            (row.idea_id, float(row.score))
            for row in rows
            if row.idea_id not in hidden and not math.isnan(row.score)
        ]
        if len(found) >= limit or len(rows) < k:
            return found[:limit]
        k = 2 * k + len(hidden)


def _table_rows() -> float:
    """PostgreSQL's estimate of the rows of idea_embeddings (no scan)."""
    return db.session.scalar(
        text("SELECT reltuples FROM pg_class WHERE oid = 'idea_embeddings'::regclass")
    )


_iterative_scan: dict[str, bool] = {}


def _tune_hnsw(ef_search: int) -> None:
    """For this transaction: how many rows the HNSW scan visits (it returns at most
    that many before the question filter). pgvector 0.8 and later can also keep
    scanning when the filter drops rows (iterative scan)."""
    db.session.execute(text(f"SET LOCAL hnsw.ef_search = {int(ef_search)}"))
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
