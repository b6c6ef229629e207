"""Flags: a signed-in person reports an idea or a question to the governor."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.extensions import db
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow


class FlagTarget(enum.StrEnum):
    """What can be flagged: the kinds declared moderated (`Feature.moderated`)."""

    IDEA = "idea"
    GOVERNOR_QUESTION = "governor_question"
    COMMENT = "comment"


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class Flag(db.Model):
    """One person's report of one item, once (the unique triple); open until resolved.

    The target is (target_type, target_id) without a foreign key, as it points to
    one of two tables; the moderation queue joins each table, so a flag whose item
    is gone is simply never shown.
    """

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "user_id"),
        CheckConstraint(check_enum("target_type", FlagTarget), name="target_type"),
        CheckConstraint(check_enum("reason", FlagReason), name="reason"),
        # "Other" says nothing by itself: the note is what the moderators read.
        CheckConstraint("reason <> 'other' OR length(note) > 0", name="note_for_other"),
        CheckConstraint(
            "resolved_by_id IS NULL OR resolved_at IS NOT NULL",
            name="resolved_by_when_resolved",
        ),
        # The queue: open flags per item.
        Index("ix_flags_target_open", "target_type", "target_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[FlagTarget] = mapped_column(enum_type(FlagTarget, 32))
    target_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reason: Mapped[FlagReason] = mapped_column(enum_type(FlagReason, 16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
