"""Requests and jobs fired at the same instant, on SQLite and on PostgreSQL.

Each runs in its own thread, app context, session and database connection, as in a
server with several workers; a barrier releases them together once each is ready
(signed in, form token in hand), so that they contend for the same rows.
"""

import sqlite3
import threading
from dataclasses import dataclass
from types import SimpleNamespace

from ideation.extensions import db

JSON = {"Accept": "application/json"}


@dataclass(frozen=True)
class Outcome:
    """What a request answered: the status, the page script's JSON, the redirect."""

    status: int
    json: dict | None
    location: str | None

    @property
    def refusal(self) -> str | None:
        """The message of a refused action (409), else None."""
        return self.json.get("error") if self.status == 409 and self.json else None


def run_together(app, setups) -> list:
    """Run each setup in its own thread and app context; each returns the action
    to run once all are ready. The actions' results, in order; any error is raised.
    """
    # The test's own work is committed, and its session holds no transaction while
    # the threads run (on SQLite, none of its snapshots or locks).
    db.session.commit()
    barrier = threading.Barrier(len(setups))
    results: list = [None] * len(setups)

    def run(index, setup):
        try:
            with app.app_context():
                action = setup()
                barrier.wait(timeout=60)
                results[index] = action()
        except BaseException as error:  # re-raised in the test's thread below
            barrier.abort()
            results[index] = error

    threads = [
        threading.Thread(target=run, args=(index, setup))
        for index, setup in enumerate(setups)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    errors = [r for r in results if isinstance(r, BaseException)]
    # The thread that failed first, rather than those it left at the barrier.
    errors.sort(key=lambda error: isinstance(error, threading.BrokenBarrierError))
    if errors:
        raise errors[0]
    db.session.expire_all()
    return results


def post_together(app, requests, headers=JSON) -> list[Outcome]:
    """POST each (user, url, form) at once from its own signed-in client."""
    return run_together(
        app,
        [
            _signed_in_post(app, user, url, form, headers)
            for user, url, form in requests
        ],
    )


def _signed_in_post(app, user, url: str, form: dict, headers):
    # Plain values: the thread must not lazy-load through the test's session.
    user = SimpleNamespace(id=user.id, email=user.email)

    def setup():
        client = app.test_client()
        client.login(user)
        data = {**form, "csrf_token": client.csrf_token()}

        def post() -> Outcome:
            response = client.post(url, data=data, headers=headers)
            return Outcome(
                response.status_code,
                response.get_json(silent=True),
                response.headers.get("Location"),
            )

        return post

    return setup


def sqlite_write_lock_is_free() -> bool:
    """Whether another connection could begin writing to the SQLite database now
    (it does not wait: a held lock answers False at once)."""
    probe = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
