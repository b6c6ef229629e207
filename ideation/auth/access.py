"""Role checks for views."""

from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _


def load_user(user_id: str):
    """Flask-Login's loader: the account in the session cookie, if it still exists."""
    from ideation.auth.models import User
    from ideation.extensions import db

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


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
