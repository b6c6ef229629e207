"""Reads of design sessions: pages, lists, who may see what, the calendar event."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import format_date, format_time, get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus
from ideation.questions.models import Question
from ideation.sessions.ics import CalendarEvent
from ideation.sessions.models import (
    DesignSession,
    Invitation,
    InvitationStatus,
    SessionIdea,
)
from ideation.shared.db import utcnow
from ideation.shared.personal_data import iso, rows_of
from ideation.shared.roles import Role
from ideation.shared.web import public_url_for

# The ideas a session may be scheduled for.
ELIGIBLE_STATUSES = (IdeaStatus.SHORTLISTED.value, IdeaStatus.SELECTED.value)

STATUS_LABELS = {
    "scheduled": _l("Scheduled"),
    "cancelled": _l("Cancelled"),
    "held": _l("Held"),
}
ANSWER_LABELS = {
    InvitationStatus.INVITED.value: _l("Not answered yet"),
    InvitationStatus.ACCEPTED.value: _l("Attending"),
    InvitationStatus.DECLINED.value: _l("Declined"),
    InvitationStatus.WAITLISTED.value: _l("On the waitlist"),
}

# Officials read the invitations in this order: seats, waitlist, silence, noes.
_STATUS_ORDER = case(
    {
        InvitationStatus.ACCEPTED.value: 0,
        InvitationStatus.WAITLISTED.value: 1,
        InvitationStatus.INVITED.value: 2,
        InvitationStatus.DECLINED.value: 3,
    },
    value=Invitation.status,
)


def get_session_or_404(session_id: int) -> DesignSession:
    """The session, or 404."""
    return db.get_or_404(DesignSession, session_id)


def is_official(user) -> bool:
    """Whether `user` (maybe anonymous) organizes sessions."""
    return bool(user and user.is_authenticated and user.has_role(Role.OFFICIAL))


def invitation_of(session: DesignSession, user) -> Invitation | None:
    """`user`'s invitation to `session`, if they have one (None when anonymous)."""
    if not (user and user.is_authenticated):
        return None
    return db.session.scalar(
        select(Invitation).where(
            Invitation.session_id == session.id, Invitation.user_id == user.id
        )
    )


def session_invitations(session: DesignSession) -> list[Invitation]:
    """Every invitation: attending, then the waitlist in order, unanswered, declined."""
    stmt = (
        select(Invitation)
        .where(Invitation.session_id == session.id)
        .options(joinedload(Invitation.user))
        .order_by(_STATUS_ORDER, Invitation.waitlisted_at, Invitation.id)
    )
    return list(db.session.scalars(stmt))


def accepted_invitations(session: DesignSession) -> list[Invitation]:
    """The invitations holding a seat, by name."""
    stmt = (
        select(Invitation)
        .join(User, User.id == Invitation.user_id)
        .where(
            Invitation.session_id == session.id,
            Invitation.status == InvitationStatus.ACCEPTED.value,
        )
        .options(joinedload(Invitation.user))
        .order_by(User.display_name, Invitation.id)
    )
    return list(db.session.scalars(stmt))


def waitlist_position(invitation: Invitation) -> int | None:
    """1 for the next in line; None when the invitation is not waitlisted."""
    if not invitation.is_waitlisted:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.session_id == invitation.session_id,
            Invitation.status == InvitationStatus.WAITLISTED.value,
            (Invitation.waitlisted_at < invitation.waitlisted_at)
            | (
                (Invitation.waitlisted_at == invitation.waitlisted_at)
                & (Invitation.id < invitation.id)
            ),
        )
    )
    return ahead + 1


def visible_ideas(session: DesignSession, viewer) -> list[Idea]:
    """The session's ideas; ideas hidden by the moderators only for moderators."""
    moderator = bool(viewer and viewer.is_authenticated)
    moderator = moderator and viewer.has_role(Role.MODERATOR)
    return [idea for idea in session.ideas if moderator or idea.hidden_at is None]


@dataclass
class SessionPage:
    """What one visitor sees of a session and may do with it."""

    session: DesignSession
    ideas: list[Idea]
    invitation: Invitation | None = None
    official: bool = False
    waitlist_position: int | None = None
    attendees: list[Invitation] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)

    @property
    def may_see_details(self) -> bool:
        """Place, link and attendees: for the invitees and officials only."""
        return self.official or self.invitation is not None


def session_page(session: DesignSession, viewer) -> SessionPage:
    """The session page as `viewer` (maybe anonymous) may see it."""
    page = SessionPage(
        session=session,
        ideas=visible_ideas(session, viewer),
        invitation=invitation_of(session, viewer),
        official=is_official(viewer),
    )
    if page.invitation is not None:
        page.waitlist_position = waitlist_position(page.invitation)
    if page.may_see_details:
        page.attendees = accepted_invitations(session)
    if page.official:
        page.invitations = session_invitations(session)
    return page


def sessions_page(page: int):
    """Every session for the officials' list, the latest start first."""
    stmt = select(DesignSession).order_by(
        DesignSession.starts_at.desc(), DesignSession.id.desc()
    )
    return db.paginate(
        stmt, page=page, per_page=current_app.config["SESSIONS_PER_PAGE"]
    )


def answer_counts(sessions: list[DesignSession]) -> dict[int, dict[str, int]]:
    """For each session id, how many invitations are in each status."""
    counts: dict[int, dict[str, int]] = {s.id: {} for s in sessions}
    if not sessions:
        return counts
    rows = db.session.execute(
        select(Invitation.session_id, Invitation.status, func.count())
        .where(Invitation.session_id.in_(list(counts)))
        .group_by(Invitation.session_id, Invitation.status)
    )
    for session_id, status, count in rows:
        counts[session_id][status] = count
    return counts


def invitations_of(user: User) -> list[Invitation]:
    """`user`'s invitations: sessions still ahead first (soonest first), then past."""
    stmt = (
        select(Invitation)
        .join(DesignSession, DesignSession.id == Invitation.session_id)
        .where(Invitation.user_id == user.id)
        .options(joinedload(Invitation.session))
        .order_by(DesignSession.starts_at.desc(), Invitation.id)
    )
    invitations = list(db.session.scalars(stmt))
    now = utcnow()
    ahead = [i for i in invitations if i.session.ends_at > now]
    past = [i for i in invitations if i.session.ends_at <= now]
    return ahead[::-1] + past


def eligible_ideas(question_id: int | None = None) -> list[Idea]:
    """Shortlisted and selected ideas (of one question), by question then title."""
    stmt = (
        select(Idea)
        .join(Question, Question.id == Idea.question_id)
        .where(Idea.status.in_(ELIGIBLE_STATUSES), Idea.hidden_at.is_(None))
        .options(joinedload(Idea.question), joinedload(Idea.author))
        .order_by(Question.created_at.desc(), Question.id, Idea.title, Idea.id)
    )
    if question_id is not None:
        stmt = stmt.where(Idea.question_id == question_id)
    return list(db.session.scalars(stmt))


def schedule_choices(asked_ids: list[int], question_id: int | None) -> list[Idea]:
    """The ideas the schedule form offers: the eligible ones, plus those asked for.

    An idea asked for by id stays on offer even when not eligible, so that choosing
    it gets a message that names it rather than a silent omission.
    """
    offered = eligible_ideas(question_id)
    known = {idea.id for idea in offered}
    missing = [idea_id for idea_id in dict.fromkeys(asked_ids) if idea_id not in known]
    if missing:
        offered += db.session.scalars(
            select(Idea)
            .where(Idea.id.in_(missing))
            .options(joinedload(Idea.question))
            .order_by(Idea.id)
        ).all()
    return offered


def users_by_emails(emails: list[str]) -> tuple[list[User], list[str]]:
    """The accounts with these addresses (in the order given), and unknown ones."""
    wanted = list(dict.fromkeys(address.strip().lower() for address in emails))
    wanted = [address for address in wanted if address]
    found = {
        user.email: user
        for user in db.session.scalars(select(User).where(User.email.in_(wanted)))
    }
    return (
        [found[address] for address in wanted if address in found],
        [address for address in wanted if address not in found],
    )


def split_addresses(text: str | None) -> list[str]:
    """Addresses typed one per line, or separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def sessions_with_outcome(idea: Idea) -> list[DesignSession]:
    """The sessions on `idea` whose outcome is published, the latest first."""
    stmt = (
        select(DesignSession)
        .join(SessionIdea, SessionIdea.session_id == DesignSession.id)
        .where(
            SessionIdea.idea_id == idea.id,
            DesignSession.outcome_published_at.is_not(None),
        )
        .order_by(DesignSession.starts_at.desc(), DesignSession.id.desc())
    )
    return list(db.session.scalars(stmt))


def time_range(session: DesignSession) -> str:
    """When, in the reader's language and the site's time zone.

    "Friday, April 3, 2026, 2:00 PM – 4:00 PM (America/Sao_Paulo)".
    """
    zone = get_timezone()
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    if start.date() == end.date():
        until = format_time(session.ends_at, "short")
    else:
        until = f"{format_date(session.ends_at, 'full')}, " + format_time(
            session.ends_at, "short"
        )
    return _(
        "%(date)s, %(start)s – %(end)s (%(zone)s)",
        date=format_date(session.starts_at, "full"),
        start=format_time(session.starts_at, "short"),
        end=until,
        zone=str(zone),
    )


def calendar_event(session: DesignSession, viewer, now) -> CalendarEvent:
    """The session as a calendar event; the place and link only for those who may
    see them (the page's rule)."""
    page_url = public_url_for("sessions.show", session_id=session.id)
    details = is_official(viewer) or invitation_of(session, viewer) is not None
    location = None
    if details:
        location = ", ".join(p for p in (session.place, session.online_url) if p)
    description = session.agenda.strip()
    description = f"{description}\n\n{page_url}" if description else page_url
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    return CalendarEvent(
        uid=f"design-session-{session.id}@{host}",
        stamp=now,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        description=description,
        location=location or None,
        url=(session.online_url if details and session.online_url else page_url),
        cancelled=session.is_cancelled,
    )


def personal_data(user: User) -> dict[str, list[dict]]:
    """The account's invitations to design sessions and its answers."""
    return {
        "session_invitations": [
            {
                "session_id": invitation.session_id,
                "session_title": invitation.session.title,
                "status": str(invitation.status),
                "responded_at": iso(invitation.responded_at),
                "attended": invitation.attended,
                "created_at": iso(invitation.created_at),
            }
            for invitation in rows_of(Invitation, Invitation.user_id == user.id)
        ]
    }
