"""Design sessions in a real browser: a citizen answers from the e-mailed link."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.jobs import queue as jobs
from ideation.sessions.models import DesignSession, Invitation
from ideation.sessions.scheduling import SessionFields, schedule_session
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def scheduled_session(make_user, make_idea, author, capacity=5) -> int:
    idea = make_idea(
        author=author, title="Evening clinics", status=IdeaStatus.SHORTLISTED.value
    )
    start = utcnow() + timedelta(days=7)
    session = schedule_session(
        make_user(Role.OFFICIAL),
        [idea],
        SessionFields(
            title="Designing evening clinics",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=capacity,
            place="Palácio Piratini, Sala 3",
            agenda="1. Welcome\n2. Sketch the clinic hours",
        ),
    )
    db.session.commit()
    return session.id


def received_link(smtp_server, user, live_server: str, label: str) -> str:
    """The link after `label` in the invitation e-mail that reached `user`."""
    jobs.run_pending()
    [message] = [m for m in smtp_server.messages if m["To"] == user.email]
    text = message.get_body(preferencelist=("plain",)).get_content()
    pattern = re.escape(label) + r"\s+(" + re.escape(live_server) + r"/rsvp/\S+)"
    return re.search(pattern, text).group(1)


def test_a_citizen_accepts_from_the_link_in_the_email(
    app, page, live_server, smtp_server, make_user, make_idea
):
    app.config["PUBLIC_URL"] = live_server  # the links in the e-mail reach this app
    ana = make_user(name="Ana Author", email="ana@example.org")
    session_id = scheduled_session(make_user, make_idea, ana)
    accept = received_link(smtp_server, ana, live_server, "To accept, open:")

    page.goto(accept)  # not logged in: the link is enough
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Designing evening clinics"
    )
    expect(page.get_by_text("This invitation is for Ana Author.")).to_be_visible()
    page.get_by_role("button", name="Yes, I will attend").click()

    expect(page).to_have_url(f"{live_server}/sessions/{session_id}")
    expect(page.locator(".flash-success")).to_contain_text(
        "Ana Author, you are attending “Designing evening clinics”."
    )
    db.session.rollback()  # a fresh snapshot: the server wrote in its own sessions
    invitation = db.session.scalar(select(Invitation))
    assert invitation.status == "accepted"
    assert db.session.get(DesignSession, session_id).seats_taken == 1

    # Logged in, the session page says so too, with the place.
    log_in(page, ana)
    page.goto(f"/sessions/{session_id}")
    invitation_box = page.get_by_role("region", name="Your invitation")
    expect(invitation_box).to_contain_text("Attending")
    expect(page.get_by_text("Palácio Piratini, Sala 3")).to_be_visible()


def test_the_link_again_says_it_was_used(
    app, page, live_server, smtp_server, make_user, make_idea
):
    app.config["PUBLIC_URL"] = live_server
    ana = make_user(name="Ana Author", email="ana@example.org")
    scheduled_session(make_user, make_idea, ana)
    accept = received_link(smtp_server, ana, live_server, "To accept, open:")
    page.goto(accept)
    page.get_by_role("button", name="Yes, I will attend").click()
    expect(page.locator(".flash-success")).to_contain_text("you are attending")

    page.goto(accept)
    expect(page.locator(".flash-error")).to_contain_text(
        "This invitation link was already used."
    )
