"""The tokens in the links we e-mail to confirm an address and to reset a password
(signed, expiring, one salt per purpose: see ideation.shared.signing).

A confirmation token holds the account and its address; a reset token holds the
account and a fingerprint of its password, no secret.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_babel import gettext as _

from ideation.auth.models import User
from ideation.extensions import db
from ideation.shared.errors import TokenError
from ideation.shared.signing import SignedLink

# The salts are those of the links already sent: changing one would kill them.
CONFIRMATION = SignedLink("ideation.email-confirmation", "EMAIL_TOKEN_MAX_AGE")
PASSWORD_RESET = SignedLink("ideation.password-reset", "PASSWORD_RESET_MAX_AGE")


def make_confirmation_token(user: User) -> str:
    """A token that confirms `user`'s current e-mail address."""
    return CONFIRMATION.make({"user": user.id, "email": user.email})


def load_confirmation_token(token: str) -> User:
    """The account a confirmation token is for; TokenError when it does not work."""
    data = CONFIRMATION.load(
        token,
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
    return PASSWORD_RESET.make(payload)


def load_password_reset_token(token: str) -> User:
    """The account a reset token is for; TokenError when it does not work."""
    data = PASSWORD_RESET.load(
        token,
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
