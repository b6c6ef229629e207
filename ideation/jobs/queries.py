"""Reads of the job queue, for the admins' page and `flask jobs list`."""

from sqlalchemy import func, select

from ideation.extensions import db
from ideation.jobs.models import Job, JobStatus


def counts_by_status() -> dict[str, int]:
    """How many jobs are in each status (statuses with none are absent)."""
    stmt = select(Job.status, func.count()).group_by(Job.status).order_by(Job.status)
    return dict(db.session.execute(stmt).all())


def failed_jobs(limit: int | None = None) -> list[Job]:
    """Jobs that failed their last attempt, the most recent first."""
    stmt = (
        select(Job)
        .where(Job.status == JobStatus.FAILED.value)
        .order_by(Job.finished_at.desc(), Job.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
