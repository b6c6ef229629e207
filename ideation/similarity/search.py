"""The nearest ideas of a question: what the similar-ideas suggestions show.

Both backends rank by the pipeline's score (vectors.score_pairs): the cosine of two
vectors after centring them on the question's mean vector, shrunk when the question has
few ideas. PostgreSQL ranks in SQL: for a large question the HNSW index gives
candidates, which SQL then scores exactly; a small one (or one with a small share of
the table, which the index's filtered scan would miss) is scored whole. SQLite keeps a
question's vectors in memory per process (brought up to date when they change) and
ranks all of them with numpy.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np
from pgvector.sqlalchemy import VECTOR
from sqlalchemy import Float, bindparam, text

from ideation.extensions import db
from ideation.ideas.models import UNLISTED_IDEA_STATUSES
from ideation.questions.models import Question
from ideation.shared.db import dialect_name
from ideation.similarity.models import HNSW_DIMENSIONS
from ideation.similarity.pipeline import configured_model
from ideation.similarity.store import (
    question_matrix,
    question_mean,
    unlisted_or_excluded,
)
from ideation.similarity.vectors import centre, top_k

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
    search = _search_sql if dialect_name() == "postgresql" else _search_numpy
    return search(question.id, query, limit, frozenset(exclude_ids), model)


# SQLite (and any backend without pgvector): exact search with numpy.


def _search_numpy(question_id, query, limit, exclude_ids, model):
    matrix = question_matrix(question_id, model, len(query))
    if matrix is None:
        return []
    centred_query = centre(query[None, :], matrix.mean)[0]
    k = limit + len(exclude_ids)
    while True:
        with _one_blas_thread():
            rows, scores = top_k(centred_query, matrix.centred, k)
        ids = matrix.ids[rows]
        skip = unlisted_or_excluded(ids, exclude_ids)
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
        hidden = unlisted_or_excluded([row.idea_id for row in rows], frozenset())
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
