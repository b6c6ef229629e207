"""Supports fired at the same instant still leave count == rows, on both databases.

Each request runs in its own thread with its own test client, session and database
connection (tests.concurrency); they are released together so they contend for the
idea's row.
"""

from sqlalchemy import func, select

from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from tests.concurrency import post_together

REQUESTS = 24


def fire_together(app, jobs):
    """POST each (user, url) at once; (status, JSON) of each."""
    outcomes = post_together(app, [(user, url, {}) for user, url in jobs])
    return [(outcome.status, outcome.json) for outcome in outcomes]


def rows_and_count(idea) -> tuple[int, int]:
    db.session.expire_all()
    rows = db.session.scalar(
        select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
    )
    return rows, db.session.scalar(select(Idea.support_count).where(Idea.id == idea.id))


def test_pool_holds_every_request_at_once(app):
    """Otherwise requests would queue for a connection instead of racing."""
    assert db.engine.pool.size() + db.engine.pool._max_overflow >= 2 * REQUESTS


def test_same_user_at_once_counts_once(app, make_idea, make_user):
    idea, user = make_idea(), make_user()
    results = fire_together(app, [(user, f"/ideas/{idea.id}/support")] * REQUESTS)
    assert all(result[0] == 200 for result in results), results
    assert all(result[1]["supported"] for result in results)
    assert rows_and_count(idea) == (1, 1)


def test_many_users_at_once_all_count(app, make_idea, make_user):
    idea = make_idea()
    users = [make_user() for _ in range(REQUESTS)]
    results = fire_together(
        app, [(user, f"/ideas/{idea.id}/support") for user in users]
    )
    assert all(result[0] == 200 for result in results), results
    assert rows_and_count(idea) == (REQUESTS, REQUESTS)
    # Each answer counts its own support; the last to commit sees them all.
    answered = [result[1]["support_count"] for result in results]
    assert min(answered) >= 1 and max(answered) == REQUESTS


def test_supports_and_unsupports_at_once_keep_count_equal_rows(
    app, make_idea, make_user
):
    idea = make_idea()
    users = [make_user() for _ in range(REQUESTS)]
    # Half of them already support; each of those takes it back twice while the
    # others support twice, all at once.
    for user in users[::2]:
        db.session.add(Support(idea_id=idea.id, user_id=user.id))
    idea.support_count = len(users[::2])
    db.session.commit()
    jobs = []
    for index, user in enumerate(users):
        action = "unsupport" if index % 2 == 0 else "support"
        jobs += [(user, f"/ideas/{idea.id}/{action}")] * 2
    results = fire_together(app, jobs)
    assert all(result[0] == 200 for result in results), results
    assert rows_and_count(idea) == (len(users[1::2]), len(users[1::2]))
