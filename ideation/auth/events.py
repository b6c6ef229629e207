"""Authentication events, logged for operators: logins and their failures,
throttling, logouts, registrations, password changes and resets.

One line each on the logger `ideation.auth.events`: the event, the account's id
("-" when none is known) and the client's address, also given as the record's
`auth_event`, `account_id` and `client_address` attributes for structured
handlers. Never a password, and never an e-mail address typed at login that
matches no account (people type their password there by mistake).
"""

import logging

from flask import has_request_context, request
from flask_login import current_user

from ideation.auth.models import User
from ideation.auth.queries import find_user_by_email
from ideation.shared.forms import text_problem

logger = logging.getLogger("ideation.auth.events")
# INFO by default, so that successful logins are kept too; an operator's logging
# configuration can still set another level.
if logger.level == logging.NOTSET:
    logger.setLevel(logging.INFO)


def log_event(
    event: str, user: User | None = None, level: int = logging.INFO, **details
) -> None:
    """Log `event` for `user` (None: no known account), from the request's address."""
    account = getattr(user, "id", None)
    address = request.remote_addr if has_request_context() else None
    words = "".join(f" {name}={value}" for name, value in sorted(details.items()))
    logger.log(
        level,
        "%s account=%s address=%s%s",
        event,
        account if account is not None else "-",
        address or "-",
        words,
        extra={"auth_event": event, "account_id": account, "client_address": address},
    )


def log_failed_login(email: str) -> None:
    """A wrong address or password: the account when the address is one."""
    log_event("login_failed", _account_of(email), logging.WARNING)


def log_throttled(limit) -> None:
    """Flask-Limiter's on_breach: a limit of the accounts' pages was reached."""
    user = current_user if current_user.is_authenticated else None
    if user is None and request.endpoint == "auth.login":
        user = _account_of(request.form.get("email", ""))
    log_event(
        "throttled",
        user,
        logging.WARNING,
        endpoint=request.endpoint,
        limit=str(limit.limit).replace(" ", "_"),
    )


def _account_of(email: str) -> User | None:
    # Before the form's checks (throttled requests): nothing the database refuses.
    return None if text_problem(email) else find_user_by_email(email)
