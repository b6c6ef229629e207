"""Stopping notification e-mails from the e-mail itself, without signing in.

Every notification e-mail (one at a time or the digest) carries a signed link in
its text and in the List-Unsubscribe header (RFC 2369), with List-Unsubscribe-Post
(RFC 8058) so that a mail program's "unsubscribe" button works in one click. The
link turns notification e-mails off; it never touches the account's other e-mail
(confirmations, password resets), which the account asked for itself.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ideation.auth.models import EmailPreference, User
from ideation.extensions import db
from ideation.shared.errors import TokenError
from ideation.shared.signing import SignedLink
from ideation.shared.web import public_url_for

UNSUBSCRIBE = SignedLink("ideation.unsubscribe", "UNSUBSCRIBE_LINK_MAX_AGE")


def is_notification_email(kind: str) -> bool:
    """Whether an outbox e-mail of `kind` was sent because of the preference.

    Notification e-mails are "notification" and "notification.<something>".
    """
    return kind.split(".", 1)[0] == "notification"


def unsubscribe_url(user_id: int) -> str:
    """The absolute address that turns `user_id`'s notification e-mails off."""
    token = UNSUBSCRIBE.make({"user": user_id})
    return public_url_for("notifications.unsubscribe_page", token=token)


def account_to_unsubscribe(token: str) -> User:
    """The account a link from an e-mail names; TokenError when it is not valid."""
    invalid = _(
        "This link is not valid. Change your e-mail settings on your account page."
    )
    data = UNSUBSCRIBE.load(
        token,
        expired=_(
            "This link is too old. Change your e-mail settings on your account page."
        ),
        invalid=invalid,
    )
    user = (
        db.session.get(User, data.get("user"))
        if isinstance(data.get("user"), int)
        else None
    )
    if user is None:
        raise TokenError(invalid)
    return user


def unsubscribe(user: User) -> None:
    """Turn off every notification e-mail of `user` (the notifications stay)."""
    user.email_preference = EmailPreference.OFF
    db.session.flush()
