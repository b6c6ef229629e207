"""The signed-link helper: bound to its purpose and key, expiring, says why it fails."""

import time
from datetime import timedelta

import pytest
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from ideation.auth.tokens import CONFIRMATION, PASSWORD_RESET
from ideation.sessions.tokens import RSVP
from ideation.shared.errors import TokenError
from ideation.shared.signing import SignedLink

LINK = SignedLink("tests.purpose", "TEST_LINK_MAX_AGE")
WHY = {"expired": "too old", "invalid": "not ours"}


@pytest.fixture
def app():
    """A bare app: the helper needs a key and a setting, not the database."""
    app = Flask(__name__)
    app.secret_key = "test-secret-key"
    app.config["TEST_LINK_MAX_AGE"] = timedelta(hours=1)
    with app.app_context():
        yield app


def made_ago(seconds: float, payload: dict) -> str:
    past = int(time.time() - seconds)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: past)
        return LINK.make(payload)


def test_a_token_gives_back_its_payload(app):
    assert LINK.load(LINK.make({"user": 7}), **WHY) == {"user": 7}


def test_an_old_token_says_it_has_expired(app):
    assert LINK.load(made_ago(3600 - 60, {"user": 7}), **WHY) == {"user": 7}
    with pytest.raises(TokenError, match="too old"):
        LINK.load(made_ago(3600 + 60, {"user": 7}), **WHY)


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_a_broken_token_is_invalid(app, token):
    with pytest.raises(TokenError, match="not ours"):
        LINK.load(token, **WHY)


def test_another_purpose_or_key_is_invalid(app):
    other_purpose = SignedLink("tests.other", "TEST_LINK_MAX_AGE").make({"user": 7})
    with pytest.raises(TokenError, match="not ours"):
        LINK.load(other_purpose, **WHY)
    token = LINK.make({"user": 7})
    app.secret_key = "another-secret-key"
    with pytest.raises(TokenError, match="not ours"):
        LINK.load(token, **WHY)


def test_a_payload_that_is_not_a_dict_is_invalid(app):
    with pytest.raises(TokenError, match="not ours"):
        LINK.load(LINK.make(["user", 7]), **WHY)


@pytest.mark.parametrize(
    ("link", "salt"),
    [
        (CONFIRMATION, "ideation.email-confirmation"),
        (PASSWORD_RESET, "ideation.password-reset"),
        (RSVP, "ideation.session-rsvp"),
    ],
)
def test_links_already_sent_keep_working(app, link, salt):
    """Tokens made before the helper existed (plain itsdangerous, same salts)."""
    app.config[link.max_age_setting] = timedelta(days=1)
    sent = URLSafeTimedSerializer(app.secret_key, salt=salt).dumps({"user": 7})
    assert link.load(sent, **WHY) == {"user": 7}
