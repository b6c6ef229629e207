"""How transactions begin on SQLite (ideation.shared.db): those that may write take
the write lock first; page views read a snapshot and never wait for a writer."""

import sqlite3
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.shared.roles import Role
from ideation.similarity import jobs as similarity_jobs
from ideation.similarity.models import IdeaEmbedding
from tests.concurrency import sqlite_write_lock_is_free
from tests.conftest import USES_POSTGRES

pytestmark = pytest.mark.skipif(USES_POSTGRES, reason="SQLite's transactions")


@jobs.job("test.touch")
def _touch() -> None:
    db.session.execute(db.text("SELECT 1"))


@pytest.fixture
def begins(app):
    """The BEGIN statements the app's connections send, in order."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("BEGIN"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield sent
    event.remove(db.engine, "before_cursor_execute", record)


def test_page_views_begin_deferred_and_posts_immediate(client, make_user, begins):
    # Plain values: the test's own session begins nothing in between.
    user = SimpleNamespace(email=make_user().email)
    db.session.commit()
    begins.clear()
    client.get("/")
    assert begins and set(begins) == {"BEGIN"}
    begins.clear()
    client.login(user)
    assert begins and set(begins) == {"BEGIN IMMEDIATE"}


def test_jobs_and_commands_begin_immediate(app, runner, begins):
    jobs.enqueue("test.touch")
    db.session.commit()
    begins.clear()
    assert jobs.run_pending() == 1
    assert begins and set(begins) == {"BEGIN IMMEDIATE"}
    begins.clear()
    assert runner.invoke(args=["jobs", "list"]).exit_code == 0
    assert begins and set(begins) == {"BEGIN IMMEDIATE"}


def test_the_tests_own_session_begins_deferred(app, begins):
    db.session.execute(db.text("SELECT 1"))
    assert begins == ["BEGIN"]


def test_a_page_is_served_while_a_writer_holds_the_lock(app, client, make_user):
    """WAL: a reader does not wait. (Were the page to wait, busy_timeout would
    end it with "database is locked".)"""
    client.login(make_user(Role.MODERATOR))
    writer = sqlite3.connect(db.engine.url.database, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE users SET display_name = display_name")
        assert client.get("/moderation").status_code == 200
        assert client.get("/").status_code == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_the_embedding_job_holds_no_write_lock_while_the_model_runs(
    app, make_idea, monkeypatch
):
    idea = make_idea()
    free_while_embedding = []
    embed = similarity_jobs.embed_idea_texts

    def probed(*args, **kwargs):
        free_while_embedding.append(sqlite_write_lock_is_free())
        return embed(*args, **kwargs)

    monkeypatch.setattr(similarity_jobs, "embed_idea_texts", probed)
    jobs.enqueue("embed_idea", {"idea_id": idea.id})
    db.session.commit()
    assert jobs.run_pending() >= 1
    assert free_while_embedding == [True]
    assert db.session.get(IdeaEmbedding, idea.id) is not None
