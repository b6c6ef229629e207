"""`flask jobs`: run a worker process, list and retry jobs."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from ideation.audit.operations import record_action
from ideation.extensions import db
from ideation.jobs import queries
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job, JobStatus

jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("work")
@click.option("--once", is_flag=True, help="Run what is due now, then stop.")
def work(once):
    """Run jobs in this process (use with JOBS_MODE=manual in the web processes)."""
    jobs.requeue_stale()
    while True:
        ran = jobs.run_pending()
        if ran:
            click.echo(f"ran {ran} job(s)")
        if once:
            return
        time.sleep(current_app.config["JOB_POLL_SECONDS"])


@jobs_cli.command("list")
def list_jobs():
    """Jobs per status, and the failed ones with their last error."""
    for status, count in queries.counts_by_status().items():
        click.echo(f"{status}: {count}")
    for row in reversed(queries.failed_jobs()):
        last_line = (row.last_error.strip().splitlines() or [""])[-1]
        click.echo(f"failed #{row.id} {row.name} {row.payload}: {last_line}")


@jobs_cli.command("retry")
@click.argument("job_id", type=int)
def retry(job_id):
    """Put a failed job back in the queue."""
    row = db.session.get(Job, job_id)
    if row is None or row.status != JobStatus.FAILED.value:
        raise click.ClickException(f"no failed job #{job_id}")
    jobs.retry_failed(row)
    record_action(None, "job.retried", row)
    db.session.commit()
    click.echo(f"job #{job_id} is pending again")
