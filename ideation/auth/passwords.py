"""The password policy (length and a common-password list, no composition rules)
and hashing."""

from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped common passwords, lower-cased; read once per process."""
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        # "# " opens a header line; some passwords themselves start with "#".
        return frozenset(
            line.strip().lower()
            for line in lines
            if line.strip() and not line.startswith("# ")
        )


def password_problem(password: str) -> str | None:
    """Why `password` is refused (translated), or None when it is acceptable."""
    config = current_app.config
    if len(password) < config["PASSWORD_MIN_LENGTH"]:
        return _(
            "Use at least %(count)s characters.", count=config["PASSWORD_MIN_LENGTH"]
        )
    if len(password) > config["PASSWORD_MAX_LENGTH"]:
        return _(
            "Use at most %(count)s characters.", count=config["PASSWORD_MAX_LENGTH"]
        )
    if password.strip().lower() in common_passwords():
        return _(
            "This password is one of the most common ones. "
            "Choose another, for example a few unrelated words."
        )
    return None


def hash_password(password: str) -> str:
    """A salted hash of `password` with the configured method (scrypt)."""
    return generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; as slow without a hash as with one."""
    if password_hash is None:
        # Hash anyway, so the response time does not reveal unknown e-mails.
        check_password_hash(
            _decoy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password
        )
        return False
    return check_password_hash(password_hash, password)


@cache
def _decoy_hash(method: str) -> str:
    return generate_password_hash("decoy password, never matched", method=method)
