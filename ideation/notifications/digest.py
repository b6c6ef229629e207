"""The daily digest: one e-mail a day listing what a user has not read yet.

For users whose preference is "daily", notify() stores the notification and makes
sure the digest job is pending; the job runs at DIGEST_HOUR, sends each of them one
e-mail with their unread, not yet e-mailed notifications, marks those as e-mailed,
and schedules itself for the next day. `flask mail digest` does the same from cron.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_ngettext
from sqlalchemy import select, update

from ideation.auth.models import EmailPreference, User
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.notifications.email import queue_email
from ideation.notifications.models import Notification
from ideation.notifications.unsubscribe import unsubscribe_url
from ideation.shared.db import utcnow
from ideation.shared.web import public_url, public_url_for

DIGEST_JOB = "mail.daily_digest"
# One pending digest job at most: every request to schedule it joins that one.
DIGEST_KEY = "mail.digest"
DIGEST_KIND = "notification.digest"


def next_digest_at(now: datetime | None = None) -> datetime:
    """The next DIGEST_HOUR o'clock in the site's time zone after `now`, in UTC."""
    now = now or utcnow()
    config = current_app.config
    zone = ZoneInfo(config["BABEL_DEFAULT_TIMEZONE"])
    local = now.astimezone(zone)
    hour = time(hour=config["DIGEST_HOUR"])
    at = datetime.combine(local.date(), hour, tzinfo=zone)
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), hour, tzinfo=zone)
    return at.astimezone(UTC)


def schedule_digest(now: datetime | None = None) -> datetime:
    """Make sure the digest job is pending for the next DIGEST_HOUR; when it runs."""
    now = now or utcnow()
    at = next_digest_at(now)
    jobs.enqueue(DIGEST_JOB, key=DIGEST_KEY, delay=at - now)
    return at


def _waiting(since: datetime):
    """Notifications a digest would list: unread, not e-mailed, recent."""
    return select(Notification).where(
        Notification.read_at.is_(None),
        Notification.emailed_at.is_(None),
        Notification.created_at >= since,
    )


def send_digests(now: datetime | None = None) -> int:
    """Queue the digest of every daily reader with something waiting; how many."""
    now = now or utcnow()
    since = now - current_app.config["DIGEST_LOOKBACK"]
    waiting = (
        _waiting(since)
        .with_only_columns(Notification.id)
        .where(Notification.user_id == User.id)
    )
    readers = db.session.scalars(
        select(User)
        .where(
            User.email_preference == EmailPreference.DAILY.value,
            User.email_confirmed_at.is_not(None),
            waiting.exists(),
        )
        .order_by(User.id)
    ).all()
    return sum(send_digest(user, now, since) for user in readers)


def send_digest(user: User, now: datetime, since: datetime) -> bool:
    """Queue one digest for `user` and mark its notifications e-mailed; False if
    there was nothing to tell."""
    # Locked, so a digest run at the same time (cron and the worker) waits, then
    # finds them e-mailed and sends nothing twice.
    items = list(
        db.session.scalars(
            _waiting(since)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at, Notification.id)
            .with_for_update()
        )
    )
    if not items:
        return False
    shown = items[: current_app.config["DIGEST_MAX_ITEMS"]]
    queue_email(
        user,
        DIGEST_KIND,
        lazy_ngettext(
            "%(num)d new notification on The Governor Asks",
            "%(num)d new notifications on The Governor Asks",
            len(items),
        ),
        "digest",
        notifications=shown,
        count=len(items),
        more=len(items) - len(shown),
        public_url=public_url,
        notifications_url=public_url_for("notifications.index"),
        account_url=public_url_for("auth.account"),
        unsubscribe_url=unsubscribe_url(user.id),
    )
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_([item.id for item in items]))
        .values(emailed_at=now)
    )
    return True


@jobs.job(DIGEST_JOB)
def daily_digest() -> None:
    """Send today's digests, then schedule tomorrow's run."""
    send_digests()
    schedule_digest()
