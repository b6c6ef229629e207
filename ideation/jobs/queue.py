"""Background jobs: a queue kept in the database, run by a worker thread per process.

Callers enqueue inside their own transaction, so a job exists exactly when the change
that asked for it was committed. The in-process worker (default) claims due jobs,
retries failures with exponential backoff, and keeps a job that failed
JOB_MAX_ATTEMPTS times as `failed` for admins to see and retry. `JobQueue` is the
seam where Redis + RQ can replace the thread later without touching callers.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ideation.extensions import db
from ideation.jobs.models import Job, JobStatus
from ideation.shared.db import utcnow, writing

log = logging.getLogger(__name__)

REGISTRY: dict[str, Callable[..., None]] = {}


def job(name: str):
    """Register a function as the job `name`; it receives the payload as kwargs."""

    def register(function):
        REGISTRY[name] = function
        return function

    return register


class JobQueue(ABC):
    """Where operations put work that must not run inside a request."""

    @abstractmethod
    def enqueue(
        self,
        name: str,
        payload: dict | None = None,
        *,
        key: str | None = None,
        delay: timedelta | None = None,
    ) -> None:
        """Schedule job `name`; with `key`, coalesce into a pending job of that key."""


class DatabaseQueue(JobQueue):
    """Jobs as rows of the `jobs` table, added to the caller's transaction."""

    def enqueue(self, name, payload=None, *, key=None, delay=None) -> None:
        if name not in REGISTRY:
            raise KeyError(f"unknown job {name!r}")
        db.session.info[_ENQUEUED] = True  # wake the worker when this commits
        row = Job(
            name=name,
            payload=payload or {},
            key=key,
            run_after=utcnow() + (delay or timedelta()),
        )
        if key is None:
            db.session.add(row)
            return
        # A pending job with the same key will do this work too (debounce).
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            pass


def enqueue(name: str, payload: dict | None = None, **options) -> None:
    """Schedule a job through the app's queue (committed with the caller's work)."""
    current_app.extensions["job_queue"].enqueue(name, payload, **options)


# Jobs write: on SQLite, every transaction the queue begins takes the write lock
# first (`writing`), so that two workers never claim the same job, and a job's
# checks see what it then writes over (ideation.shared.db).


@writing()
def claim_next(now: datetime | None = None) -> Job | None:
    """Take the oldest due job and mark it running (committed: no one else runs it)."""
    # A claim is a transaction of its own, which must begin here, in `writing`: on
    # SQLite by taking the write lock, not by going on with the caller's reads.
    db.session.commit()
    now = now or utcnow()
    stmt = (
        select(Job)
        .where(Job.status == JobStatus.PENDING.value, Job.run_after <= now)
        .order_by(Job.run_after, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.scalars(stmt).first()
    if claimed is None:
        db.session.rollback()
        return None
    claimed.status = JobStatus.RUNNING
    claimed.attempts += 1
    claimed.started_at = now
    db.session.commit()
    return claimed


@writing()
def run_job(claimed: Job) -> bool:
    """Run one claimed job; commit its work, or schedule a retry. True on success."""
    job_id, name, payload = claimed.id, claimed.name, dict(claimed.payload)
    try:
        REGISTRY[name](**payload)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, name)
        _record_failure(job_id, traceback.format_exc(limit=5))
        return False
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status=JobStatus.DONE, finished_at=utcnow(), last_error="")
    )
    db.session.commit()
    return True


def _record_failure(job_id: int, error: str) -> None:
    failed = db.session.get(Job, job_id)
    config = current_app.config
    if failed.attempts >= config["JOB_MAX_ATTEMPTS"]:
        failed.status = JobStatus.FAILED
        failed.finished_at = utcnow()
    else:
        failed.status = JobStatus.PENDING
        backoff = config["JOB_RETRY_BASE_SECONDS"] * 2 ** (failed.attempts - 1)
        failed.run_after = utcnow() + timedelta(seconds=backoff)
    failed.last_error = error[-4000:]
    db.session.commit()


def run_pending(limit: int | None = None) -> int:
    """Run due jobs until none is left (or `limit`); how many ran."""
    count = 0
    while limit is None or count < limit:
        claimed = claim_next()
        if claimed is None:
            break
        run_job(claimed)
        count += 1
    return count


@writing()
def requeue_stale(now: datetime | None = None) -> int:
    """Give back jobs left running by a process that died; how many."""
    now = now or utcnow()
    cutoff = now - current_app.config["JOB_STALE_AFTER"]
    result = db.session.execute(
        update(Job)
        .where(Job.status == JobStatus.RUNNING.value, Job.started_at < cutoff)
        .values(status=JobStatus.PENDING, run_after=now)
    )
    db.session.commit()
    return result.rowcount or 0


def retry_failed(failed: Job) -> Job:
    """Put a failed job back in the queue with a fresh set of attempts."""
    failed.status = JobStatus.PENDING
    failed.attempts = 0
    failed.run_after = utcnow()
    failed.finished_at = None
    return failed


class Worker:
    """The in-process worker: one daemon thread, woken on commit or every poll."""

    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.pid = os.getpid()
        self.thread = threading.Thread(target=self._loop, name="jobs", daemon=True)

    def start(self) -> Worker:
        self.thread.start()
        return self

    def stop(self, timeout: float = 5) -> None:
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout)

    def _loop(self) -> None:
        poll = self.app.config["JOB_POLL_SECONDS"]
        with self.app.app_context():
            requeue_stale()
        while not self.stopping.is_set():
            with self.app.app_context():
                try:
                    run_pending(limit=self.app.config["JOB_BATCH"])
                except Exception:  # the database may be away: try again later
                    log.exception("job worker loop failed")
                    db.session.rollback()
                finally:
                    db.session.remove()
            self.wake.wait(poll)
            self.wake.clear()


_workers: dict[int, Worker] = {}
_workers_lock = threading.Lock()


def ensure_worker(app: Flask) -> Worker | None:
    """Start this process's worker once (after a fork, the child starts its own)."""
    if app.config["JOBS_MODE"] != "thread":
        return None
    key = id(app)
    with _workers_lock:
        worker = _workers.get(key)
        if worker is None or worker.pid != os.getpid():
            worker = _workers[key] = Worker(app).start()
    return worker


def wake_worker(app: Flask) -> None:
    """Tell this process's worker that new jobs were committed."""
    worker = _workers.get(id(app))
    if worker is not None:
        worker.wake.set()


def init_app(app: Flask) -> None:
    """Give the app its queue; the worker starts with the first request, not before
    (a gunicorn master that imports the app before forking runs no thread)."""
    app.extensions["job_queue"] = DatabaseQueue()
    app.before_request(lambda: ensure_worker(app) and None)


# Set on a session by `enqueue`: only a commit that added jobs wakes the worker.
# Waking it on every commit (each support, each login) made it poll the jobs table
# once per write.
_ENQUEUED = "ideation.jobs.enqueued"


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session) -> None:
    if session.info.pop(_ENQUEUED, False) and has_app_context():
        wake_worker(current_app._get_current_object())


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_jobs(session) -> None:
    session.info.pop(_ENQUEUED, None)
