"""Who is invited to a session, and how invitees hear: in the app, and by e-mails
whose links answer the invitation. They flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert

from ideation.auth.models import User
from ideation.duplicates.queries import coauthors
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.notifications.email import queue_email
from ideation.notifications.messages import MESSAGES
from ideation.notifications.models import Notification
from ideation.sessions.models import DesignSession, Invitation
from ideation.sessions.tokens import make_rsvp_token
from ideation.shared.db import utcnow
from ideation.shared.web import link_for, public_url_for

# The two answers to an invitation: the RSVP form's choices and the e-mailed links'.
ACCEPT, DECLINE = "accept", "decline"


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


def announce(
    session: DesignSession, invitations: list[Invitation], ideas: list[Idea]
) -> None:
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


def announce_seat(session: DesignSession, invitation: Invitation) -> None:
    """Tell someone taken off the waitlist that they now hold a seat."""
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
