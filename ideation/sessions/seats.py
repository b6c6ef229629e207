"""Seats and the waitlist of a design session. They flush, never commit.

Seats are counted in design_sessions.seats_taken, which a CHECK keeps within the
capacity. Every change of an answer is a conditional UPDATE (`... WHERE status IN
(...)`), so two requests for the same invitation cannot both take a seat, and a
seat is taken by one statement that cannot overbook (take_seat); both hold on
PostgreSQL under concurrent requests and on SQLite, whose writers take turns.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from ideation.extensions import db
from ideation.sessions.invitations import announce_seat
from ideation.sessions.models import (
    DesignSession,
    Invitation,
    InvitationStatus,
    SessionStatus,
)

_ACCEPTED = InvitationStatus.ACCEPTED
_WAITLISTED = InvitationStatus.WAITLISTED


def move_invitation(
    invitation: Invitation, from_: tuple[InvitationStatus, ...], **values
) -> bool:
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
            DesignSession.status == SessionStatus.SCHEDULED,
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
    if not move_invitation(
        invitation, (_WAITLISTED,), status=_ACCEPTED, waitlisted_at=None
    ):
        free_seat(session)  # they left the waitlist meanwhile (a safeguard)
        return None
    announce_seat(session, invitation)
    return invitation
