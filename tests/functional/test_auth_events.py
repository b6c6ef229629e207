"""Authentication events reach the `ideation.auth.events` log with the account's
id and the client's address, and never a password."""

import logging
import re

import pytest

from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.moderation.operations import block_user
from ideation.shared.roles import Role
from tests.conftest import PASSWORD

LOGGER = "ideation.auth.events"
NEW_PASSWORD = "a brand new passphrase"
WRONG = "not the password at all"


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    def read() -> list[tuple[str, int | None, str | None]]:
        """(event, account id, address) of each record, in order."""
        return [
            (r.auth_event, r.account_id, r.client_address)
            for r in caplog.records
            if r.name == LOGGER
        ]

    read.records = lambda: [r for r in caplog.records if r.name == LOGGER]
    return read


def _at(client, ip: str):
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def test_logins_and_their_failures(client, make_user, events):
    user = make_user(email="ana@example.org")
    _at(client, "198.51.100.7")
    client.submit("/login", data={"email": "ana@example.org", "password": WRONG})
    client.submit("/login", data={"email": "nobody@example.org", "password": WRONG})
    client.login(user)
    client.submit("/logout")
    assert events() == [
        ("login_failed", user.id, "198.51.100.7"),
        ("login_failed", None, "198.51.100.7"),
        ("login", user.id, "198.51.100.7"),
        ("logout", user.id, "198.51.100.7"),
    ]
    failed = events.records()[0]
    assert failed.levelno == logging.WARNING
    assert failed.getMessage() == (
        f"login_failed account={user.id} address=198.51.100.7"
    )


def test_throttling(app, client, make_user, events):
    app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"] = "1 per hour"
    user = make_user(email="ana@example.org")
    _at(client, "203.0.113.9")
    for _ in range(2):
        client.submit("/login", data={"email": user.email, "password": WRONG})
    assert events()[-1] == ("throttled", user.id, "203.0.113.9")
    assert "endpoint=auth.login" in events.records()[-1].getMessage()


def test_password_changes_and_resets(client, make_user, events, smtp_server):
    user = make_user(email="ana@example.org")
    client.login(user)
    change = {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD}
    client.submit("/account/password", data={**change, "current_password": WRONG})
    client.submit("/account/password", data={**change, "current_password": PASSWORD})
    client.submit("/logout")
    client.submit("/password/forgot", data={"email": user.email})
    jobs.run_pending()
    link = re.search(r"/password/reset/\S+", smtp_server.messages[-1].get_content())
    reset = {"new_password": PASSWORD, "new_password_confirm": PASSWORD}
    client.submit(link.group(0), data=reset)
    assert [(event, account) for event, account, _ in events()] == [
        ("login", user.id),
        ("password_change_refused", user.id),
        ("password_changed", user.id),
        ("logout", user.id),
        ("password_reset_requested", None),
        ("password_reset_mailed", user.id),
        ("password_reset", user.id),
    ]


def test_registrations_and_blocked_accounts(client, make_user, events):
    moderator = make_user(Role.MODERATOR)
    taken = make_user(email="taken@example.org")
    for email in ("new@example.org", "taken@example.org"):
        client.submit(
            "/register",
            data={
                "display_name": "Someone",
                "email": email,
                "password": PASSWORD,
                "password_confirm": PASSWORD,
                "consent": "y",
            },
        )
    blocked = make_user()
    client.login(blocked)
    block_user(blocked, moderator, "Spam")
    db.session.commit()
    client.get("/")
    client.submit("/login", data={"email": blocked.email, "password": PASSWORD})
    found = [(event, account) for event, account, _ in events()]
    assert found[0][0] == "registered" and found[0][1] not in (None, taken.id)
    assert found[1:] == [
        ("registration_with_a_taken_address", taken.id),
        ("login", blocked.id),
        ("session_ended_blocked", blocked.id),
        ("login_refused_blocked", blocked.id),
    ]


def test_no_password_is_ever_logged(client, make_user, events, smtp_server):
    user = make_user(email="ana@example.org")
    client.submit("/login", data={"email": user.email, "password": WRONG})
    client.submit("/login", data={"email": WRONG, "password": PASSWORD})
    client.login(user)
    change = {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD}
    client.submit("/account/password", data={**change, "current_password": PASSWORD})
    logged = " ".join(r.getMessage() for r in events.records())
    assert len(events()) == 4
    for secret in (PASSWORD, WRONG, NEW_PASSWORD):
        assert secret not in logged
