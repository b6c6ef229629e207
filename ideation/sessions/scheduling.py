"""Scheduling a design session: the checks, then the session and its invitations.

Like every operation it flushes, notifies and logs, never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.sessions.invitations import announce, invitees
from ideation.sessions.models import (
    DesignSession,
    Invitation,
    SessionIdea,
    SessionStatus,
)
from ideation.sessions.queries import ELIGIBLE_STATUSES
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role, ensure_role


class SessionError(DomainError):
    """A refused schedule; `field` names the form field the message is about."""


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


def schedule_session(
    actor: User,
    ideas: Iterable[Idea],
    fields: SessionFields,
    extra_users: Iterable[User] = (),
    now: datetime | None = None,
    any_status: bool = False,
) -> DesignSession:
    """Schedule a session on shortlisted or selected ideas and invite, each once,
    their authors and co-authors and `extra_users`, in the app and by e-mail.

    `any_status`: the ideas may have any status (the meeting with the governor of
    a consultation cycle, whose ideas were chosen by the vote on proposals).
    """
    ensure_role(actor, Role.OFFICIAL, _l("Only officials can run design sessions."))
    now = now or utcnow()
    ideas = list({idea.id: idea for idea in ideas}.values())
    if not any_status:
        check_ideas(ideas)
    elif not ideas:
        raise SessionError(_("Choose at least one idea for the session."), "ideas")
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
        status=SessionStatus.SCHEDULED,
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
    announce(session, invitations, ideas)
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
