"""The job queue's table."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ideation.extensions import db
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """A background job. Rows, so that nothing is lost when a process stops."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(check_enum("status", JobStatus), name="status"),
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
    status: Mapped[JobStatus] = mapped_column(
        enum_type(JobStatus, 16), default=JobStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
