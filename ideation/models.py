"""The schema: integrity lives here (unique supports, foreign keys, CHECKs)."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.extensions import db


def utcnow() -> datetime:
    """Aware UTC now; evaluated per row, never once at import."""
    return datetime.now(UTC)


class UTCDateTime(db.TypeDecorator):
    """Timezone-aware datetimes on every backend (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _check_in(column: str, values) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    MODERATOR = "moderator"
    OFFICIAL = "official"
    ADMIN = "admin"


# Each role can do everything the roles before it can.
ROLE_RANK = {Role.CITIZEN: 0, Role.MODERATOR: 1, Role.OFFICIAL: 2, Role.ADMIN: 3}


class QuestionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class IdeaStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    IN_DESIGN = "in_design"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"  # folded into another idea (merged_into_id) by a moderator


class EmailPreference(enum.StrEnum):
    """How a user hears of notifications by e-mail (see ideation/mail)."""

    IMMEDIATELY = "immediately"  # one e-mail per notification
    DAILY = "daily"  # one digest a day of what is still unread
    OFF = "off"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_check_in("role", [r.value for r in Role]), name="role"),
        CheckConstraint("length(display_name) > 0", name="display_name_not_empty"),
        CheckConstraint(
            _check_in("email_preference", [p.value for p in EmailPreference]),
            name="email_preference",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique index is case-insensitive everywhere.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.CITIZEN.value)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by a moderator (ideation.moderation): a blocked account cannot log in.
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the owner opens the link e-mailed to the address; until then the
    # account may read but not submit, support or ask (see ideation/auth/rules.py).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_preference: Mapped[str] = mapped_column(
        String(16),
        default=EmailPreference.IMMEDIATELY.value,
        server_default=EmailPreference.IMMEDIATELY.value,
    )

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def has_role(self, role: Role) -> bool:
        """True when the user's role is `role` or a more powerful one."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[role]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(
            _check_in("status", [s.value for s in QuestionStatus]), name="status"
        ),
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
    status: Mapped[str] = mapped_column(
        String(16), default=QuestionStatus.DRAFT.value, index=True
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
        return self.status != QuestionStatus.DRAFT.value


# Ideas out of the public list: withdrawn by their author, or merged into another.
UNLISTED_IDEA_STATUSES = (IdeaStatus.WITHDRAWN.value, IdeaStatus.MERGED.value)


def listed_idea(entity=None):
    """SQL condition: the idea (or an alias of Idea) is in the public list, i.e.
    neither withdrawn, merged nor hidden by the moderators."""
    entity = entity if entity is not None else Idea
    return and_(
        entity.status.not_in(UNLISTED_IDEA_STATUSES), entity.hidden_at.is_(None)
    )


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint(
            _check_in("status", [s.value for s in IdeaStatus]), name="status"
        ),
        CheckConstraint("support_count >= 0", name="support_count_not_negative"),
        CheckConstraint(
            "length(title) > 0 AND length(title) <= 140", name="title_length"
        ),
        CheckConstraint("length(description) <= 2000", name="description_length"),
        # A merged idea always says where it went, and only a merged one does.
        CheckConstraint(
            "(status = 'merged' AND merged_into_id IS NOT NULL)"
            " OR (status <> 'merged' AND merged_into_id IS NULL)",
            name="merged_into_when_merged",
        ),
        CheckConstraint("merged_into_id <> id", name="not_merged_into_itself"),
        Index("ix_ideas_question_support", "question_id", "support_count"),
        Index("ix_ideas_question_created", "question_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=IdeaStatus.SUBMITTED.value)
    # Kept equal to the number of Support rows by the support operations,
    # which lock the idea row and change both in one transaction.
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The surviving idea, while this one is merged (see duplicates.IdeaMerge).
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id"), index=True
    )
    # Hidden by the moderators (ideation.moderation); an empty reason means
    # "pending review" (hidden automatically after enough flags).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    question: Mapped[Question] = relationship()
    author: Mapped[User] = relationship()
    merged_into: Mapped[Idea | None] = relationship(remote_side=[id])

    @property
    def is_withdrawn(self) -> bool:
        return self.status == IdeaStatus.WITHDRAWN.value

    @property
    def is_merged(self) -> bool:
        return self.status == IdeaStatus.MERGED.value


class Support(db.Model):
    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditLog(db.Model):
    """What officials, moderators and admins did: actor, action, target, reason."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )

    actor: Mapped[User | None] = relationship()


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """A background job. Rows, so that nothing is lost when a process stops."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(
            _check_in("status", [s.value for s in JobStatus]), name="status"
        ),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # At most one pending job per key: later requests coalesce into it.
        Index(
            "uq_jobs_pending_key",
            "key",
            unique=True,
            sqlite_where=text("status = 'pending' AND key IS NOT NULL"),
            postgresql_where=text("status = 'pending' AND key IS NOT NULL"),
        ),
        Index("ix_jobs_status_run_after", "status", "run_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    key: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
