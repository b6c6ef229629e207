"""Questions the governor asks."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.audit.links import AuditLink
from ideation.auth.models import User
from ideation.extensions import db
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow
from ideation.shared.text import keep_rendered, render_markdown


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
        CheckConstraint("idea_count >= 0", name="idea_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    context: Mapped[str] = mapped_column(Text, default="")
    # `context` as sanitised HTML, rendered when it is saved (keep_rendered below)
    # instead of on every view of the question page; `flask markdown rerender`
    # renders it again after the sanitiser's rules change.
    context_html: Mapped[str | None] = mapped_column(Text)
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
    # The number of listed ideas (ideation.ideas.models.listed_idea), so that the
    # question page never counts them: kept in step by ideation.ideas.counting in
    # the transaction that lists or unlists an idea.
    idea_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

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

    @property
    def context_markup(self) -> Markup:
        """The context as safe HTML: stored at save, rendered here only for a row
        written without the ORM (never rendered, hence None)."""
        if self.context_html is None:
            return render_markdown(self.context)
        return Markup(self.context_html)


keep_rendered(Question.context, Question.context_html)


AUDIT_LINKS = [
    AuditLink("questions", Question, _l("Question"), "ideas.question", "question_id")
]
