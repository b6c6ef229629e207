"""Design sessions through the client: scheduling, answers in the app and by the
e-mailed links, the pages and who sees what, the calendar file, attendance,
outcome and cancellation."""

import re
import time
from datetime import timedelta
from html import unescape

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.jobs import queue as jobs
from ideation.moderation.operations import block_user
from ideation.sessions.answers import respond_to_invitation
from ideation.sessions.models import DesignSession, Invitation
from ideation.sessions.scheduling import schedule_session
from ideation.sessions.tokens import make_rsvp_token
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.conftest import page_text
from tests.helpers import fields, flashes

PUBLIC_URL = "https://participa.example.gov.br/app"
RSVP_LINK = re.compile(re.escape(PUBLIC_URL) + r"(/rsvp/[\w.-]+)")


@pytest.fixture(autouse=True)
def public_url(app):
    app.config["PUBLIC_URL"] = PUBLIC_URL


@pytest.fixture
def official(make_user):
    return make_user(Role.OFFICIAL, name="Olga Official")


@pytest.fixture
def author(make_user):
    return make_user(name="Ana Author", email="ana@example.org")


@pytest.fixture
def idea(make_idea, author):
    return make_idea(
        author=author, title="Evening clinics", status=IdeaStatus.SHORTLISTED.value
    )


@pytest.fixture
def make_session(official, idea):
    def make(ideas=None, extra=(), now=None, **overrides):
        session = schedule_session(
            official, ideas or [idea], fields(**overrides), list(extra), now=now
        )
        db.session.commit()
        return session

    return make


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def invitation(session, user) -> Invitation:
    db.session.expire_all()
    return db.session.scalar(
        select(Invitation).where(
            Invitation.session_id == session.id, Invitation.user_id == user.id
        )
    )


def seats(session) -> int:
    db.session.expire_all()
    return db.session.get(DesignSession, session.id).seats_taken


def messages_to(smtp_server, user) -> list:
    jobs.run_pending()
    return [m for m in smtp_server.messages if m["To"] == user.email]


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def rsvp_paths(message) -> list[str]:
    """The answer links of an e-mail, as paths inside the app."""
    return RSVP_LINK.findall(body(message))


def log_in_as(client, user) -> None:
    """Log out whoever is signed in on this client, then log `user` in."""
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login(user)


def flashed(client) -> str:
    return " ".join(message for _category, message in flashes(client))


def schedule_data(idea, **overrides) -> dict:
    start = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    end = (utcnow() + timedelta(days=10, hours=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "ideas": [idea.id],
        "title": "Designing evening clinics",
        "agenda": "1. Welcome\n2. Sketch",
        "starts_at": start,
        "ends_at": end,
        "place": "Palácio Piratini, Sala 3",
        "online_url": "",
        "capacity": "12",
        "extra_emails": "",
    }
    data.update(overrides)
    return data


# -- scheduling ------------------------------------------------------------------------


def test_official_schedules_from_the_form_and_invitations_go_out(
    client, official, idea, author, make_user, smtp_server
):
    guest = make_user(email="guest@example.org", name="Gui Guest")
    log_in_as(client, official)
    form = client.get(f"/sessions/new?idea={idea.id}")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert f'value="{idea.id}" id="idea-{idea.id}" checked' in html
    assert "Design session: Evening clinics" in html  # the title is suggested
    response = client.submit(
        f"/sessions/new?idea={idea.id}",
        data=schedule_data(idea, extra_emails="GUEST@example.org\n"),
    )
    session = db.session.scalar(select(DesignSession))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sessions/{session.id}"
    assert "invitations are sent" in flashed(client)
    assert {i.user_id for i in db.session.scalars(select(Invitation))} == {
        author.id,
        guest.id,
    }
    for person in (author, guest):
        [message] = messages_to(smtp_server, person)
        assert message["Subject"] == (
            "Invitation to the design session “Designing evening clinics”"
        )
        assert len(rsvp_paths(message)) == 2
        assert "Palácio Piratini, Sala 3" in body(message)
        assert f"{PUBLIC_URL}/sessions/{session.id}.ics" in body(message)


def test_the_form_lists_only_shortlisted_and_selected_ideas(
    client, official, idea, make_idea
):
    selected = make_idea(title="Mobile units", status=IdeaStatus.SELECTED.value)
    make_idea(title="Plain submitted idea")
    log_in_as(client, official)
    text = page_text(client.get("/sessions/new"))
    assert "Evening clinics" in text and "Mobile units" in text
    assert "Plain submitted idea" not in text
    only = page_text(client.get(f"/sessions/new?question={selected.question_id}"))
    assert "Mobile units" in only and "Evening clinics" not in only


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {
                "starts_at": "2020-01-01T10:00",
                "ends_at": "2020-01-01T12:00",
            },
            "The session must start in the future.",
        ),
        ({"capacity": "0"}, "Offer at least one seat."),
        ({"capacity": ""}, "Say how many people can take part."),
        (
            {"extra_emails": "nobody@example.org, ana@example.org"},
            "No account has these addresses: nobody@example.org.",
        ),
        ({"place": "", "online_url": ""}, "Say where the session takes place"),
        ({"ideas": []}, "Choose at least one idea"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_saves_nothing(
    client, official, idea, smtp_server, overrides, message
):
    log_in_as(client, official)
    data = schedule_data(idea, agenda="Bring *your* sketches", **overrides)
    response = client.submit("/sessions/new", data=data)
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    assert message in html
    assert 'value="Designing evening clinics"' in html
    assert "Bring *your* sketches" in html
    assert f'value="{data["starts_at"]}"' in html
    if overrides.get("extra_emails"):
        assert "nobody@example.org, ana@example.org</textarea>" in html
    assert count(DesignSession) == 0 and count(Invitation) == 0
    jobs.run_pending()
    assert smtp_server.messages == []


def test_an_idea_not_shortlisted_is_refused_by_name(client, official, make_idea):
    plain = make_idea(title="Free parking downtown")
    log_in_as(client, official)
    response = client.submit(
        f"/sessions/new?idea={plain.id}", data=schedule_data(plain)
    )
    assert response.status_code == 200
    assert "Not eligible: “Free parking downtown”" in unescape(
        response.get_data(as_text=True)
    )
    assert count(DesignSession) == 0


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_others_cannot_schedule(client, make_user, idea, role):
    log_in_as(client, make_user(role))
    assert client.get("/sessions/new").status_code == 403
    assert client.submit("/sessions/new", data=schedule_data(idea)).status_code == 403
    assert client.get("/sessions/manage").status_code == 403
    assert count(DesignSession) == 0


def test_anonymous_is_sent_to_log_in(client, idea, make_session):
    session = make_session()
    for url in ("/sessions/new", "/sessions/manage", "/sessions/invitations"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.submit(f"/sessions/{session.id}/rsvp", data={"choice": "accept"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_manage_lists_sessions_with_answers(client, official, make_session, author):
    session = make_session(title="Clinic hours design", capacity=4)
    respond_to_invitation(invitation(session, author), "accept")
    db.session.commit()
    log_in_as(client, official)
    response = client.get("/sessions/manage")
    assert response.status_code == 200
    assert f'href="/sessions/{session.id}"' in response.get_data(as_text=True)
    text = page_text(response)
    assert "Clinic hours design" in text and "1 / 4" in text


# -- the session page ------------------------------------------------------------------


def test_visitors_see_public_facts_invitees_and_officials_the_details(
    client, make_session, author, official, make_user
):
    session = make_session(online_url="https://meet.example.org/clinics")
    public = page_text(client.get(f"/sessions/{session.id}"))
    assert "Evening clinics: first design session" in public
    assert "Sketch" in public and "Evening clinics" in public  # agenda and idea
    assert "Palácio Piratini" not in public and "meet.example.org" not in public
    assert "shown to the invitees" in public

    log_in_as(client, make_user())  # signed in, not invited: still public only
    assert "Palácio Piratini" not in page_text(client.get(f"/sessions/{session.id}"))

    log_in_as(client, author)
    mine = page_text(client.get(f"/sessions/{session.id}"))
    assert "Palácio Piratini" in mine and "meet.example.org/clinics" in mine
    assert "Your invitation" in mine and "Not answered yet" in mine
    assert "Invitations" not in mine.replace("My invitations", "")

    log_in_as(client, official)
    theirs = page_text(client.get(f"/sessions/{session.id}"))
    assert "Palácio Piratini" in theirs and "Ana Author" in theirs
    assert "Cancel the session" in theirs


def test_unknown_session_is_404(client):
    assert client.get("/sessions/999").status_code == 404
    assert client.get("/sessions/999.ics").status_code == 404


def test_calendar_file(client, make_session, author):
    session = make_session(agenda="Sketch; vote, decide")
    response = client.get(f"/sessions/{session.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    start = session.starts_at.strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in unfolded
    assert "SUMMARY:Evening clinics: first design session\r\n" in unfolded
    assert "Sketch\\; vote\\, decide" in unfolded
    assert f"URL:{PUBLIC_URL}/sessions/{session.id}\r\n" in unfolded
    assert "LOCATION" not in unfolded  # the place is for invitees
    log_in_as(client, author)
    invited = client.get(f"/sessions/{session.id}.ics").get_data(as_text=True)
    assert "LOCATION:Palácio Piratini\\, Sala 3\r\n" in invited.replace("\r\n ", "")


# -- answers in the app ----------------------------------------------------------------


def test_invitee_accepts_in_the_app_and_twice_takes_one_seat(
    client, make_session, author
):
    session = make_session()
    log_in_as(client, author)
    url = f"/sessions/{session.id}/rsvp"
    response = client.submit(url, data={"choice": "accept"})
    assert response.status_code == 302
    assert "you are attending" in flashed(client)
    client.get(f"/sessions/{session.id}")  # the flash is read
    client.submit(url, data={"choice": "accept"})
    assert "You had already accepted" in flashed(client)
    assert seats(session) == 1
    assert invitation(session, author).status == "accepted"
    page = page_text(client.get(f"/sessions/{session.id}"))
    assert "Attending" in page and "Ana Author" in page


def test_a_full_session_puts_the_next_on_the_waitlist_and_says_so(
    client, make_session, author, make_user
):
    other = make_user()
    session = make_session(extra=[other], capacity=1)
    log_in_as(client, other)
    client.submit(f"/sessions/{session.id}/rsvp", data={"choice": "accept"})
    log_in_as(client, author)
    client.submit(f"/sessions/{session.id}/rsvp", data={"choice": "accept"})
    assert "is full: you are on the waitlist, number 1" in unescape(flashed(client))
    assert invitation(session, author).status == "waitlisted"


def test_rsvp_without_a_choice_changes_nothing(client, make_session, author):
    session = make_session()
    log_in_as(client, author)
    client.submit(f"/sessions/{session.id}/rsvp", data={"choice": "maybe"})
    assert "Choose to accept or to decline" in flashed(client)
    assert invitation(session, author).status == "invited"


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR, Role.OFFICIAL])
def test_someone_not_invited_cannot_answer(client, make_session, make_user, role):
    session = make_session()
    log_in_as(client, make_user(role))
    response = client.submit(f"/sessions/{session.id}/rsvp", data={"choice": "accept"})
    assert response.status_code == 403
    assert seats(session) == 0 and count(Invitation) == 1


def test_my_invitations_page(client, make_session, author, make_user):
    session = make_session()
    log_in_as(client, author)
    page = client.get("/sessions/invitations")
    assert page.status_code == 200
    assert "Evening clinics: first design session" in page_text(page)
    client.submit(
        f"/sessions/{session.id}/rsvp",
        data={"choice": "decline", "next": "/sessions/invitations"},
    )
    assert "You declined" in flashed(client)
    assert invitation(session, author).status == "declined"
    log_in_as(client, make_user())
    assert "no invitations yet" in page_text(client.get("/sessions/invitations"))


def test_declining_frees_the_seat_and_the_next_hears_by_email(
    client, make_session, author, make_user, smtp_server
):
    waiting = make_user(name="Wil Waiting")
    session = make_session(extra=[waiting], capacity=1)
    log_in_as(client, author)
    client.submit(f"/sessions/{session.id}/rsvp", data={"choice": "accept"})
    log_in_as(client, waiting)
    client.submit(f"/sessions/{session.id}/rsvp", data={"choice": "accept"})
    jobs.run_pending()
    smtp_server.messages.clear()
    log_in_as(client, author)
    client.submit(f"/sessions/{session.id}/rsvp", data={"choice": "decline"})
    assert invitation(session, waiting).status == "accepted"
    assert seats(session) == 1
    [message] = messages_to(smtp_server, waiting)
    assert "A seat freed up" in message["Subject"]
    [decline] = rsvp_paths(message)
    assert messages_to(smtp_server, author) == []
    # The decline link in that e-mail works (the earlier links were not used).
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.submit(decline)
    assert invitation(session, waiting).status == "declined"
    assert seats(session) == 0


# -- answers by link -------------------------------------------------------------------


def test_the_emailed_accept_link_asks_then_accepts(
    client, make_session, author, smtp_server
):
    session = make_session()
    [message] = messages_to(smtp_server, author)
    accept, decline = rsvp_paths(message)
    page = client.get(accept)  # not signed in: the token is the credential
    assert page.status_code == 200
    text = page_text(page)
    assert "This invitation is for Ana Author." in text and "Yes, I will attend" in text
    assert invitation(session, author).status == "invited"  # a GET changes nothing
    response = client.submit(accept)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sessions/{session.id}"
    assert "Ana Author, you are attending" in unescape(flashed(client))
    assert invitation(session, author).status == "accepted"
    assert invitation(session, author).token_used_at is not None
    assert seats(session) == 1
    # Its sibling in the same e-mail died with it.
    assert client.get(decline).headers["Location"] == "/sessions/invitations"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_used_link_is_refused_with_a_message(
    client, make_session, author, smtp_server, method
):
    session = make_session()
    [message] = messages_to(smtp_server, author)
    accept, decline = rsvp_paths(message)
    client.submit(accept)
    client.get(f"/sessions/{session.id}")  # read the flash
    for path in (accept, decline):
        response = client.get(path) if method == "GET" else client.submit(path)
        assert response.status_code == 302
        assert response.headers["Location"] == "/sessions/invitations"
        assert "already used" in flashed(client)
        client.get("/")
    assert invitation(session, author).status == "accepted"
    assert seats(session) == 1


def test_an_expired_link_is_refused(app, client, make_session, author):
    session = make_session()
    days = app.config["RSVP_LINK_MAX_AGE"].days + 1
    with pytest.MonkeyPatch.context() as patch:
        past = int(time.time()) - days * 86400
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: past)
        token = make_rsvp_token(invitation(session, author), "accept")
    response = client.submit(f"/rsvp/{token}")
    assert response.status_code == 302
    assert "has expired" in flashed(client)
    assert invitation(session, author).status == "invited"
    # Anonymous: the invitations page asks to log in first, then shows them.
    follow = client.get(response.headers["Location"])
    assert "/login" in follow.headers["Location"]


def test_a_tampered_link_is_refused(client, make_session, author):
    session = make_session()
    token = make_rsvp_token(invitation(session, author), "accept")
    response = client.get(f"/rsvp/{token[:-2]}xx")
    assert response.status_code == 302
    assert "not valid" in flashed(client)


def test_a_link_opened_by_someone_else_signed_in_answers_for_the_invitee(
    client, make_session, author, make_user, smtp_server
):
    session = make_session()
    [message] = messages_to(smtp_server, author)
    accept, _decline = rsvp_paths(message)
    log_in_as(client, make_user(name="Bea Bystander"))
    text = page_text(client.get(accept))
    assert "This invitation is for Ana Author." in text
    assert "You are logged in as Bea Bystander" in text
    client.submit(accept)
    assert invitation(session, author).status == "accepted"


def test_a_link_after_the_start_says_answers_are_closed(client, make_session, author):
    start = utcnow() - timedelta(minutes=10)
    session = make_session(starts_at=start, now=start - timedelta(days=2))
    token = make_rsvp_token(invitation(session, author), "accept")
    text = page_text(client.get(f"/rsvp/{token}"))
    assert "already started" in text and "Yes, I will attend" not in text
    client.submit(f"/rsvp/{token}")
    assert "already started" in flashed(client)
    assert invitation(session, author).status == "invited"
    assert invitation(session, author).token_used_at is None  # the link still unused


# -- after the session -----------------------------------------------------------------


@pytest.fixture
def past_session(make_session, author, make_user):
    """A session that started an hour ago; Ana and Bob accepted, Cid declined."""
    bob, cid = make_user(name="Bob"), make_user(name="Cid")
    start = utcnow() + timedelta(minutes=30)
    session = make_session(extra=[bob, cid], starts_at=start)
    for person, choice in ((author, "accept"), (bob, "accept"), (cid, "decline")):
        respond_to_invitation(invitation(session, person), choice)
    # It happened: move it into the past.
    session = db.session.get(DesignSession, session.id)
    session.starts_at = utcnow() - timedelta(hours=1)
    session.ends_at = utcnow()
    db.session.commit()
    session.people = {"ana": author, "bob": bob, "cid": cid}
    return session


def test_official_marks_attendance(client, official, past_session):
    ana, bob = past_session.people["ana"], past_session.people["bob"]
    log_in_as(client, official)
    page = client.get(f"/sessions/{past_session.id}").get_data(as_text=True)
    assert "Who came?" in page
    ana_id = invitation(past_session, ana).id
    response = client.submit(
        f"/sessions/{past_session.id}/attendance", data={"attended": [ana_id]}
    )
    assert response.status_code == 302
    assert "Attendance is saved" in flashed(client)
    assert invitation(past_session, ana).attended is True
    assert invitation(past_session, bob).attended is False
    assert db.session.get(DesignSession, past_session.id).status == "held"
    # Someone who declined cannot be marked: the form refuses the value.
    cid_id = invitation(past_session, past_session.people["cid"]).id
    response = client.submit(
        f"/sessions/{past_session.id}/attendance", data={"attended": [cid_id]}
    )
    assert response.status_code == 200
    assert invitation(past_session, past_session.people["cid"]).attended is None


def test_outcome_is_published_on_the_session_and_idea_pages(
    client, official, past_session, idea
):
    log_in_as(client, official)
    response = client.submit(f"/sessions/{past_session.id}/outcome", data={})
    assert response.status_code == 200
    assert "Write the outcome" in response.get_data(as_text=True)
    client.submit(
        f"/sessions/{past_session.id}/outcome",
        data={"outcome": "We **agreed** on <script>x()</script> evening hours."},
    )
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    page = client.get(f"/sessions/{past_session.id}").get_data(as_text=True)
    assert "<strong>agreed</strong>" in page and "<script>x()" not in page
    idea_page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/sessions/{past_session.id}#outcome"' in idea_page


def test_before_the_start_attendance_and_outcome_are_refused(
    client, official, make_session
):
    session = make_session()
    log_in_as(client, official)
    client.submit(f"/sessions/{session.id}/outcome", data={"outcome": "Too early"})
    assert "once the session has started" in flashed(client)
    assert db.session.get(DesignSession, session.id).outcome is None


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
@pytest.mark.parametrize("action", ["attendance", "outcome", "cancel"])
def test_others_cannot_run_the_session(client, make_user, past_session, role, action):
    log_in_as(client, make_user(role))
    response = client.submit(
        f"/sessions/{past_session.id}/{action}",
        data={"outcome": "Notes", "reason": "Because", "attended": []},
    )
    assert response.status_code == 403
    session = db.session.get(DesignSession, past_session.id)
    assert session.status == "scheduled" and session.outcome is None


def test_cancel_needs_a_reason_then_tells_the_invitees(
    client, official, make_session, author, smtp_server
):
    session = make_session()
    jobs.run_pending()
    smtp_server.messages.clear()
    log_in_as(client, official)
    response = client.submit(f"/sessions/{session.id}/cancel", data={"reason": ""})
    assert response.status_code == 200
    assert "Give the reason for cancelling" in response.get_data(as_text=True)
    assert db.session.get(DesignSession, session.id).status == "scheduled"
    client.submit(
        f"/sessions/{session.id}/cancel", data={"reason": "The hall is flooded."}
    )
    assert "cancelled" in flashed(client)
    page = page_text(client.get(f"/sessions/{session.id}"))
    assert "The hall is flooded." in page and "Cancelled" in page
    [message] = messages_to(smtp_server, author)
    assert "was cancelled" in message["Subject"]


# -- blocked accounts --------------------------------------------------------------


def test_a_blocked_invitee_cannot_answer_by_link(
    client, make_session, author, official, smtp_server
):
    session = make_session()
    [message] = messages_to(smtp_server, author)
    accept, _decline = rsvp_paths(message)
    block_user(author, official, "Spam")  # officials are moderators too
    db.session.commit()
    page = client.get(accept)
    assert "This account is blocked by the moderators: Spam" in page_text(page)
    assert "Yes, I will attend" not in page_text(page)
    response = client.submit(accept)
    assert response.status_code == 302
    assert "This account is blocked by the moderators" in flashed(client)
    assert invitation(session, author).status == "invited"
    assert seats(session) == 0
