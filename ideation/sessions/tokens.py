"""The signed links that answer an invitation from the e-mail: accept or decline.

A token names an invitation and a choice; it is signed with its own salt (a token
made for another purpose is refused), expires after RSVP_LINK_MAX_AGE, and is
single-use: it carries the invitation's `token_used_at` as it was when the token was
made, and using a link changes that value, so every link made before dies with it.
Links made later (the "a seat freed up" e-mail) carry the new value and work.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from ideation.extensions import db
from ideation.sessions.models import Invitation
from ideation.shared.errors import TokenError

RSVP_SALT = "ideation.session-rsvp"
CHOICES = ("accept", "decline")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=RSVP_SALT)


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
    return _serializer().dumps(payload)


def load_rsvp_token(token: str) -> tuple[Invitation, str]:
    """The invitation and choice of a token; TokenError (with why) if it fails."""
    max_age = current_app.config["RSVP_LINK_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise TokenError(
            _(
                "This invitation link has expired. Log in to answer the invitation "
                "on the site."
            )
        ) from None
    except BadData:
        data = None
    if not isinstance(data, dict) or data.get("choice") not in CHOICES:
        raise TokenError(
            _(
                "This invitation link is not valid. Check that you copied all of it, "
                "or log in to answer the invitation on the site."
            )
        )
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
