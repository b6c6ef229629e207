"""Roles, and the one check of a role for views and operations."""

import enum
from functools import wraps

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.shared.errors import PermissionDenied


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    MODERATOR = "moderator"
    OFFICIAL = "official"
    ADMIN = "admin"


# Each role can do everything the roles before it can.
ROLE_RANK = {Role.CITIZEN: 0, Role.MODERATOR: 1, Role.OFFICIAL: 2, Role.ADMIN: 3}


def has_role(user, role: Role) -> bool:
    """True when `user` is signed in with `role` or a more powerful one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return ROLE_RANK[Role(user.role)] >= ROLE_RANK[role]


def ensure_role(user, role: Role, message: str | None = None) -> None:
    """Raise PermissionDenied (saying `message`) unless `user` has `role` or more."""
    if not has_role(user, role):
        # str(): a lazy message is translated now, in the request's language.
        raise PermissionDenied(
            str(message) if message else _("Your account is not allowed to do this.")
        )


def role_required(role: Role):
    """Allow the view to users with `role` or a more powerful one; 403 otherwise."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_role(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
