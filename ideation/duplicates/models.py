"""Near-duplicate suggestions, the pairs people said are not duplicates, and merges.

Pairs are stored with the smaller idea id first (CHECK), so a pair has one row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus
from ideation.shared.db import UTCDateTime, enum_type, utcnow


class DuplicateCandidate(db.Model):
    """Two ideas of a question whose similarity reached the threshold (by a job)."""

    __tablename__ = "duplicate_candidates"
    __table_args__ = (
        CheckConstraint("idea_a_id < idea_b_id", name="pair_in_order"),
        UniqueConstraint("idea_a_id", "idea_b_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    idea_a_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    idea_b_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    similarity: Mapped[float] = mapped_column(Float)
    # The words and phrases both ideas use, longest first: why they look alike.
    shared: Mapped[list] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DuplicateDismissal(db.Model):
    """A person said these two ideas are not duplicates: never suggest them again."""

    __tablename__ = "duplicate_dismissals"
    __table_args__ = (
        CheckConstraint("idea_a_id < idea_b_id", name="pair_in_order"),
        UniqueConstraint("idea_a_id", "idea_b_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_a_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    idea_b_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaMerge(db.Model):
    """Idea `source` merged into `target`: what undo needs to put back."""

    __tablename__ = "idea_merges"
    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="not_into_itself"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_not_empty"),
        # A source is merged once at a time; undone merges stay as history.
        Index(
            "uq_idea_merges_active_source",
            "source_id",
            unique=True,
            sqlite_where=text("undone_at IS NULL"),
            postgresql_where=text("undone_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    source_status_before: Mapped[IdeaStatus] = mapped_column(enum_type(IdeaStatus, 16))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    source: Mapped[Idea] = relationship(foreign_keys=[source_id])
    target: Mapped[Idea] = relationship(foreign_keys=[target_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


class MergedSupport(db.Model):
    """A support the source idea had when it was merged, as it was."""

    __tablename__ = "merged_supports"
    __table_args__ = (UniqueConstraint("merge_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    merge_id: Mapped[int] = mapped_column(
        ForeignKey("idea_merges.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # When the user first supported the source: undo puts it back unchanged.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # True when the merge created the user's support on the target (undo removes
    # it); False when they already supported the target, or wrote it.
    added_to_target: Mapped[bool] = mapped_column(Boolean, nullable=False)
