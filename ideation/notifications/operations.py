"""Writes of notifications. They flush, never commit: the caller commits once.

`notify` is the single way anything notifies anyone, and where e-mail hooks in:
users who chose "immediately" get an outbox e-mail per notification, in the same
transaction; those who chose "daily" get it in the digest (digest.py).
"""

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import insert, update

from ideation.auth.models import EmailPreference, User
from ideation.extensions import db
from ideation.notifications.digest import schedule_digest
from ideation.notifications.messages import MESSAGES
from ideation.notifications.models import Notification
from ideation.notifications.preferences import email_notification, email_recipients
from ideation.shared.db import utcnow
from ideation.shared.errors import PermissionDenied


def _user_id(user: User | int) -> int:
    return user if isinstance(user, int) else user.id


def notify(
    users: Iterable[User | int],
    kind: str,
    link: str = "",
    *,
    exclude: Iterable[User | int | None] = (),
    **params,
) -> int:
    """Notify each user once of `kind` (never those in `exclude`); how many."""
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    skipped = {_user_id(user) for user in exclude if user is not None}
    # dict.fromkeys: each user once, in the order given.
    user_ids = [
        uid for uid in dict.fromkeys(_user_id(u) for u in users) if uid not in skipped
    ]
    if not user_ids:
        return 0
    now = utcnow()
    recipients = email_recipients(user_ids)
    at_once = recipients[EmailPreference.IMMEDIATELY]
    emailed = {user.id for user in at_once}
    db.session.execute(
        insert(Notification),
        [
            {
                "user_id": uid,
                "kind": kind,
                "params": params,
                "link": link,
                "created_at": now,
                "emailed_at": now if uid in emailed else None,
            }
            for uid in user_ids
        ],
    )
    # Unsaved: the e-mail is rendered from the same kind and params as the page.
    notification = Notification(kind=kind, params=params, link=link)
    for user in at_once:
        email_notification(user, notification)
    if recipients[EmailPreference.DAILY]:
        schedule_digest(now)
    return len(user_ids)


def mark_read(notification: Notification, user: User) -> None:
    """Mark one of `user`'s notifications as read."""
    if notification.user_id != user.id:
        raise PermissionDenied(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.flush()


def mark_all_read(user: User) -> int:
    """Mark every unread notification of `user` as read; how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0
