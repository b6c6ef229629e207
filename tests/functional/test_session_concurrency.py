"""Accepts fired at the same instant never overbook a session, on both databases.

Each request runs in its own thread with its own test client, session and database
connection (tests.concurrency); they are released together so they contend for the
session's row.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.sessions.answers import respond_to_invitation
from ideation.sessions.models import DesignSession, Invitation
from ideation.sessions.scheduling import SessionFields, schedule_session
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.concurrency import post_together

CAPACITY = 3
INVITEES = 24


def fire_together(app, requests):
    """POST each (user, url, form) at once from its own signed-in client; statuses."""
    outcomes = post_together(app, requests, headers=None)
    return [outcome.status for outcome in outcomes]


@pytest.fixture
def crowded(make_user, make_idea):
    """A session with CAPACITY seats and INVITEES invitees; (session, invitees)."""
    invitees = [make_user() for _ in range(INVITEES)]
    idea = make_idea(author=invitees[0], status=IdeaStatus.SHORTLISTED.value)
    start = utcnow() + timedelta(days=3)
    session = schedule_session(
        make_user(Role.OFFICIAL),
        [idea],
        SessionFields(
            title="Crowded session",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=CAPACITY,
            place="Sala 1",
        ),
        invitees[1:],
    )
    db.session.commit()
    return session, invitees


ACCEPT, DECLINE = {"choice": "accept"}, {"choice": "decline"}


def statuses(session) -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Invitation.status, func.count())
        .where(Invitation.session_id == session.id)
        .group_by(Invitation.status)
    )
    return dict(rows.all())


def seats_taken(session) -> int:
    return db.session.scalar(
        select(DesignSession.seats_taken).where(DesignSession.id == session.id)
    )


def test_many_accept_at_once_exactly_capacity_get_seats(app, crowded):
    session, invitees = crowded
    url = f"/sessions/{session.id}/rsvp"
    results = fire_together(app, [(user, url, ACCEPT) for user in invitees])
    assert results == [302] * INVITEES
    assert statuses(session) == {
        "accepted": CAPACITY,
        "waitlisted": INVITEES - CAPACITY,
    }
    assert seats_taken(session) == CAPACITY
    # The waitlist has one distinct place per person, in the order they joined.
    order = db.session.scalars(
        select(Invitation.waitlisted_at).where(
            Invitation.session_id == session.id, Invitation.status == "waitlisted"
        )
    ).all()
    assert None not in order


def test_same_person_accepting_at_once_takes_one_seat(app, crowded):
    session, invitees = crowded
    url = f"/sessions/{session.id}/rsvp"
    results = fire_together(app, [(invitees[5], url, ACCEPT)] * 12)
    assert results == [302] * 12
    assert statuses(session) == {"accepted": 1, "invited": INVITEES - 1}
    assert seats_taken(session) == 1


def test_declines_and_accepts_at_once_keep_the_count(app, crowded):
    """Seat holders decline while others accept: the counter equals the accepted
    invitations, within the capacity, and each freed seat went to someone."""
    session, invitees = crowded
    holders, others = invitees[:CAPACITY], invitees[CAPACITY:]
    for user in holders:
        respond_to_invitation(
            db.session.scalar(
                select(Invitation).where(
                    Invitation.session_id == session.id, Invitation.user_id == user.id
                )
            ),
            "accept",
        )
    db.session.commit()
    url = f"/sessions/{session.id}/rsvp"
    requests = [(user, url, DECLINE) for user in holders]
    requests += [(user, url, ACCEPT) for user in others]
    results = fire_together(app, requests)
    assert results == [302] * len(requests)
    counts = statuses(session)
    assert counts["declined"] == CAPACITY
    assert counts["accepted"] == CAPACITY == seats_taken(session)
    assert counts["waitlisted"] == len(others) - CAPACITY
