"""The failed-jobs page: admins see what failed and why, and retry it."""

import pytest
from sqlalchemy import select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job, JobStatus
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from ideation.similarity.embeddings import get_embedder
from tests.conftest import page_text


@pytest.fixture
def failed_job(app):
    job = Job(
        name="embed_idea",
        payload={"idea_id": 42},
        status=JobStatus.FAILED.value,
        attempts=5,
        finished_at=utcnow(),
        last_error="Traceback (most recent call last):\n  ...\n"
        "RuntimeError: the model failed to load",
    )
    db.session.add_all(
        [
            job,
            Job(name="embed_idea", payload={"idea_id": 1}),
            Job(name="embed_idea", payload={"idea_id": 2}),
            Job(name="embed_idea", status=JobStatus.RUNNING.value),
            Job(name="embed_idea", status=JobStatus.DONE.value),
        ]
    )
    db.session.commit()
    return job


@pytest.fixture
def admin(client, make_user):
    user = make_user(Role.ADMIN)
    client.login(user)
    return user


def test_admin_sees_counts_and_failed_jobs(client, admin, failed_job):
    response = client.get("/admin/jobs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for status, count in (("pending", 2), ("running", 1), ("failed", 1)):
        assert f'<td data-count="{status}">{count}</td>' in html
    text = page_text(response)
    assert f"#{failed_job.id} embed_idea" in text
    assert "RuntimeError: the model failed to load" in text
    assert "5 attempts" in text
    assert f'action="/admin/jobs/{failed_job.id}/retry"' in html


def test_no_failed_jobs(client, admin):
    assert "No failed jobs." in page_text(client.get("/admin/jobs"))


def test_admin_retries_a_failed_job(client, admin, failed_job):
    response = client.submit(f"/admin/jobs/{failed_job.id}/retry")

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/jobs"
    job = db.session.get(Job, failed_job.id)
    assert (job.status, job.attempts) == (JobStatus.PENDING.value, 0)
    entry = db.session.scalars(select(AuditLog)).one()
    assert (entry.actor_id, entry.action) == (admin.id, "job.retried")
    assert (entry.target_type, entry.target_id) == ("jobs", failed_job.id)
    assert f"Job #{failed_job.id} is back in the queue." in page_text(
        client.get("/admin/jobs")
    )


def test_retrying_twice_changes_nothing(client, admin, failed_job):
    client.submit(f"/admin/jobs/{failed_job.id}/retry")
    response = client.submit(f"/admin/jobs/{failed_job.id}/retry")
    assert response.status_code == 302
    assert len(db.session.scalars(select(AuditLog)).all()) == 1
    assert "nothing to retry" in page_text(client.get("/admin/jobs"))


def test_retry_needs_csrf(client, admin, failed_job):
    assert client.post(f"/admin/jobs/{failed_job.id}/retry").status_code == 400
    assert db.session.get(Job, failed_job.id).status == JobStatus.FAILED.value


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR, Role.OFFICIAL])
def test_others_are_refused(client, make_user, failed_job, role):
    client.login(make_user(role))
    assert client.get("/admin/jobs").status_code == 403
    assert client.submit(f"/admin/jobs/{failed_job.id}/retry").status_code == 403
    assert db.session.get(Job, failed_job.id).status == JobStatus.FAILED.value
    assert db.session.scalars(select(AuditLog)).all() == []


def test_anonymous_is_sent_to_log_in(client, failed_job):
    response = client.get("/admin/jobs")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_an_embedding_that_keeps_failing_shows_up(
    app, client, admin, make_idea, monkeypatch
):
    app.config["JOB_MAX_ATTEMPTS"] = 1
    idea = make_idea()
    jobs.enqueue("embed_idea", {"idea_id": idea.id}, key=f"embed:{idea.id}")
    db.session.commit()

    def fail(texts):
        raise OSError("model files are missing")

    monkeypatch.setattr(get_embedder(app), "embed", fail)
    jobs.run_pending()

    text = page_text(client.get("/admin/jobs"))
    assert "OSError: model files are missing" in text
    assert "embed_idea" in text
