"""The signed links that answer an invitation from the e-mail: accept or decline.

A token names an invitation and a choice; it is signed with its own salt (a token
made for another purpose is refused), expires after RSVP_LINK_MAX_AGE, and is
single-use: it carries the invitation's `token_used_at` as it was when the token was
made, and using a link changes that value, so every link made before dies with it.
Links made later (the "a seat freed up" e-mail) carry the new value and work.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _

from ideation.extensions import db
from ideation.sessions.models import Invitation
from ideation.shared.errors import TokenError
from ideation.shared.signing import SignedLink

# The salt is that of the links already sent: changing it would kill them.
RSVP = SignedLink("ideation.session-rsvp", "RSVP_LINK_MAX_AGE")
CHOICES = ("accept", "decline")


def _used_mark(used_at: datetime | None) -> str:
    return used_at.astimezone(UTC).isoformat() if used_at else ""


def make_rsvp_token(invitation: Invitation, choice: str) -> str:
    """A token that answers `invitation` with `choice` ("accept" or "decline")."""
    if choice not in CHOICES:
        raise ValueError(f"unknown choice {choice!r}")
    payload = {
        "invitation": invitation.id,
        "choice": choice,
        "used": _used_mark(invitation.token_used_at),
    }
    return RSVP.make(payload)


def load_rsvp_token(token: str) -> tuple[Invitation, str]:
    """The invitation and choice of a token; TokenError (with why) if it fails."""
    invalid = _(
        "This invitation link is not valid. Check that you copied all of it, "
        "or log in to answer the invitation on the site."
    )
    data = RSVP.load(
        token,
        expired=_(
            "This invitation link has expired. Log in to answer the invitation "
            "on the site."
        ),
        invalid=invalid,
    )
    if data.get("choice") not in CHOICES:
        raise TokenError(invalid)
    invitation = db.session.get(Invitation, data.get("invitation"))
    if invitation is None:
        raise TokenError(_("This invitation no longer exists."))
    if data.get("used") != _used_mark(invitation.token_used_at):
        raise TokenError(
            _(
                "This invitation link was already used. To change your answer, log "
                "in and answer on the session's page."
            )
        )
    return invitation, data["choice"]
