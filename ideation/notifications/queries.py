"""Reads of notifications."""

from flask import abort, current_app, g
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ideation.auth.models import User
from ideation.extensions import db
from ideation.notifications.models import Notification


def notifications_of(user: User, page: int):
    """One page of `user`'s notifications, newest first."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return db.paginate(
        stmt,
        page=max(page, 1),
        per_page=current_app.config["NOTIFICATIONS_PER_PAGE"],
        error_out=False,
    )


def unread_count(user: User) -> int:
    """How many of `user`'s notifications are unread (one COUNT on an index)."""
    stmt = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(stmt) or 0


def current_unread_count() -> int:
    """The signed-in visitor's unread count, queried at most once per request."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = unread_count(current_user)
        except SQLAlchemyError:
            # An error page must still render when the database failed the request.
            g.unread_notifications = 0
    return g.unread_notifications


def get_own_notification_or_404(notification_id: int, user: User) -> Notification:
    """One of `user`'s notifications; someone else's is 404, as a missing one."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        abort(404)
    return notification
