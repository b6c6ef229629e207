"""Questions the governor asks."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.audit.links import AuditLink
from ideation.auth.models import User
from ideation.extensions import db
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow
from ideation.shared.i18n import site_zone
from ideation.shared.text import keep_rendered, render_markdown

# The longest answer period a question may set (also a CHECK of the schema).
RESPONSE_DAYS_MAX = 365


def _default_response_days() -> int:
    return current_app.config["RESPONSE_DEADLINE_DAYS"]


def answer_deadline(phase_end: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The first instant at which an answer is late: the end of the `days`-th day,
    on the site's calendar, after the day on which the ideas phase ended.

    Counted in local days, not in 24-hour steps, so that a deadline is a date
    people can read ("by 31 March") and a change of clocks never moves it.
    """
    last_day = phase_end.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(last_day + timedelta(days=1), time(), zone).astimezone(UTC)


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
        CheckConstraint(
            f"response_days >= 1 AND response_days <= {RESPONSE_DAYS_MAX}",
            name="response_days_range",
        ),
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
    # Officials answer every idea (a first public response) within this many days
    # after the ideas phase ends: the public ledger holds them to it.
    response_days: Mapped[int] = mapped_column(
        Integer, default=_default_response_days, server_default="30", nullable=False
    )

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

    @property
    def ideas_phase_end(self) -> datetime | None:
        """When it stops (or stopped) taking ideas: its closing date, or the moment
        officials closed it if that came first; None while neither is set."""
        ends = [moment for moment in (self.closes_at, self.closed_at) if moment]
        return min(ends) if ends else None

    def response_deadline(self, zone: ZoneInfo | None = None) -> datetime | None:
        """The first instant at which a first response to one of its ideas is late
        (see answer_deadline); None while the ideas phase has no end."""
        end = self.ideas_phase_end
        if end is None:
            return None
        return answer_deadline(end, self.response_days, zone or site_zone())

    def response_last_day(self, zone: ZoneInfo | None = None) -> date | None:
        """The last day, on the site's calendar, of the answer period."""
        zone = zone or site_zone()
        deadline = self.response_deadline(zone)
        if deadline is None:
            return None
        return (deadline.astimezone(zone) - timedelta(microseconds=1)).date()


keep_rendered(Question.context, Question.context_html)


AUDIT_LINKS = [
    AuditLink("questions", Question, _l("Question"), "ideas.question", "question_id")
]
