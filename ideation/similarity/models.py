"""Stored idea vectors: one per idea, with the model that made it.

On PostgreSQL the vector is a pgvector `vector` column searched in SQL; elsewhere
(SQLite) it is the float32 bytes, searched exactly with numpy. Both come back as
numpy float32 arrays.

The column has no fixed dimension, so that a new model needs no schema change. Its
HNSW index (cosine) is therefore a partial index on a cast, one per dimension in use;
the nearest-neighbour query uses the same cast expression so that the planner picks
it. Vectors of other dimensions are searched exactly. The migration must create
(PostgreSQL only, after `CREATE EXTENSION IF NOT EXISTS vector`):

    CREATE INDEX ix_idea_embeddings_hnsw_384 ON idea_embeddings
    USING hnsw ((vector::vector(384)) vector_cosine_ops) WHERE dimension = 384;
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from pgvector.sqlalchemy import VECTOR
from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    cast,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ideation.extensions import db
from ideation.shared.db import UTCDateTime, utcnow

# Dimensions that get an HNSW index on PostgreSQL (384: MiniLM and its fine-tunes).
HNSW_DIMENSIONS = (384,)


class VectorType(db.TypeDecorator):
    """A float32 vector: pgvector's `vector` on PostgreSQL, little-endian bytes else."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(VECTOR())
        return dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        vector = np.asarray(value, dtype=np.float32).reshape(-1)
        if dialect.name == "postgresql":
            return vector
        return vector.astype("<f4").tobytes()

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "postgresql":
            return np.asarray(value, dtype=np.float32)
        return np.frombuffer(value, dtype="<f4").astype(np.float32)


def hnsw_index_name(dimension: int) -> str:
    return f"ix_idea_embeddings_hnsw_{dimension}"


def _hnsw_index(dimension: int) -> Index:
    # ddl_if: created by create_all on PostgreSQL only (tests, benchmarks); the
    # migration creates the same index.
    return Index(
        hnsw_index_name(dimension),
        cast(text("vector"), VECTOR(dimension)).label(f"vector_{dimension}"),
        postgresql_using="hnsw",
        postgresql_ops={f"vector_{dimension}": "vector_cosine_ops"},
        postgresql_where=text(f"dimension = {dimension}"),
    ).ddl_if(dialect="postgresql")


class IdeaEmbedding(db.Model):
    """An idea's vector (title and description, as the similarity pipeline embeds)."""

    __tablename__ = "idea_embeddings"
    __table_args__ = (
        CheckConstraint("dimension > 0", name="dimension_positive"),
        # The question's vectors of one model: what every search reads. With
        # created_at, the count and newest time that tell a cache it is stale come
        # from the index alone.
        Index(
            "ix_idea_embeddings_question_model",
            "question_id",
            "model",
            "dimension",
            "created_at",
        ),
        *(_hnsw_index(d) for d in HNSW_DIMENSIONS),
    )

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    # Denormalised from the idea, so that the nearest-neighbour query filters by
    # question without a join.
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE")
    )
    model: Mapped[str] = mapped_column(String(200))
    dimension: Mapped[int] = mapped_column(Integer)
    vector: Mapped[np.ndarray] = mapped_column(VectorType)
    # When this vector was computed (re-embedding an edited idea renews it).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The vector type must exist before create_all makes the table (tests, benchmarks).
event.listen(
    db.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS vector").execute_if(dialect="postgresql"),
)
