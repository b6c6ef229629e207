"""Writes of design sessions. They flush, notify and log, never commit.

Seats are counted in design_sessions.seats_taken, which a CHECK keeps within the
capacity. Every change of an answer is a conditional UPDATE (`... WHERE status IN
(...)`), so two requests for the same invitation cannot both take a seat, and a
seat is taken by one statement that cannot overbook (take_seat); both hold on
PostgreSQL under concurrent requests and on SQLite, whose writers take turns.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.duplicates.queries import coauthors
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.notifications.email import queue_email
from ideation.notifications.messages import MESSAGES
from ideation.notifications.models import Notification
from ideation.notifications.operations import notify
from ideation.sessions.models import (
    DesignSession,
    Invitation,
    InvitationStatus,
    SessionIdea,
    SessionStatus,
)
from ideation.sessions.queries import ELIGIBLE_STATUSES
from ideation.sessions.tokens import make_rsvp_token
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError, PermissionDenied, TokenError
from ideation.shared.roles import Role
from ideation.shared.web import link_for, public_url_for

ACCEPT, DECLINE = "accept", "decline"
_ACCEPTED = InvitationStatus.ACCEPTED.value
_DECLINED = InvitationStatus.DECLINED.value
_INVITED = InvitationStatus.INVITED.value
_WAITLISTED = InvitationStatus.WAITLISTED.value


class SessionError(DomainError):
    """A refused schedule; `field` names the form field the message is about."""


class Answer(enum.StrEnum):
    """What answering an invitation did."""

    ACCEPTED = "accepted"
    ALREADY_ACCEPTED = "already_accepted"
    WAITLISTED = "waitlisted"
    ALREADY_WAITLISTED = "already_waitlisted"
    DECLINED = "declined"
    ALREADY_DECLINED = "already_declined"


@dataclass(frozen=True)
class SessionFields:
    """What an official types to schedule a session (times aware, in UTC)."""

    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    capacity: int | None
    agenda: str = ""
    place: str | None = None
    online_url: str | None = None


# -- scheduling ------------------------------------------------------------------------


def schedule_session(
    actor: User,
    ideas: Iterable[Idea],
    fields: SessionFields,
    extra_users: Iterable[User] = (),
    now: datetime | None = None,
) -> DesignSession:
    """Schedule a session on shortlisted or selected ideas and invite, each once,
    their authors and co-authors and `extra_users`, in the app and by e-mail."""
    _ensure_official(actor)
    now = now or utcnow()
    ideas = list({idea.id: idea for idea in ideas}.values())
    check_ideas(ideas)
    check_fields(fields, now)
    session = DesignSession(
        title=fields.title.strip(),
        agenda=fields.agenda or "",
        starts_at=fields.starts_at,
        ends_at=fields.ends_at,
        place=(fields.place or "").strip() or None,
        online_url=(fields.online_url or "").strip() or None,
        capacity=fields.capacity,
        seats_taken=0,
        status=SessionStatus.SCHEDULED.value,
        created_by=actor,
        created_at=now,
    )
    db.session.add(session)
    db.session.flush()
    db.session.add_all(SessionIdea(session_id=session.id, idea_id=i.id) for i in ideas)
    invitations = [
        Invitation(session=session, user=user, created_at=now)
        for user in invitees(ideas, extra_users)
    ]
    db.session.add_all(invitations)
    db.session.flush()
    _announce(session, invitations, ideas)
    record_action(
        actor,
        "session.scheduled",
        session,
        ideas=[idea.id for idea in ideas],
        invited=len(invitations),
        capacity=session.capacity,
    )
    return session


def check_ideas(ideas: list[Idea]) -> None:
    """Raise SessionError unless there are ideas and all are shortlisted or selected."""
    if not ideas:
        raise SessionError(_("Choose at least one idea for the session."), "ideas")
    refused = [idea for idea in ideas if idea.status not in ELIGIBLE_STATUSES]
    if refused:
        raise SessionError(
            _(
                "Design sessions are for shortlisted or selected ideas only. Not "
                "eligible: %(titles)s.",
                titles=", ".join(f"“{idea.title}”" for idea in refused),
            ),
            "ideas",
        )


def check_fields(fields: SessionFields, now: datetime) -> None:
    """Raise SessionError (naming the field) when a value is missing or wrong."""
    config = current_app.config
    if not fields.title or not fields.title.strip():
        raise SessionError(_("Give the session a title."), "title")
    if len(fields.title.strip()) > config["SESSION_TITLE_MAX"]:
        raise SessionError(
            _("Use at most %(max)d characters.", max=config["SESSION_TITLE_MAX"]),
            "title",
        )
    if len(fields.agenda or "") > config["SESSION_AGENDA_MAX"]:
        raise SessionError(
            _("Use at most %(max)d characters.", max=config["SESSION_AGENDA_MAX"]),
            "agenda",
        )
    if fields.starts_at is None:
        raise SessionError(_("Give the date and time the session starts."), "starts_at")
    if fields.starts_at <= now:
        raise SessionError(_("The session must start in the future."), "starts_at")
    if fields.ends_at is None:
        raise SessionError(_("Give the date and time the session ends."), "ends_at")
    if fields.ends_at <= fields.starts_at:
        raise SessionError(_("The session must end after it starts."), "ends_at")
    if fields.capacity is None or fields.capacity < 1:
        raise SessionError(_("Offer at least one seat."), "capacity")
    if fields.capacity > config["SESSION_CAPACITY_MAX"]:
        raise SessionError(
            _("Offer at most %(max)d seats.", max=config["SESSION_CAPACITY_MAX"]),
            "capacity",
        )
    if not (fields.place or "").strip() and not (fields.online_url or "").strip():
        raise SessionError(
            _("Say where the session takes place, or give its online link."), "place"
        )
    url = (fields.online_url or "").strip()
    if url and not url.lower().startswith(("https://", "http://")):
        raise SessionError(
            _("The online link must be a web address (https://…)."), "online_url"
        )


def invitees(ideas: Iterable[Idea], extra_users: Iterable[User] = ()) -> list[User]:
    """The authors and co-authors of the ideas, then `extra_users`; each once."""
    people: dict[int, User] = {}
    for idea in ideas:
        people.setdefault(idea.author_id, idea.author)
        for coauthor in coauthors(idea):
            people.setdefault(coauthor.id, coauthor)
    for user in extra_users:
        people.setdefault(user.id, user)
    return list(people.values())


def _announce(session, invitations: list[Invitation], ideas: list[Idea]) -> None:
    """Each invitee hears of the invitation in the app and by e-mail (with links)."""
    emailed = []
    for invitation in invitations:
        if _emailable(invitation.user):
            _email_invitation(invitation, ideas)
            emailed.append(invitation.user_id)
    notify_in_app(
        [i.user_id for i in invitations],
        "session.invited",
        link_for("sessions.show", session_id=session.id),
        emailed=emailed,
        title=session.title,
    )


def _emailable(user: User) -> bool:
    # An unconfirmed address may be a typo, i.e. someone else's mailbox: the links
    # in these e-mails answer for the account, so they go to confirmed ones only.
    return user.email_confirmed_at is not None


def _email_invitation(invitation: Invitation, ideas: list[Idea]) -> None:
    session = invitation.session
    queue_email(
        invitation.user,
        "session_invitation",
        _l("Invitation to the design session “%(title)s”", title=session.title),
        "session_invitation",
        session=session,
        ideas=ideas,
        accept_url=_rsvp_url(invitation, ACCEPT),
        decline_url=_rsvp_url(invitation, DECLINE),
        **_mail_links(session),
    )


def _rsvp_url(invitation: Invitation, choice: str) -> str:
    token = make_rsvp_token(invitation, choice)
    return public_url_for("sessions.rsvp_link", token=token)


def _mail_links(session: DesignSession) -> dict:
    return {
        "session_url": public_url_for("sessions.show", session_id=session.id),
        "calendar_url": public_url_for("sessions.calendar", session_id=session.id),
        "invitations_url": public_url_for("sessions.invitations"),
        "max_age": current_app.config["RSVP_LINK_MAX_AGE"],
        "format_timedelta": format_timedelta,
    }


def notify_in_app(
    user_ids: list[int], kind: str, link: str, *, emailed: Iterable[int], **params
) -> None:
    """In-app notifications for news that comes with its own e-mail.

    notify() would also e-mail everyone who chose "at once", a second e-mail beside
    the one with the answer links; so these rows are written here, and marked as
    e-mailed for those who got ours, so that no daily digest repeats them either.
    """
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not user_ids:
        return
    now, emailed = utcnow(), set(emailed)
    db.session.execute(
        insert(Notification),
        [
            {
                "user_id": user_id,
                "kind": kind,
                "params": params,
                "link": link,
                "created_at": now,
                "emailed_at": now if user_id in emailed else None,
            }
            for user_id in dict.fromkeys(user_ids)
        ],
    )


# -- answers ---------------------------------------------------------------------------


def answers_closed_reason(session: DesignSession, now: datetime | None = None):
    """Why the session takes no more answers, or None while it does."""
    if session.is_cancelled:
        return _("This session was cancelled: it takes no more answers.")
    if not session.is_scheduled or session.has_started(now):
        return _("This session has already started: it takes no more answers.")
    return None


def respond_to_invitation(
    invitation: Invitation, choice: str, now: datetime | None = None
) -> Answer:
    """Accept (a seat, or the waitlist when full) or decline (freeing a seat)."""
    now = now or utcnow()
    reason = answers_closed_reason(invitation.session, now)
    if reason:
        raise DomainError(reason)
    if choice == ACCEPT:
        return _accept(invitation, now)
    if choice == DECLINE:
        return _decline(invitation, now)
    raise DomainError(_("Choose to accept or to decline the invitation."))


def answer_by_link(
    invitation: Invitation, choice: str, now: datetime | None = None
) -> Answer:
    """Answer through an e-mailed link, which this uses up (with its siblings).

    `invitation` is as load_rsvp_token found it: its token_used_at is the one the
    token carried, and only one request can move it on.
    """
    now = now or utcnow()
    reason = answers_closed_reason(invitation.session, now)
    if reason:
        raise DomainError(reason)
    previous = invitation.token_used_at
    same_mark = (
        Invitation.token_used_at.is_(None)
        if previous is None
        else Invitation.token_used_at == previous
    )
    used = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, same_mark)
        .values(token_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise TokenError(
            _(
                "This invitation link was already used. To change your answer, log "
                "in and answer on the session's page."
            )
        )
    db.session.expire(invitation)
    return respond_to_invitation(invitation, choice, now)


def _move(invitation: Invitation, from_: tuple[str, ...], **values) -> bool:
    """Change the invitation only if its status is still one of `from_`."""
    result = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.in_(from_))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(invitation)
    return result.rowcount == 1


def take_seat(session: DesignSession) -> bool:
    """Take one seat if one is free: one statement, so it can never overbook."""
    result = db.session.execute(
        update(DesignSession)
        .where(
            DesignSession.id == session.id,
            DesignSession.status == SessionStatus.SCHEDULED.value,
            DesignSession.seats_taken < DesignSession.capacity,
        )
        .values(seats_taken=DesignSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(session, ["seats_taken", "status"])
    return result.rowcount == 1


def free_seat(session: DesignSession) -> None:
    """Give back one seat."""
    db.session.execute(
        update(DesignSession)
        .where(DesignSession.id == session.id, DesignSession.seats_taken > 0)
        .values(seats_taken=DesignSession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(session, ["seats_taken"])


def _accept(invitation: Invitation, now: datetime) -> Answer:
    if not _move(
        invitation,
        (_INVITED, _DECLINED),
        status=_ACCEPTED,
        responded_at=now,
        waitlisted_at=None,
    ):
        if invitation.is_accepted:
            return Answer.ALREADY_ACCEPTED
        if invitation.is_waitlisted:
            return Answer.ALREADY_WAITLISTED
        raise DomainError(_("Your answer changed meanwhile. Please try again."))
    if take_seat(invitation.session):
        return Answer.ACCEPTED
    if not invitation.session.is_scheduled:  # cancelled at this very moment
        raise DomainError(answers_closed_reason(invitation.session, now))
    _move(invitation, (_ACCEPTED,), status=_WAITLISTED, waitlisted_at=now)
    return Answer.WAITLISTED


def _decline(invitation: Invitation, now: datetime) -> Answer:
    values = {"status": _DECLINED, "responded_at": now, "waitlisted_at": None}
    if _move(invitation, (_ACCEPTED,), **values):
        free_seat(invitation.session)
        promote_next(invitation.session, now)
        return Answer.DECLINED
    if _move(invitation, (_INVITED, _WAITLISTED), **values):
        return Answer.DECLINED
    if invitation.status == _DECLINED:
        return Answer.ALREADY_DECLINED
    raise DomainError(_("Your answer changed meanwhile. Please try again."))


def promote_next(session: DesignSession, now: datetime | None = None):
    """Give a free seat to the first on the waitlist, and tell them; who, or None."""
    stmt = (
        select(Invitation)
        .where(Invitation.session_id == session.id, Invitation.status == _WAITLISTED)
        .order_by(Invitation.waitlisted_at, Invitation.id)
        .limit(1)
        # Someone on the waitlist who is answering right now is skipped, not
        # waited for: the next one gets the seat.
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    invitation = db.session.scalars(stmt).first()
    if invitation is None or not take_seat(session):
        return None
    if not _move(invitation, (_WAITLISTED,), status=_ACCEPTED, waitlisted_at=None):
        free_seat(session)  # they left the waitlist meanwhile (SQLite only)
        return None
    emailed = []
    if _emailable(invitation.user):
        queue_email(
            invitation.user,
            "session_seat",
            _l("A seat freed up: you are in “%(title)s”", title=session.title),
            "session_seat",
            session=session,
            decline_url=_rsvp_url(invitation, DECLINE),
            **_mail_links(session),
        )
        emailed.append(invitation.user_id)
    notify_in_app(
        [invitation.user_id],
        "session.promoted",
        link_for("sessions.show", session_id=session.id),
        emailed=emailed,
        title=session.title,
    )
    return invitation


# -- after the session, or instead of it -----------------------------------------------


def mark_attendance(
    session: DesignSession,
    actor: User,
    attended_ids: Iterable[int],
    now: datetime | None = None,
) -> None:
    """Record who of those holding a seat came; the session is then held."""
    _ensure_official(actor)
    session = _lock(session)
    _ensure_after_start(session, now)
    attended = set(attended_ids)
    seats = db.session.scalars(
        select(Invitation).where(
            Invitation.session_id == session.id, Invitation.status == _ACCEPTED
        )
    ).all()
    if attended - {invitation.id for invitation in seats}:
        raise DomainError(_("Mark attendance only for people who accepted."))
    for invitation in seats:
        invitation.attended = invitation.id in attended
    session.status = SessionStatus.HELD.value
    db.session.flush()
    record_action(
        actor,
        "session.attendance",
        session,
        attended=len(attended),
        absent=len(seats) - len(attended),
    )


def publish_outcome(
    session: DesignSession, actor: User, outcome: str, now: datetime | None = None
) -> None:
    """Publish (or correct) the outcome notes; those who attended hear of it once."""
    _ensure_official(actor)
    now = now or utcnow()
    session = _lock(session)
    _ensure_after_start(session, now)
    if not outcome or not outcome.strip():
        raise DomainError(_("Write the outcome: what was decided, what comes next."))
    limit = current_app.config["SESSION_OUTCOME_MAX"]
    if len(outcome) > limit:
        raise DomainError(_("Use at most %(max)d characters.", max=limit))
    first = session.outcome_published_at is None
    session.outcome = outcome
    session.status = SessionStatus.HELD.value
    if first:
        session.outcome_published_at = now
    db.session.flush()
    record_action(
        actor,
        "session.outcome_published" if first else "session.outcome_edited",
        session,
    )
    if first:
        notify(
            [i.user_id for i in _invitations(session, (_ACCEPTED,))],
            "session.outcome",
            link_for("sessions.show", session_id=session.id),
            exclude=[actor],
            title=session.title,
        )


def cancel_session(
    session: DesignSession, actor: User, reason: str, now: datetime | None = None
) -> None:
    """Cancel a scheduled session, with a reason; everyone still concerned hears."""
    _ensure_official(actor)
    now = now or utcnow()
    session = _lock(session)
    if session.is_cancelled:
        raise DomainError(_("This session is already cancelled."))
    if not session.is_scheduled:
        raise DomainError(_("This session was held: it can no longer be cancelled."))
    if not reason or not reason.strip():
        raise DomainError(_("Give the reason for cancelling: invitees will read it."))
    session.status = SessionStatus.CANCELLED.value
    session.cancelled_at = now
    session.cancel_reason = reason.strip()
    db.session.flush()
    record_action(actor, "session.cancelled", session, reason=session.cancel_reason)
    notify(
        [i.user_id for i in _invitations(session, (_INVITED, _ACCEPTED, _WAITLISTED))],
        "session.cancelled",
        link_for("sessions.show", session_id=session.id),
        exclude=[actor],
        title=session.title,
    )


def _invitations(session: DesignSession, statuses) -> list[Invitation]:
    stmt = (
        select(Invitation)
        .where(Invitation.session_id == session.id, Invitation.status.in_(statuses))
        .order_by(Invitation.id)
    )
    return list(db.session.scalars(stmt))


def _ensure_after_start(session: DesignSession, now: datetime | None) -> None:
    if session.is_cancelled:
        raise DomainError(_("This session was cancelled."))
    if not session.has_started(now):
        raise DomainError(
            _("Attendance and outcome can be recorded once the session has started.")
        )


def _ensure_official(user: User) -> None:
    if not user.has_role(Role.OFFICIAL):
        raise PermissionDenied(_("Only officials can run design sessions."))


def _lock(session: DesignSession) -> DesignSession:
    """Lock the session's row until commit, so officials' changes never interleave."""
    stmt = (
        select(DesignSession)
        .where(DesignSession.id == session.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()
