"""Signed, expiring tokens for the links we e-mail: confirming an address and
resetting a password.

Each purpose has its own salt, so a token made for one is refused by the other.
The payload is signed, not encrypted: it holds ids and a fingerprint, no secret.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from ideation.auth.models import User
from ideation.extensions import db
from ideation.shared.errors import TokenError

CONFIRMATION_SALT = "ideation.email-confirmation"
PASSWORD_RESET_SALT = "ideation.password-reset"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def _load(salt: str, token: str, max_age_setting: str, expired: str, invalid: str):
    max_age = current_app.config[max_age_setting]
    try:
        data = _serializer(salt).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise TokenError(expired) from None
    except BadData:
        raise TokenError(invalid) from None
    if not isinstance(data, dict):
        raise TokenError(invalid)
    return data


def make_confirmation_token(user: User) -> str:
    """A token that confirms `user`'s current e-mail address."""
    return _serializer(CONFIRMATION_SALT).dumps({"user": user.id, "email": user.email})


def load_confirmation_token(token: str) -> User:
    """The account a confirmation token is for; TokenError when it does not work."""
    data = _load(
        CONFIRMATION_SALT,
        token,
        "EMAIL_TOKEN_MAX_AGE",
        expired=_(
            "This confirmation link has expired. Ask for a new one: it is sent at once."
        ),
        invalid=_(
            "This confirmation link is not valid. Check that you copied all of it, "
            "or ask for a new one."
        ),
    )
    user = db.session.get(User, data.get("user")) if "user" in data else None
    if user is None or user.email != data.get("email"):
        # Made for an address the account no longer has: it proves nothing now.
        raise TokenError(
            _(
                "This confirmation link was sent to an e-mail address that your "
                "account no longer uses. Ask for a new one."
            )
        )
    return user


def password_fingerprint(user: User) -> str:
    """A keyed digest of the account's password hash and address.

    A reset token carries it, so the token dies once the password (or the address)
    changes: used once, it cannot be used again.
    """
    secret = current_app.secret_key
    key = secret if isinstance(secret, bytes) else secret.encode()
    material = f"{user.id}\n{user.email}\n{user.password_hash or ''}".encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()[:32]


def make_password_reset_token(user: User) -> str:
    """A single-use token that lets the holder choose `user`'s new password."""
    payload = {"user": user.id, "password": password_fingerprint(user)}
    return _serializer(PASSWORD_RESET_SALT).dumps(payload)


def load_password_reset_token(token: str) -> User:
    """The account a reset token is for; TokenError when it does not work."""
    data = _load(
        PASSWORD_RESET_SALT,
        token,
        "PASSWORD_RESET_MAX_AGE",
        expired=_(
            "This link to choose a new password has expired. Ask for a new one below."
        ),
        invalid=_(
            "This link to choose a new password is not valid. Check that you copied "
            "all of it, or ask for a new one below."
        ),
    )
    user = db.session.get(User, data.get("user")) if "user" in data else None
    fingerprint = str(data.get("password", ""))
    if user is None or not hmac.compare_digest(fingerprint, password_fingerprint(user)):
        raise TokenError(
            _(
                "This link to choose a new password has already been used, or the "
                "password was changed since it was sent. Ask for a new one below."
            )
        )
    return user
