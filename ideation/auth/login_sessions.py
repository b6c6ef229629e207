"""Login sessions: one row per signed-in browser, named by a random token that the
(signed) session cookie carries.

The cookie alone proves nothing once its row is gone: logging out deletes the
browser's row, a password change every row of the account (the browser that made
the change gets a new one), a password reset every row. A row also dies
SESSION_IDLE_TIMEOUT after its last request and PERMANENT_SESSION_LIFETIME after
the login.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update

from ideation.auth.models import LoginSession, User
from ideation.extensions import db
from ideation.shared.db import utcnow, writing

# The key of the token in the Flask session.
SESSION_KEY = "login_session"
# Recording every request would write on every page view; the idle timeout only
# needs the last request to within a minute.
TOUCH_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _oldest_alive(now: datetime) -> tuple[datetime, datetime]:
    """The earliest login and the earliest last request of a session still alive."""
    config = current_app.config
    return (
        now - config["PERMANENT_SESSION_LIFETIME"],
        now - config["SESSION_IDLE_TIMEOUT"],
    )


def open_login_session(user: User) -> str:
    """Start a session for `user` (forgetting their expired ones); its token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    created_after, seen_after = _oldest_alive(now)
    db.session.execute(
        delete(LoginSession).where(
            LoginSession.user_id == user.id,
            or_(
                LoginSession.created_at < created_after,
                LoginSession.last_seen_at < seen_after,
            ),
        )
    )
    db.session.add(
        LoginSession(
            user_id=user.id, token_hash=_digest(token), created_at=now, last_seen_at=now
        )
    )
    db.session.flush()
    return token


def end_login_session(token: str | None) -> None:
    """End the session with this token (logout); nothing if there is none."""
    if token:
        db.session.execute(
            delete(LoginSession).where(LoginSession.token_hash == _digest(token))
        )


def end_login_sessions(user: User) -> None:
    """End every session of `user`, in every browser."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def live_login_session(
    user_id: int, token: str
) -> tuple[LoginSession, User] | tuple[None, None]:
    """The session with this token and its account, if it is `user_id`'s and
    neither idle too long nor older than its lifetime."""
    # The account comes in the same statement: one query per signed-in request.
    row = db.session.execute(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == _digest(token))
    ).first()
    found, account = row if row is not None else (None, None)
    if found is None or found.user_id != user_id:
        return None, None
    created_after, seen_after = _oldest_alive(utcnow())
    if found.created_at < created_after or found.last_seen_at < seen_after:
        return None, None
    return found, account


def touch_login_session(login_session: LoginSession) -> bool:
    """Record a request of this session (at most once a minute), committed in a
    transaction of its own; True if it did (the loaded rows are then expired)."""
    now = utcnow()
    if now - login_session.last_seen_at < TOUCH_EVERY:
        return False
    # A page view's transaction begins deferred on SQLite and reads a snapshot
    # (ideation.shared.db): it cannot start writing once another request has
    # committed ("database is locked" at once, a 500). So the read ends here, and
    # the time is written in a transaction that takes the write lock first.
    session_id = login_session.id
    db.session.commit()
    with writing():
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.id == session_id, LoginSession.last_seen_at < now)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return True
