"""After a design session, or instead of it: attendance, the outcome, cancellation.

Officials' changes lock the session's row, so two of them never interleave. They
flush, notify and log, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.extensions import db
from ideation.notifications.operations import notify
from ideation.sessions.models import (
    DesignSession,
    Invitation,
    InvitationStatus,
    SessionStatus,
)
from ideation.shared.db import lock_row, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role, ensure_role
from ideation.shared.web import link_for

_ACCEPTED = InvitationStatus.ACCEPTED
_INVITED = InvitationStatus.INVITED
_WAITLISTED = InvitationStatus.WAITLISTED
_NOT_OFFICIAL = _l("Only officials can run design sessions.")


def mark_attendance(
    session: DesignSession,
    actor: User,
    attended_ids: Iterable[int],
    now: datetime | None = None,
) -> None:
    """Record who of those holding a seat came; the session is then held."""
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL)
    session = lock_row(session)
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
    session.status = SessionStatus.HELD
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
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL)
    now = now or utcnow()
    session = lock_row(session)
    _ensure_after_start(session, now)
    if not outcome or not outcome.strip():
        raise DomainError(_("Write the outcome: what was decided, what comes next."))
    limit = current_app.config["SESSION_OUTCOME_MAX"]
    if len(outcome) > limit:
        raise DomainError(_("Use at most %(max)d characters.", max=limit))
    first = session.outcome_published_at is None
    session.outcome = outcome
    session.status = SessionStatus.HELD
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
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL)
    now = now or utcnow()
    session = lock_row(session)
    if session.is_cancelled:
        raise DomainError(_("This session is already cancelled."))
    if not session.is_scheduled:
        raise DomainError(_("This session was held: it can no longer be cancelled."))
    if not reason or not reason.strip():
        raise DomainError(_("Give the reason for cancelling: invitees will read it."))
    session.status = SessionStatus.CANCELLED
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
