"""The Governor Responds: citizens' questions, their supports, officials' answers."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.audit.links import AuditLink
from ideation.auth.models import User
from ideation.extensions import db
from ideation.governor.video import PROVIDERS, Video
from ideation.shared.db import UTCDateTime, check_enum, check_in, enum_type, utcnow
from ideation.shared.visibility import ModeratedKind


class GovernorQuestionStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    # Closed by officials with a public reason, so that the queue can be emptied:
    # declined (it will not be answered: out of the governor's remit, say), or
    # merged into another question that asks the same.
    DECLINED = "declined"
    MERGED = "merged"


CLOSED_STATUSES = (GovernorQuestionStatus.DECLINED, GovernorQuestionStatus.MERGED)


class GovernorQuestion(db.Model):
    """A citizen's question to the governor: plain text, supported by others."""

    __tablename__ = "governor_questions"
    __table_args__ = (
        CheckConstraint(check_enum("status", GovernorQuestionStatus), name="status"),
        CheckConstraint("support_count >= 0", name="support_count_not_negative"),
        CheckConstraint(
            "length(title) > 0 AND length(title) <= 140", name="title_length"
        ),
        CheckConstraint(
            "length(body) > 0 AND length(body) <= 2000", name="body_length"
        ),
        # Answered exactly when it has an answering date.
        CheckConstraint(
            "(status = 'answered') = (answered_at IS NOT NULL)",
            name="answered_at_when_answered",
        ),
        # Closed (declined or merged) exactly when it has a closing date and a
        # public reason.
        CheckConstraint(
            f"({check_in('status', [s.value for s in CLOSED_STATUSES])}) = "
            "(closed_at IS NOT NULL AND COALESCE(length(closed_reason), 0) > 0)",
            name="closed_with_reason",
        ),
        CheckConstraint(
            "(status = 'merged') = (merged_into_id IS NOT NULL)",
            name="merged_into_when_merged",
        ),
        CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id",
            name="not_merged_into_itself",
        ),
        # The officials' queue and the public list: open ones by supports.
        Index("ix_governor_questions_status_support", "status", "support_count"),
        # The public page of answers, newest first.
        Index("ix_governor_questions_status_answered", "status", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[GovernorQuestionStatus] = mapped_column(
        enum_type(GovernorQuestionStatus, 16), default=GovernorQuestionStatus.OPEN
    )
    # Kept equal to the number of GovernorQuestionSupport rows by the support
    # operations, which lock the question row and change both in one transaction.
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why officials declined or merged it: public, shown on its page.
    closed_reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("governor_questions.id"), index=True
    )
    # Hidden by the moderators (ideation.moderation); an empty reason means
    # "pending review" (hidden automatically after enough flags).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    author: Mapped[User] = relationship()
    answer: Mapped[GovernorAnswer | None] = relationship(
        back_populates="question", uselist=False
    )
    merged_into: Mapped[GovernorQuestion | None] = relationship(
        remote_side="GovernorQuestion.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status == GovernorQuestionStatus.OPEN

    @property
    def is_answered(self) -> bool:
        return self.status == GovernorQuestionStatus.ANSWERED

    @property
    def is_closed(self) -> bool:
        """Declined or merged: no answer will come on this page."""
        return self.status in CLOSED_STATUSES


class GovernorQuestionSupport(db.Model):
    """One citizen supports one question, once (the unique pair)."""

    __tablename__ = "governor_question_supports"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("governor_questions.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GovernorAnswer(db.Model):
    """The published answer to a question: one per question, signed by a department.

    A video is kept as its provider and ID only, never the URL that was pasted: the
    embed is rebuilt from them (see video.py). A video always has a transcript.
    """

    __tablename__ = "governor_answers"
    __table_args__ = (
        UniqueConstraint("question_id"),
        CheckConstraint("length(body) > 0", name="body_not_empty"),
        CheckConstraint("length(department) > 0", name="department_not_empty"),
        CheckConstraint(
            f"video_provider IS NULL OR {check_in('video_provider', PROVIDERS)}",
            name="video_provider",
        ),
        CheckConstraint(
            "(video_provider IS NULL) = (video_id IS NULL)", name="video_complete"
        ),
        CheckConstraint(
            "video_id IS NULL OR length(transcript) > 0",
            name="transcript_with_video",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("governor_questions.id", ondelete="CASCADE"), nullable=False
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Markdown, shown through ideation.shared.text.render_markdown (sanitized).
    body: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(120))
    video_provider: Mapped[str | None] = mapped_column(String(16))
    video_id: Mapped[str | None] = mapped_column(String(32))
    transcript: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[GovernorQuestion] = relationship(back_populates="answer")
    author: Mapped[User | None] = relationship()

    @property
    def video(self) -> Video | None:
        """The embeddable video, rebuilt (and re-validated) from provider and ID."""
        if self.video_provider is None or self.video_id is None:
            return None
        return Video(self.video_provider, self.video_id)


AUDIT_LINKS = [
    AuditLink(
        "governor_questions",
        GovernorQuestion,
        _l("Question to the governor"),
        "governor.show",
        "question_id",
    )
]
MODERATED = [
    ModeratedKind("governor_question", GovernorQuestion, "governor.show", "question_id")
]
