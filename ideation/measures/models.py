"""Measures the government announced, and their dated progress updates.

A measure says where it came from in two places. `governor_question_id` is the
answer that announced it (kept from before measures had other sources). Every
other source is a row of `measure_links`: one nullable foreign key per kind of
source (an idea, a shortlist decision, a design session, a question to the
governor), exactly one of them set per row, so that a new kind of source (the
pairwise vote's proposals) is one more nullable column and one more term in the
CHECK, never an untyped (kind, id) pair the database cannot check.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.extensions import db
from ideation.governor.models import GovernorQuestion
from ideation.ideas.models import Idea
from ideation.sessions.models import DesignSession
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow
from ideation.shortlist.models import ShortlistDecision


class MeasureStatus(enum.StrEnum):
    ANNOUNCED = "announced"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


# Where an update may take a measure. Done and cancelled are final: the record of
# what happened stays as it was.
NEXT_STATUSES = {
    MeasureStatus.ANNOUNCED: (
        MeasureStatus.ANNOUNCED,
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.DONE,
        MeasureStatus.CANCELLED,
    ),
    MeasureStatus.IN_PROGRESS: (
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.DONE,
        MeasureStatus.CANCELLED,
    ),
    MeasureStatus.DONE: (),
    MeasureStatus.CANCELLED: (),
}


class Measure(db.Model):
    __tablename__ = "measures"
    __table_args__ = (
        CheckConstraint(check_enum("status", MeasureStatus), name="status"),
        CheckConstraint(
            "length(title) > 0 AND length(title) <= 140", name="title_length"
        ),
        CheckConstraint("length(description) > 0", name="description_not_empty"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        # A done measure is done in full: its bar never says otherwise.
        CheckConstraint("status <> 'done' OR progress = 100", name="done_in_full"),
        CheckConstraint("budget_cents IS NULL OR budget_cents >= 0", name="budget"),
        CheckConstraint(
            "start_date IS NULL OR start_date <= target_date", name="dates_in_order"
        ),
        CheckConstraint(
            "department IS NULL OR length(department) > 0", name="department_not_empty"
        ),
        Index("ix_measures_created", "created_at"),
        Index("ix_measures_department", "department"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text)
    target_date: Mapped[date] = mapped_column(Date)
    # NULL on measures announced before these existed (and optional in an answer).
    start_date: Mapped[date | None] = mapped_column(Date)
    department: Mapped[str | None] = mapped_column(String(120))
    # In centavos of BRL: an integer never rounds, and the currency is the state's.
    budget_cents: Mapped[int | None] = mapped_column(BigInteger)
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[MeasureStatus] = mapped_column(
        enum_type(MeasureStatus, 16), default=MeasureStatus.ANNOUNCED
    )
    # Sources (see the module's docstring); NULL when the measure has none of a kind.
    governor_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("governor_questions.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the last update was posted (its status or a note).
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    governor_question: Mapped[GovernorQuestion | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    updates: Mapped[list[MeasureUpdate]] = relationship(
        back_populates="measure",
        order_by=lambda: (MeasureUpdate.created_at.desc(), MeasureUpdate.id.desc()),
    )
    links: Mapped[list[MeasureLink]] = relationship(
        back_populates="measure", order_by=lambda: MeasureLink.id
    )

    @property
    def next_statuses(self) -> tuple[MeasureStatus, ...]:
        return NEXT_STATUSES[MeasureStatus(self.status)]

    @property
    def is_final(self) -> bool:
        return not self.next_statuses


class MeasureUpdate(db.Model):
    """A dated step of a measure: the status it moved to and an official's note."""

    __tablename__ = "measure_updates"
    __table_args__ = (
        CheckConstraint(check_enum("status", MeasureStatus), name="status"),
        CheckConstraint("length(note) > 0", name="note_not_empty"),
        CheckConstraint(
            "progress IS NULL OR (progress >= 0 AND progress <= 100)",
            name="progress_range",
        ),
        Index("ix_measure_updates_measure_created", "measure_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[MeasureStatus] = mapped_column(enum_type(MeasureStatus, 16))
    # The progress the update set; NULL on updates posted before progress existed.
    progress: Mapped[int | None] = mapped_column(Integer)
    # Markdown, shown through ideation.shared.text.render_markdown (sanitized).
    note: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="updates")
    created_by: Mapped[User | None] = relationship()


# The source columns of measure_links; exactly one is set per row.
LINK_COLUMNS = (
    "idea_id",
    "governor_question_id",
    "shortlist_decision_id",
    "design_session_id",
)


def _exactly_one_of(columns: tuple[str, ...]) -> str:
    # Portable: PostgreSQL adds no booleans, SQLite has no num_nonnulls().
    terms = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns)
    return f"{terms} = 1"


class MeasureLink(db.Model):
    """One thing that led to a measure: an idea, a decision, a session, a question."""

    __tablename__ = "measure_links"
    __table_args__ = (
        CheckConstraint(_exactly_one_of(LINK_COLUMNS), name="one_source"),
        # Each source once per measure (NULLs are distinct, so each column alone).
        *(UniqueConstraint("measure_id", column) for column in LINK_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    governor_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("governor_questions.id", ondelete="CASCADE"), index=True
    )
    shortlist_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("shortlist_decisions.id", ondelete="CASCADE"), index=True
    )
    design_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("design_sessions.id", ondelete="CASCADE"), index=True
    )

    measure: Mapped[Measure] = relationship(back_populates="links")
    idea: Mapped[Idea | None] = relationship()
    governor_question: Mapped[GovernorQuestion | None] = relationship()
    shortlist_decision: Mapped[ShortlistDecision | None] = relationship()
    design_session: Mapped[DesignSession | None] = relationship()
