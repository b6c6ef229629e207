import time
from datetime import timedelta

import pytest

from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job, JobStatus
from ideation.shared.db import utcnow
from tests.concurrency import run_together

CALLS: list[dict] = []


@jobs.job("test.record")
def _record(**payload):
    if payload.get("fail_times", 0) > sum(1 for c in CALLS if c == payload):
        CALLS.append(payload)
        raise RuntimeError("boom")
    CALLS.append(payload)


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def _jobs():
    return db.session.scalars(db.select(Job).order_by(Job.id)).all()


def test_enqueued_job_exists_only_when_the_caller_commits(app):
    jobs.enqueue("test.record", {"n": 1})
    db.session.rollback()
    assert _jobs() == []
    jobs.enqueue("test.record", {"n": 1})
    db.session.commit()
    assert jobs.run_pending() == 1
    assert CALLS == [{"n": 1}]
    assert _jobs()[0].status == JobStatus.DONE.value


def test_unknown_job_name_is_refused(app):
    with pytest.raises(KeyError):
        jobs.enqueue("no.such.job")


def test_same_key_coalesces_while_pending(app):
    for n in range(3):
        jobs.enqueue("test.record", {"n": n}, key="themes:1")
        db.session.commit()
    assert len(_jobs()) == 1
    jobs.run_pending()
    jobs.enqueue("test.record", {"n": 9}, key="themes:1")
    db.session.commit()
    assert len(_jobs()) == 2  # the first one is done: a new one may wait


def test_delayed_job_waits_until_due(app):
    jobs.enqueue("test.record", {"n": 1}, delay=timedelta(minutes=5))
    db.session.commit()
    assert jobs.run_pending() == 0
    assert CALLS == []


def test_failure_is_retried_with_backoff_then_succeeds(app):
    jobs.enqueue("test.record", {"fail_times": 1})
    db.session.commit()
    assert jobs.run_pending() == 1
    row = _jobs()[0]
    assert row.status == JobStatus.PENDING.value
    assert row.run_after > utcnow()
    assert "boom" in row.last_error
    row.run_after = utcnow()
    db.session.commit()
    jobs.run_pending()
    row = _jobs()[0]
    assert row.status == JobStatus.DONE.value
    assert row.attempts == 2


def test_job_failing_every_attempt_ends_failed_and_can_be_retried(app):
    app.config["JOB_MAX_ATTEMPTS"] = 2
    jobs.enqueue("test.record", {"fail_times": 5})
    db.session.commit()
    for _ in range(2):
        row = _jobs()[0]
        row.run_after = utcnow()
        db.session.commit()
        jobs.run_pending()
    row = _jobs()[0]
    assert row.status == JobStatus.FAILED.value
    jobs.retry_failed(row)
    db.session.commit()
    assert row.status == JobStatus.PENDING.value and row.attempts == 0


def test_stale_running_job_is_given_back(app):
    jobs.enqueue("test.record", {"n": 1})
    db.session.commit()
    row = _jobs()[0]
    row.status = JobStatus.RUNNING.value
    row.started_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert jobs.requeue_stale() == 1
    assert jobs.run_pending() == 1


def test_thread_worker_runs_committed_jobs(app):
    app.config.update(JOBS_MODE="thread", JOB_POLL_SECONDS=0.05)
    worker = jobs.ensure_worker(app)
    try:
        jobs.enqueue("test.record", {"n": 7})
        db.session.commit()
        deadline = time.monotonic() + 10
        while not CALLS and time.monotonic() < deadline:
            time.sleep(0.05)
        assert CALLS == [{"n": 7}]
        assert worker.thread.name == "jobs"
        assert jobs.ensure_worker(app) is worker  # one per process
    finally:
        worker.stop()
        jobs._workers.pop(id(app), None)
    db.session.expire_all()
    assert _jobs()[0].status == JobStatus.DONE.value


def test_cli_lists_and_retries_failed_jobs(app, runner):
    jobs.enqueue("test.record", {"n": 1})
    db.session.commit()
    row = _jobs()[0]
    row.status = JobStatus.FAILED.value
    row.last_error = "Traceback...\nRuntimeError: boom"
    db.session.commit()
    listing = runner.invoke(args=["jobs", "list"])
    assert "failed: 1" in listing.output
    assert "RuntimeError: boom" in listing.output
    result = runner.invoke(args=["jobs", "retry", str(row.id)])
    assert result.exit_code == 0
    assert runner.invoke(args=["jobs", "work", "--once"]).exit_code == 0
    assert CALLS == [{"n": 1}]
    assert runner.invoke(args=["jobs", "retry", "999"]).exit_code != 0


def test_workers_running_at_once_never_take_the_same_job(app):
    """Each due job runs in exactly one worker (PostgreSQL: SKIP LOCKED; SQLite:
    the claim takes the write lock before it reads)."""
    for n in range(40):
        jobs.enqueue("test.record", {"n": n})
    db.session.commit()

    ran = run_together(app, [lambda: jobs.run_pending for _ in range(4)])
    assert sum(ran) == 40
    assert sorted(call["n"] for call in CALLS) == list(range(40))
    assert {(job.status, job.attempts) for job in _jobs()} == {
        (JobStatus.DONE.value, 1)
    }
