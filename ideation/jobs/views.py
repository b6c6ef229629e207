"""The admins' page of background jobs: counts per status, failed jobs, retry."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ideation.audit.operations import record_action
from ideation.extensions import db
from ideation.jobs import queries, queue
from ideation.jobs.models import Job, JobStatus
from ideation.shared.roles import Role, role_required

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")

# Failed jobs are few (each failed JOB_MAX_ATTEMPTS times); the newest are enough.
FAILED_JOBS_SHOWN = 100


@bp.get("")
@role_required(Role.ADMIN)
def index():
    """Jobs per status, and the failed ones with their last error."""
    return render_template(
        "jobs/index.html",
        counts=queries.counts_by_status(),
        failed=queries.failed_jobs(FAILED_JOBS_SHOWN),
        JobStatus=JobStatus,
    )


@bp.post("/<int:job_id>/retry")
@role_required(Role.ADMIN)
def retry(job_id: int):
    """Put a failed job back in the queue, with a fresh set of attempts."""
    failed = db.get_or_404(Job, job_id)
    if failed.status != JobStatus.FAILED.value:  # retried already (a second click)
        flash(_("Job #%(id)d has not failed: nothing to retry.", id=job_id), "info")
        return redirect(url_for("jobs.index"))
    queue.retry_failed(failed)
    record_action(current_user._get_current_object(), "job.retried", failed)
    db.session.commit()
    flash(_("Job #%(id)d is back in the queue.", id=failed.id), "success")
    return redirect(url_for("jobs.index"))
