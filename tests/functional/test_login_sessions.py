"""Sessions end on the server: a copied session cookie stops working after logout,
a password change or a password reset, after SESSION_IDLE_MINUTES without a
request, and PERMANENT_SESSION_LIFETIME after the login."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from ideation.auth.login_sessions import (
    live_login_session,
    open_login_session,
    touch_login_session,
)
from ideation.auth.models import LoginSession, User
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.shared.db import utcnow, writing
from tests.conftest import PASSWORD
from tests.helpers import ask_for_link, choose, reset_path

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(autouse=True)
def public_url(app):
    # The reset links are read from the e-mails by test_password_reset's helpers.
    app.config["PUBLIC_URL"] = "https://participa.example.gov.br/app"


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie (same address
    and user agent, so Flask-Login's session protection does not tell them apart)."""
    name = app.config["SESSION_COOKIE_NAME"]
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def change_password(client, current=PASSWORD, new=NEW_PASSWORD):
    return client.submit(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "new_password_confirm": new,
        },
    )


def test_logout_ends_the_session_for_a_copied_cookie(app, client, make_user):
    client.login(make_user())
    thief = copy_of(app, client)
    assert signed_in(thief)

    client.submit("/logout")

    assert not signed_in(thief)
    assert not signed_in(client)


def test_logout_ends_only_that_browsers_session(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    laptop.login(user)
    phone.login(user)

    laptop.submit("/logout")

    assert signed_in(phone)
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    laptop.login(user)
    phone.login(user)
    thief = copy_of(app, laptop)

    assert change_password(laptop).headers["Location"] == "/account"

    assert signed_in(laptop)
    assert not signed_in(phone)
    # The cookie of the browser that changed the password names a new session:
    # a copy taken before the change is as dead as the other browsers.
    assert not signed_in(thief)


def test_a_refused_password_change_ends_no_session(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    laptop.login(user)
    phone.login(user)

    assert change_password(laptop, current="a wrong guess").status_code == 200

    assert signed_in(laptop) and signed_in(phone)


def test_a_password_reset_ends_every_session(app, client, make_user, smtp_server):
    user = make_user(email="ana@example.org")
    elsewhere = app.test_client()
    elsewhere.login(user)

    ask_for_link(client, user.email)
    choose(client, reset_path(smtp_server, user.email))

    assert not signed_in(elsewhere)
    client.login(user, password=NEW_PASSWORD)


def test_registering_someone_elses_address_loses_the_account_at_the_reset(
    app, client, smtp_server
):
    """The takeover of issue 10: the attacker registers the victim's address and
    logs in; the owner resets the password (which confirms the address) and uses
    the account; the attacker's session must be over."""
    attacker = app.test_client()
    credentials = {"email": "victim@example.org", "password": "the attacker's password"}
    attacker.submit(
        "/register",
        data={
            **credentials,
            "display_name": "Victim",
            "password_confirm": credentials["password"],
            "consent": "y",
        },
    )
    attacker.submit("/login", data=credentials)
    assert signed_in(attacker)
    jobs.run_pending()
    smtp_server.messages.clear()  # the confirmation e-mail; the owner ignores it

    ask_for_link(client, "victim@example.org")
    choose(client, reset_path(smtp_server, "victim@example.org"))
    client.submit(
        "/login", data={"email": "victim@example.org", "password": NEW_PASSWORD}
    )

    assert signed_in(client)
    assert not signed_in(attacker)


def _age_sessions(**ages: timedelta) -> None:
    values = {column: utcnow() - age for column, age in ages.items()}
    db.session.execute(update(LoginSession).values(**values))
    db.session.commit()


def test_an_idle_session_ends(app, client, make_user):
    client.login(make_user())
    idle = app.config["SESSION_IDLE_TIMEOUT"]

    _age_sessions(last_seen_at=idle + timedelta(minutes=1))

    assert not signed_in(client)
    assert client.get("/account").headers["Location"].startswith("/login")


def test_a_request_before_the_idle_timeout_keeps_the_session(app, client, make_user):
    client.login(make_user())
    idle = app.config["SESSION_IDLE_TIMEOUT"]

    _age_sessions(last_seen_at=idle - timedelta(minutes=1))
    assert signed_in(client)

    # That request counted as activity: the session is fresh again.
    row = db.session.scalars(select(LoginSession)).one()
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_an_active_session_still_ends_after_its_lifetime(app, client, make_user):
    client.login(make_user())
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]

    _age_sessions(created_at=lifetime + timedelta(minutes=1))

    assert not signed_in(client)


def test_a_new_login_forgets_the_accounts_expired_sessions(app, client, make_user):
    user = make_user()
    old = app.test_client()
    old.login(user)
    _age_sessions(last_seen_at=app.config["SESSION_IDLE_TIMEOUT"] * 2)

    client.login(user)

    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


def test_a_page_view_records_its_time_after_another_request_wrote(app, make_user):
    """The once-a-minute time of a session is written in a transaction of its
    own: a page view's read (a snapshot, on SQLite) cannot start writing once
    another request has committed, which answered 500 under load."""
    user, other = make_user(), make_user()
    token = open_login_session(user)
    db.session.execute(
        update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=5))
    )
    db.session.commit()
    with app.test_request_context("/", method="GET"):
        found, account = live_login_session(user.id, token)  # the read begins
        assert account.id == user.id
        with writing(), db.engine.begin() as connection:  # another request
            connection.execute(
                update(User).where(User.id == other.id).values(display_name="X")
            )
        assert touch_login_session(found)
    db.session.expire_all()
    seen = db.session.scalar(select(LoginSession.last_seen_at))
    assert utcnow() - seen < timedelta(minutes=1)
