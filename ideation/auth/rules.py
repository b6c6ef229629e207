"""What an account must be before it may contribute: confirmed, and not blocked.

Reading needs no account; submitting ideas, supporting and asking the governor need
a confirmed e-mail address, so that one mailbox stands behind each voice.
"""

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ideation.auth.models import User
from ideation.shared.errors import DomainError, PermissionDenied


class EmailNotConfirmed(DomainError):
    """Refused until the address is confirmed; the text links to the resend page.

    str() gives Markup, so the link survives flash() and {{ error }} in templates.
    """

    def __str__(self) -> str:
        return self.args[0]


def resend_confirmation_path() -> str:
    """The page that sends the confirmation e-mail again (a path, with script root)."""
    if has_request_context():
        return url_for("auth.resend_confirmation")
    return current_app.url_map.bind("localhost").build("auth.resend_confirmation")


def ensure_email_confirmed(user: User) -> None:
    """Raise EmailNotConfirmed unless `user` has confirmed their e-mail address."""
    if user.email_confirmed_at is not None:
        return
    link = Markup('<a href="{}">{}</a>').format(
        resend_confirmation_path(), _("Send the confirmation e-mail again")
    )
    message = escape(
        _(
            "Confirm your e-mail address to submit and support ideas, to ask the "
            "governor questions and to report abuse: open the link we sent to "
            "%(email)s. %(link)s"
        )
    )
    raise EmailNotConfirmed(message % {"email": user.email, "link": link})


class AccountBlocked(PermissionDenied):
    """The acting account is blocked: it may read, nothing more."""


def blocked_message(user: User) -> str:
    """What a blocked account is told, with the moderators' reason."""
    if user.blocked_reason:
        return _(
            "This account is blocked by the moderators: %(reason)s",
            reason=user.blocked_reason,
        )
    return _("This account is blocked by the moderators.")


def is_blocked(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "blocked_at", None) is not None)


def ensure_not_blocked(user: User) -> None:
    """Raise AccountBlocked when a moderator blocked `user`."""
    if is_blocked(user):
        raise AccountBlocked(blocked_message(user))
