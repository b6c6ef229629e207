"""Invitees' answers: accept (a seat, or the waitlist) or decline, in the app or by
an e-mailed link. They flush, never commit; seats.py says why they cannot overbook.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update

from ideation.auth.rules import blocked_message, is_blocked
from ideation.extensions import db
from ideation.sessions.invitations import ACCEPT, DECLINE
from ideation.sessions.models import DesignSession, Invitation, InvitationStatus
from ideation.sessions.seats import free_seat, move_invitation, promote_next, take_seat
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError, TokenError

_ACCEPTED = InvitationStatus.ACCEPTED
_DECLINED = InvitationStatus.DECLINED
_INVITED = InvitationStatus.INVITED
_WAITLISTED = InvitationStatus.WAITLISTED


class Answer(enum.StrEnum):
    """What answering an invitation did."""

    ACCEPTED = "accepted"
    ALREADY_ACCEPTED = "already_accepted"
    WAITLISTED = "waitlisted"
    ALREADY_WAITLISTED = "already_waitlisted"
    DECLINED = "declined"
    ALREADY_DECLINED = "already_declined"


def closed_reason(session: DesignSession, now: datetime | None = None):
    """Why the session takes no more answers, or None while it does."""
    if session.is_cancelled:
        return _("This session was cancelled: it takes no more answers.")
    if not session.is_scheduled or session.has_started(now):
        return _("This session has already started: it takes no more answers.")
    return None


def answer_refusal(invitation: Invitation, now: datetime | None = None):
    """Why the invitee cannot answer now (a blocked account, a closed session), or
    None while they can."""
    if is_blocked(invitation.user):
        # By link too: the e-mailed link must not outlive the block.
        return blocked_message(invitation.user)
    return closed_reason(invitation.session, now)


def respond_to_invitation(
    invitation: Invitation, choice: str, now: datetime | None = None
) -> Answer:
    """Accept (a seat, or the waitlist when full) or decline (freeing a seat)."""
    now = now or utcnow()
    reason = answer_refusal(invitation, now)
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
    reason = answer_refusal(invitation, now)
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


def _accept(invitation: Invitation, now: datetime) -> Answer:
    if not move_invitation(
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
        raise DomainError(closed_reason(invitation.session, now))
    move_invitation(invitation, (_ACCEPTED,), status=_WAITLISTED, waitlisted_at=now)
    return Answer.WAITLISTED


def _decline(invitation: Invitation, now: datetime) -> Answer:
    values = {"status": _DECLINED, "responded_at": now, "waitlisted_at": None}
    if move_invitation(invitation, (_ACCEPTED,), **values):
        free_seat(invitation.session)
        promote_next(invitation.session, now)
        return Answer.DECLINED
    if move_invitation(invitation, (_INVITED, _WAITLISTED), **values):
        return Answer.DECLINED
    if invitation.status == _DECLINED:
        return Answer.ALREADY_DECLINED
    raise DomainError(_("Your answer changed meanwhile. Please try again."))
