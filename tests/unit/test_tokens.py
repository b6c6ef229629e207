"""Tokens in e-mailed links: purpose-bound, expiring, and (for resets) single-use."""

import base64
import json
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner

from ideation.auth.passwords import hash_password
from ideation.auth.tokens import (
    load_confirmation_token,
    load_password_reset_token,
    make_confirmation_token,
    make_password_reset_token,
)
from ideation.extensions import db
from ideation.shared.errors import TokenError


@pytest.fixture
def made_days_ago():
    """Make a token as if signed `days` ago: itsdangerous reads the clock to sign
    (and again to check, which must see the present)."""

    def make(days: float, maker, user) -> str:
        past = int(time.time() - days * 86400)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(TimestampSigner, "get_timestamp", lambda self: past)
            return maker(user)

    return make


def _payload(token: str) -> dict:
    """What anyone holding the token can read: it is signed, not encrypted."""
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_confirmation_token_names_its_account(make_user):
    user = make_user(confirmed=False)
    assert load_confirmation_token(make_confirmation_token(user)) == user


def test_confirmation_token_expires(app, make_user, made_days_ago):
    user = make_user(confirmed=False)
    max_days = app.config["EMAIL_TOKEN_MAX_AGE"] / timedelta(days=1)
    token = made_days_ago(max_days + 0.1, make_confirmation_token, user)
    with pytest.raises(TokenError, match="has expired"):
        load_confirmation_token(token)


def test_confirmation_token_still_works_just_before_it_expires(
    app, make_user, made_days_ago
):
    user = make_user(confirmed=False)
    max_days = app.config["EMAIL_TOKEN_MAX_AGE"] / timedelta(days=1)
    token = made_days_ago(max_days - 0.1, make_confirmation_token, user)
    assert load_confirmation_token(token) == user


def test_confirmation_token_dies_when_the_address_changes(make_user):
    user = make_user(email="old@example.org", confirmed=False)
    token = make_confirmation_token(user)
    user.email = "new@example.org"
    db.session.commit()
    with pytest.raises(TokenError, match="no longer uses"):
        load_confirmation_token(token)


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_broken_confirmation_token_is_refused(app, token):
    with pytest.raises(TokenError, match="not valid"):
        load_confirmation_token(token)


def test_tampered_confirmation_token_is_refused(make_user):
    victim, attacker = make_user(confirmed=False), make_user(confirmed=False)
    token = make_confirmation_token(attacker)
    payload = base64.urlsafe_b64encode(
        json.dumps({"user": victim.id, "email": victim.email}).encode()
    ).rstrip(b"=")
    forged = payload.decode() + token[token.index(".") :]
    with pytest.raises(TokenError, match="not valid"):
        load_confirmation_token(forged)


def test_tokens_are_bound_to_their_purpose(make_user):
    user = make_user()
    with pytest.raises(TokenError):
        load_password_reset_token(make_confirmation_token(user))
    with pytest.raises(TokenError):
        load_confirmation_token(make_password_reset_token(user))


def test_token_of_another_secret_key_is_refused(app, make_user):
    user = make_user()
    token = make_password_reset_token(user)
    app.secret_key = "another-secret-key"
    with pytest.raises(TokenError, match="not valid"):
        load_password_reset_token(token)


def test_reset_token_names_its_account(make_user):
    user = make_user()
    assert load_password_reset_token(make_password_reset_token(user)) == user


def test_reset_token_dies_when_the_password_changes(make_user):
    user = make_user()
    token = make_password_reset_token(user)
    user.password_hash = hash_password("a completely new passphrase")
    db.session.commit()
    with pytest.raises(TokenError, match="already been used"):
        load_password_reset_token(token)


def test_reset_token_expires(app, make_user, made_days_ago):
    user = make_user()
    days = app.config["PASSWORD_RESET_MAX_AGE"] / timedelta(days=1) + 0.01
    token = made_days_ago(days, make_password_reset_token, user)
    with pytest.raises(TokenError, match="has expired"):
        load_password_reset_token(token)


def test_reset_token_of_a_deleted_account_is_refused(make_user):
    user = make_user()
    token = make_password_reset_token(user)
    db.session.delete(user)
    db.session.commit()
    with pytest.raises(TokenError):
        load_password_reset_token(token)


def test_reset_token_reveals_nothing_of_the_password_hash(make_user):
    user = make_user()
    payload = _payload(make_password_reset_token(user))
    assert set(payload) == {"user", "password"}
    fingerprint = payload["password"]
    assert fingerprint not in user.password_hash
    # Not even a piece of the hash's digest part.
    assert all(part not in fingerprint for part in user.password_hash.split("$"))
