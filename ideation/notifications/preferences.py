"""Who hears of a notification by e-mail: at once, in a daily digest, or not at all.

Only confirmed addresses get notification e-mails: an unconfirmed one may be a
typo, i.e. someone else's mailbox.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ideation.auth.models import EmailPreference, User
from ideation.extensions import db
from ideation.notifications.digest import schedule_digest
from ideation.notifications.email import queue_email
from ideation.notifications.unsubscribe import unsubscribe_url
from ideation.shared.errors import DomainError
from ideation.shared.web import public_url, public_url_for

LABELS = {
    EmailPreference.IMMEDIATELY: _l("At once: one e-mail for each notification"),
    EmailPreference.DAILY: _l("Once a day: a digest of what I have not read yet"),
    EmailPreference.OFF: _l("Never: I read my notifications on the site"),
}

NOTIFICATION_KIND = "notification"
SUBJECT_WIDTH = 120


def set_email_preference(user: User, preference: str) -> None:
    """Choose how `user` hears of notifications by e-mail."""
    try:
        chosen = EmailPreference(preference)
    except ValueError:
        raise DomainError(_("Choose one of the offered options.")) from None
    user.email_preference = chosen
    if chosen is EmailPreference.DAILY:
        schedule_digest()


def email_recipients(user_ids: Iterable[int]) -> dict[EmailPreference, list[User]]:
    """The accounts among `user_ids` that get e-mail, by their preference."""
    stmt = (
        select(User)
        .where(
            User.id.in_(list(user_ids)),
            User.email_confirmed_at.is_not(None),
            User.email_preference != EmailPreference.OFF.value,
        )
        .order_by(User.id)
    )
    found: dict[EmailPreference, list[User]] = {
        EmailPreference.IMMEDIATELY: [],
        EmailPreference.DAILY: [],
    }
    for user in db.session.scalars(stmt):
        found[EmailPreference(user.email_preference)].append(user)
    return found


def email_notification(user: User, notification) -> None:
    """Queue the e-mail that tells `user` about one notification, in their language.

    `notification` needs `kind`, `params` and `link`; it may be unsaved.
    """
    queue_email(
        user,
        NOTIFICATION_KIND,
        _Subject(notification),
        "notification",
        notification=notification,
        link=public_url(notification.link) if notification.link else "",
        notifications_url=public_url_for("notifications.index"),
        account_url=public_url_for("auth.account"),
        unsubscribe_url=unsubscribe_url(user.id),
    )


class _Subject:
    """The notification's sentence, shortened, in whatever language is current.

    queue_email turns the subject into text inside the recipient's language.
    """

    def __init__(self, notification) -> None:
        self.notification = notification

    def __str__(self) -> str:
        return textwrap.shorten(
            self.notification.message, width=SUBJECT_WIDTH, placeholder=" …"
        )
