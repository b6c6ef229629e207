"""Role checks for views."""

from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _

# Flask-Login's keys in the session, forgotten with a session that has ended.
_FLASK_LOGIN_KEYS = ("_user_id", "_fresh", "_id")


def load_user(user_id: str):
    """Flask-Login's loader: the account of the session cookie, while its login
    session lives on the server (ideation.auth.login_sessions)."""
    from ideation.auth import login_sessions

    token = session.get(login_sessions.SESSION_KEY)
    found = account = None
    if token and user_id.isdigit():
        found, account = login_sessions.live_login_session(int(user_id), token)
    if found is None:
        # Logged out elsewhere, timed out or revoked: this request is anonymous, and
        # the cookie stops naming the account (the CSRF token and language stay).
        for key in (*_FLASK_LOGIN_KEYS, login_sessions.SESSION_KEY):
            session.pop(key, None)
        return None
    # Loaded before the view runs (log_out_blocked_account asks for the user on
    # every request), so the touch commits nothing but the time of the request.
    login_sessions.touch_login_session(found)
    return account


def send_to_login():
    """Flask-Login's handler for anonymous users on a signed-in-only page.

    A POST cannot be replayed after logging in, so the user comes back to the page
    the form was on; scripts get a 401 in JSON instead of a redirect.
    """
    message = _("Please log in to continue.")
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=message), 401
    target = request.full_path if request.method == "GET" else _referring_page()
    flash(message, "info")
    return redirect(url_for("auth.login", next=target.rstrip("?")))


def _referring_page() -> str:
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc != request.host:
        return "/"
    return (referrer.path or "/") + (f"?{referrer.query}" if referrer.query else "")
