"""Role checks for views."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ..models import Role


def role_required(role: Role):
    """Allow the view to users with `role` or a more powerful one; 403 otherwise."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def load_user(user_id: str):
    """Flask-Login's loader: the account in the session cookie, if it still exists."""
    from ..extensions import db
    from ..models import User

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
