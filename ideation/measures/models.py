"""Measures the government announced, and their dated progress updates.

A measure says where it came from through nullable foreign keys, one per kind of
source: today a citizen's question to the governor (governor_question_id); ideas
and design sessions will get their own column later, never a polymorphic pair.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.extensions import db
from ideation.governor.models import GovernorQuestion
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow


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
        Index("ix_measures_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text)
    target_date: Mapped[date] = mapped_column(Date)
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
        Index("ix_measure_updates_measure_created", "measure_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[MeasureStatus] = mapped_column(enum_type(MeasureStatus, 16))
    # Markdown, shown through ideation.shared.text.render_markdown (sanitized).
    note: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="updates")
    created_by: Mapped[User | None] = relationship()
