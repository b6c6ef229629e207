"""Design sessions: scheduling and invitations, seats and the waitlist, answers by
link, attendance, outcome and cancellation."""

import base64
import json
import time
from datetime import timedelta

import pytest
from flask_babel import force_locale, format_date
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ideation.audit.models import AuditLog
from ideation.auth.tokens import load_confirmation_token, make_confirmation_token
from ideation.duplicates.operations import merge_ideas
from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.notifications.models import Notification
from ideation.notifications.outbox import OutboxEmail
from ideation.sessions.answers import Answer, answer_by_link, respond_to_invitation
from ideation.sessions.closing import cancel_session, mark_attendance, publish_outcome
from ideation.sessions.models import DesignSession, Invitation, SessionIdea
from ideation.sessions.scheduling import SessionError, schedule_session
from ideation.sessions.tokens import load_rsvp_token, make_rsvp_token
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError, PermissionDenied, TokenError
from ideation.shared.roles import Role
from tests.helpers import fields

SHORTLISTED = IdeaStatus.SHORTLISTED.value


@pytest.fixture
def official(make_user):
    return make_user(Role.OFFICIAL, name="Olga Official")


@pytest.fixture
def shortlisted_idea(make_idea):
    def make(**kwargs):
        kwargs.setdefault("status", SHORTLISTED)
        return make_idea(**kwargs)

    return make


@pytest.fixture
def make_session(official, shortlisted_idea):
    """A scheduled, committed session on new shortlisted ideas (or `ideas`)."""

    def make(ideas=None, extra=(), now=None, **overrides):
        ideas = ideas if ideas is not None else [shortlisted_idea()]
        session = schedule_session(
            official, ideas, fields(**overrides), list(extra), now=now
        )
        db.session.commit()
        return session

    return make


def invitation(session, user) -> Invitation:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.session_id == session.id, Invitation.user_id == user.id
        )
    )


def invited_ids(session) -> list[int]:
    return list(
        db.session.scalars(
            select(Invitation.user_id)
            .where(Invitation.session_id == session.id)
            .order_by(Invitation.user_id)
        )
    )


def seats(session) -> int:
    db.session.expire_all()
    return db.session.get(DesignSession, session.id).seats_taken


def outbox(kind=None, to=None) -> list[OutboxEmail]:
    stmt = select(OutboxEmail).order_by(OutboxEmail.id)
    if kind:
        stmt = stmt.where(OutboxEmail.kind == kind)
    if to:
        stmt = stmt.where(OutboxEmail.to_address == to.email)
    return list(db.session.scalars(stmt))


def notifications(user, kind) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user.id, Notification.kind == kind
            )
        )
    )


def answer(session, user, choice, now=None):
    result = respond_to_invitation(invitation(session, user), choice, now=now)
    db.session.commit()
    return result


# -- scheduling ------------------------------------------------------------------------


def test_schedule_invites_authors_coauthors_and_extras_each_once(
    make_session, shortlisted_idea, make_user, make_idea, make_question
):
    question = make_question()
    author_a, author_b, coauthor, extra = (make_user() for _ in range(4))
    idea_a = shortlisted_idea(question=question, author=author_a)
    idea_b = make_idea(question=question, author=author_b, status="selected")
    merged = make_idea(question=question, author=coauthor)
    merge_ideas(merged, idea_a, make_user(Role.MODERATOR), "Same proposal.")
    db.session.commit()
    # author_b is also typed as an extra, twice; idea_a is chosen twice.
    session = make_session(
        ideas=[idea_a, idea_b, idea_a], extra=[extra, author_b, author_b]
    )
    assert invited_ids(session) == sorted(
        u.id for u in (author_a, author_b, coauthor, extra)
    )
    linked = db.session.scalars(
        select(SessionIdea.idea_id).where(SessionIdea.session_id == session.id)
    ).all()
    assert sorted(linked) == sorted([idea_a.id, idea_b.id])
    assert session.seats_taken == 0 and session.status == "scheduled"


def test_each_invitee_gets_one_notification_and_one_email_with_links(
    make_session, shortlisted_idea, make_user
):
    author, extra = make_user(), make_user(locale="pt_BR")
    session = make_session(ideas=[shortlisted_idea(author=author)], extra=[extra])
    for user in (author, extra):
        [note] = notifications(user, "session.invited")
        assert note.link == f"/sessions/{session.id}"
        assert note.emailed_at is not None  # the invitation e-mail told them
        # One e-mail each: the invitation, not also the generic notification e-mail.
        [email] = outbox(to=user)
        assert email.kind == "session_invitation"
        assert email.body_text.count("/rsvp/") == 2
    # Rendered in the recipient's language: the date at least (Babel's locale data).
    with force_locale("pt_BR"):
        date_pt = format_date(session.starts_at, "full")
    with force_locale("en"):
        date_en = format_date(session.starts_at, "full")
    assert date_pt != date_en
    assert date_pt in outbox(to=extra)[0].body_text
    assert date_en in outbox(to=author)[0].body_text


def test_unconfirmed_invitee_is_invited_in_the_app_only(
    make_session, shortlisted_idea, make_user
):
    author = make_user(confirmed=False)
    make_session(ideas=[shortlisted_idea(author=author)])
    assert len(notifications(author, "session.invited")) == 1
    assert outbox(to=author) == []


def test_schedule_is_audit_logged(make_session, official):
    session = make_session()
    entry = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "session.scheduled")
    )
    assert entry.actor_id == official.id and entry.target_id == session.id
    assert entry.details["invited"] == 1


@pytest.mark.parametrize("status", ["submitted", "under_review", "declined"])
def test_only_shortlisted_or_selected_ideas_are_refused_by_name(
    official, shortlisted_idea, make_idea, status
):
    good, bad = shortlisted_idea(), make_idea(title="Free parking", status=status)
    with pytest.raises(SessionError, match="“Free parking”") as error:
        schedule_session(official, [good, bad], fields())
    assert error.value.field == "ideas"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(DesignSession)) == 0


def test_no_idea_is_refused(official):
    with pytest.raises(SessionError, match="at least one idea"):
        schedule_session(official, [], fields())


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts_at": utcnow() - timedelta(minutes=5)}, "starts_at", "future"),
        ({"capacity": 0}, "capacity", "at least one seat"),
        ({"capacity": -3}, "capacity", "at least one seat"),
        ({"capacity": None}, "capacity", "at least one seat"),
        ({"title": "   "}, "title", "title"),
        ({"place": "", "online_url": None}, "place", "where"),
        ({"place": None, "online_url": "javascript:alert(1)"}, "online_url", "web"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_saved(
    official, shortlisted_idea, overrides, field, message
):
    with pytest.raises(SessionError, match=message) as error:
        schedule_session(official, [shortlisted_idea()], fields(**overrides))
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert outbox() == []


def test_end_before_start_is_refused(official, shortlisted_idea):
    start = utcnow() + timedelta(days=2)
    with pytest.raises(SessionError, match="end after it starts"):
        schedule_session(
            official,
            [shortlisted_idea()],
            fields(starts_at=start, ends_at=start - timedelta(hours=1)),
        )


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_schedule(make_user, shortlisted_idea, role):
    with pytest.raises(PermissionDenied):
        schedule_session(make_user(role), [shortlisted_idea()], fields())


# -- seats and the waitlist ------------------------------------------------------------


def test_accept_takes_a_seat_then_the_waitlist_when_full(make_session, make_user):
    people = [make_user() for _ in range(4)]
    session = make_session(extra=people, capacity=2)
    assert [answer(session, p, "accept") for p in people] == [
        Answer.ACCEPTED,
        Answer.ACCEPTED,
        Answer.WAITLISTED,
        Answer.WAITLISTED,
    ]
    assert seats(session) == 2
    assert invitation(session, people[2]).waitlisted_at is not None


def test_double_accept_keeps_one_seat(make_session, make_user):
    person = make_user()
    session = make_session(extra=[person], capacity=5)
    assert answer(session, person, "accept") == Answer.ACCEPTED
    assert answer(session, person, "accept") == Answer.ALREADY_ACCEPTED
    assert seats(session) == 1


def test_double_accept_on_the_waitlist_keeps_the_place(make_session, make_user):
    first, second = make_user(), make_user()
    session = make_session(extra=[first, second], capacity=1)
    answer(session, first, "accept")
    answer(session, second, "accept")
    joined = invitation(session, second).waitlisted_at
    assert answer(session, second, "accept") == Answer.ALREADY_WAITLISTED
    assert invitation(session, second).waitlisted_at == joined
    assert seats(session) == 1


def test_decline_frees_the_seat_for_the_first_in_line(make_session, make_user):
    holder, early, late = make_user(), make_user(), make_user()
    session = make_session(extra=[holder, late, early], capacity=1)
    answer(session, holder, "accept")
    # `late` was invited before `early`, but joined the waitlist after: order is
    # by the time of joining, not by invitation.
    answer(session, early, "accept")
    answer(session, late, "accept")
    assert answer(session, holder, "decline") == Answer.DECLINED
    assert invitation(session, holder).status == "declined"
    assert invitation(session, early).status == "accepted"
    assert invitation(session, early).waitlisted_at is None
    assert invitation(session, late).status == "waitlisted"
    assert seats(session) == 1
    # The promoted one hears of it in the app and by e-mail (with a decline link).
    [note] = notifications(early, "session.promoted")
    assert note.emailed_at is not None
    [email] = outbox(kind="session_seat")
    assert email.to_address == early.email and "/rsvp/" in email.body_text
    assert notifications(late, "session.promoted") == []


def test_decline_without_waitlist_frees_the_seat(make_session, make_user):
    person = make_user()
    session = make_session(extra=[person], capacity=3)
    answer(session, person, "accept")
    assert answer(session, person, "decline") == Answer.DECLINED
    assert seats(session) == 0
    assert answer(session, person, "decline") == Answer.ALREADY_DECLINED


def test_leaving_the_waitlist_frees_no_seat(make_session, make_user):
    holder, waiting, last = make_user(), make_user(), make_user()
    session = make_session(extra=[holder, waiting, last], capacity=1)
    for person in (holder, waiting, last):
        answer(session, person, "accept")
    assert answer(session, waiting, "decline") == Answer.DECLINED
    assert seats(session) == 1
    assert invitation(session, holder).status == "accepted"
    # The next freed seat skips the one who left.
    answer(session, holder, "decline")
    assert invitation(session, last).status == "accepted"
    assert invitation(session, waiting).status == "declined"


def test_declined_can_accept_again_while_seats_are_free(make_session, make_user):
    person = make_user()
    session = make_session(extra=[person], capacity=1)
    answer(session, person, "decline")
    assert answer(session, person, "accept") == Answer.ACCEPTED
    assert seats(session) == 1


def test_the_schema_refuses_overbooking(make_session):
    session = make_session(capacity=1)
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(DesignSession)
            .where(DesignSession.id == session.id)
            .values(seats_taken=2)
        )
    db.session.rollback()


def test_answers_close_when_the_session_starts(make_session, make_user):
    person = make_user()
    session = make_session(extra=[person])
    later = session.starts_at + timedelta(minutes=1)
    with pytest.raises(DomainError, match="already started"):
        respond_to_invitation(invitation(session, person), "accept", now=later)


def test_unknown_choice_is_refused(make_session, make_user):
    person = make_user()
    session = make_session(extra=[person])
    with pytest.raises(DomainError, match="accept or to decline"):
        respond_to_invitation(invitation(session, person), "maybe")


# -- answer links ----------------------------------------------------------------------


@pytest.fixture
def made_days_ago():
    """Make a token as if signed `days` ago (itsdangerous reads the clock)."""

    def make(days, invitation, choice):
        past = int(time.time() - days * 86400)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(TimestampSigner, "get_timestamp", lambda self: past)
            return make_rsvp_token(invitation, choice)

    return make


def test_token_names_invitation_and_choice(make_session, make_user):
    person = make_user()
    invite = invitation(make_session(extra=[person]), person)
    assert load_rsvp_token(make_rsvp_token(invite, "decline")) == (invite, "decline")


def test_token_expires(app, make_session, make_user, made_days_ago):
    person = make_user()
    invite = invitation(make_session(extra=[person]), person)
    days = app.config["RSVP_LINK_MAX_AGE"] / timedelta(days=1)
    assert load_rsvp_token(made_days_ago(days - 0.1, invite, "accept"))[0] == invite
    with pytest.raises(TokenError, match="expired"):
        load_rsvp_token(made_days_ago(days + 0.1, invite, "accept"))


def test_token_is_single_use_with_its_sibling(make_session, make_user):
    person = make_user()
    invite = invitation(make_session(extra=[person]), person)
    accept, decline = (
        make_rsvp_token(invite, "accept"),
        make_rsvp_token(invite, "decline"),
    )
    found, choice = load_rsvp_token(accept)
    assert answer_by_link(found, choice) == Answer.ACCEPTED
    db.session.commit()
    for token in (accept, decline):
        with pytest.raises(TokenError, match="already used"):
            load_rsvp_token(token)
    # A link made after the use (the "seat freed up" e-mail) works.
    assert load_rsvp_token(make_rsvp_token(invite, "decline"))[1] == "decline"


def test_the_same_link_twice_at_once_answers_once(make_session, make_user):
    """Both requests checked the token before either used it: one wins."""
    person = make_user()
    invite = invitation(make_session(extra=[person]), person)
    found, choice = load_rsvp_token(make_rsvp_token(invite, "accept"))
    assert answer_by_link(found, choice) == Answer.ACCEPTED
    db.session.commit()
    # The other request still holds the invitation as it was before the use.
    set_committed_value(found, "token_used_at", None)
    with pytest.raises(TokenError, match="already used"):
        answer_by_link(found, choice)
    db.session.rollback()
    assert seats(invite.session) == 1


def test_tampered_token_is_refused(make_session, make_user):
    victim, attacker = make_user(), make_user()
    session = make_session(extra=[victim, attacker])
    token = make_rsvp_token(invitation(session, attacker), "accept")
    head, rest = token.split(".", 1)
    payload = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    payload["invitation"] = invitation(session, victim).id
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=")
    with pytest.raises(TokenError, match="not valid"):
        load_rsvp_token(forged.decode() + "." + rest)


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_broken_token_is_refused(app, token):
    with pytest.raises(TokenError, match="not valid"):
        load_rsvp_token(token)


def test_tokens_of_other_purposes_are_refused(app, make_session, make_user):
    person = make_user()
    invite = invitation(make_session(extra=[person]), person)
    with pytest.raises(TokenError, match="not valid"):
        load_rsvp_token(make_confirmation_token(person))
    with pytest.raises(TokenError):
        load_confirmation_token(make_rsvp_token(invite, "accept"))
    # Same key, no salt of ours: refused too.
    unsalted = URLSafeTimedSerializer(app.secret_key).dumps(
        {"invitation": invite.id, "choice": "accept", "used": ""}
    )
    with pytest.raises(TokenError, match="not valid"):
        load_rsvp_token(unsalted)


# -- after the session, or instead of it -----------------------------------------------


def test_attendance_is_marked_for_seat_holders(make_session, make_user, official):
    came, absent, declined = make_user(), make_user(), make_user()
    start = utcnow() + timedelta(hours=1)
    session = make_session(extra=[came, absent, declined], starts_at=start)
    for person in (came, absent):
        answer(session, person, "accept")
    answer(session, declined, "decline")
    later = start + timedelta(hours=3)
    with pytest.raises(DomainError, match="once the session has started"):
        mark_attendance(session, official, [invitation(session, came).id])
    db.session.rollback()
    with pytest.raises(DomainError, match="only for people who accepted"):
        mark_attendance(
            session, official, [invitation(session, declined).id], now=later
        )
    db.session.rollback()
    mark_attendance(session, official, [invitation(session, came).id], now=later)
    db.session.commit()
    assert invitation(session, came).attended is True
    assert invitation(session, absent).attended is False
    assert invitation(session, declined).attended is None
    assert db.session.get(DesignSession, session.id).status == "held"


def test_outcome_is_published_once_and_attendees_hear(
    make_session, make_user, official
):
    person = make_user()
    start = utcnow() + timedelta(hours=1)
    session = make_session(extra=[person], starts_at=start)
    answer(session, person, "accept")
    later = start + timedelta(hours=3)
    with pytest.raises(DomainError, match="once the session has started"):
        publish_outcome(session, official, "Decided things.")
    db.session.rollback()
    with pytest.raises(DomainError, match="Write the outcome"):
        publish_outcome(session, official, "  ", now=later)
    db.session.rollback()
    publish_outcome(session, official, "We **agreed** on evening hours.", now=later)
    db.session.commit()
    published = db.session.get(DesignSession, session.id).outcome_published_at
    assert published == later
    publish_outcome(session, official, "Corrected notes.", now=later + timedelta(1))
    db.session.commit()
    session = db.session.get(DesignSession, session.id)
    assert session.outcome == "Corrected notes." and session.status == "held"
    assert session.outcome_published_at == published
    assert len(notifications(person, "session.outcome")) == 1


def test_cancel_needs_a_reason_notifies_and_closes_answers(
    make_session, make_user, official
):
    accepted, silent, declined = make_user(), make_user(), make_user()
    session = make_session(extra=[accepted, silent, declined])
    answer(session, accepted, "accept")
    answer(session, declined, "decline")
    with pytest.raises(DomainError, match="reason"):
        cancel_session(session, official, "  ")
    db.session.rollback()
    cancel_session(session, official, "The building is closed for repairs.")
    db.session.commit()
    for person in (accepted, silent):
        assert len(notifications(person, "session.cancelled")) == 1
    assert notifications(declined, "session.cancelled") == []
    with pytest.raises(DomainError, match="cancelled"):
        respond_to_invitation(invitation(session, silent), "accept")
    with pytest.raises(DomainError, match="already cancelled"):
        cancel_session(session, official, "Twice.")
    entry = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "session.cancelled")
    )
    assert entry.actor_id == official.id
    assert entry.reason == "The building is closed for repairs."


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_run_the_session(make_session, make_user, role):
    session = make_session()
    someone = make_user(role)
    for run in (
        lambda: mark_attendance(session, someone, []),
        lambda: publish_outcome(session, someone, "Notes"),
        lambda: cancel_session(session, someone, "Reason"),
    ):
        with pytest.raises(PermissionDenied):
            run()
