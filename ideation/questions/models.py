"""Questions the governor asks."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.audit.links import AuditLink
from ideation.auth.models import User
from ideation.extensions import db
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow


class QuestionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(check_enum("status", QuestionStatus), name="status"),
        CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
            name="dates_in_order",
        ),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    context: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str | None] = mapped_column(String(80), index=True)
    status: Mapped[QuestionStatus] = mapped_column(
        enum_type(QuestionStatus, 16), default=QuestionStatus.DRAFT, index=True
    )
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship()

    def is_open(self, now: datetime | None = None) -> bool:
        """Whether citizens can submit and support ideas right now."""
        now = now or utcnow()
        if self.status != QuestionStatus.PUBLISHED.value:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    def is_public(self) -> bool:
        return self.status != QuestionStatus.DRAFT


AUDIT_LINKS = [
    AuditLink("questions", Question, _l("Question"), "ideas.question", "question_id")
]
