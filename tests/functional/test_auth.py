"""Register, log in, log out and the account page, through the client."""

import re

import pytest
from limits import parse
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from ideation.auth.models import User
from ideation.extensions import db
from ideation.jobs import queue as jobs
from tests.conftest import PASSWORD, page_text

NEW_PASSWORD = "a brand new passphrase"


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _limit(app, name: str) -> int:
    return parse(app.config[name]).amount


def _register_data(**changes):
    data = {
        "display_name": "Ana Silva",
        "email": "ana.silva@example.org",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": "y",
    }
    return {**data, **changes}


def _set_cookie_headers(response) -> list[str]:
    return [
        value
        for value in response.headers.getlist("Set-Cookie")
        if value.startswith("session=")
    ]


# Register


def test_register_page_is_accessible(client):
    html = client.get("/register").get_data(as_text=True)
    assert 'for="display_name"' in html and 'for="email"' in html
    assert 'autocomplete="name"' in html
    assert 'autocomplete="email"' in html
    assert html.count('autocomplete="new-password"') == 2


def test_register_creates_account_then_sends_to_log_in(client):
    response = client.submit(
        "/register", data=_register_data(email="  Ana.Silva@Example.ORG ")
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    user = db.session.scalar(select(User))
    assert user.email == "ana.silva@example.org"
    assert user.display_name == "Ana Silva"
    assert check_password_hash(user.password_hash, PASSWORD)
    assert client.get("/account").status_code == 302  # not logged in yet
    page = client.get("/login")
    assert "We sent an e-mail to ana.silva@example.org" in page_text(page)
    client.login(user)
    assert "ana.silva@example.org" in page_text(client.get("/account"))


def test_register_passes_only_a_local_next_on_to_log_in(client, app):
    response = client.submit("/register?next=/about", data=_register_data())
    assert response.headers["Location"] == "/login?next=/about"
    user = db.session.scalar(select(User))
    logged_in = client.submit(
        "/login?next=/about", data={"email": user.email, "password": PASSWORD}
    )
    assert logged_in.headers["Location"] == "/about"

    other = app.test_client()
    other.submit(
        "/register?next=https://evil.example/",
        data=_register_data(email="bruno@example.org"),
    )
    logged_in = other.submit(
        "/login?next=https://evil.example/",
        data={"email": "bruno@example.org", "password": PASSWORD},
    )
    assert logged_in.headers["Location"] == "/"


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"display_name": "", "password": "", "password_confirm": ""},
            "Enter a display name.",
        ),
        ({"email": ""}, "Enter your e-mail address."),
        ({"email": "ana-at-example.org"}, "Enter a valid e-mail address."),
        (
            {"password": "too short", "password_confirm": "too short"},
            "Use at least 10 characters.",
        ),
        (
            {"password": "Password123", "password_confirm": "Password123"},
            "one of the most common",
        ),
        ({"password_confirm": PASSWORD + "!"}, "The two passwords are not the same."),
        ({"display_name": "Ana " + "x" * 80}, "Use at most 80 characters."),
    ],
)
def test_register_refuses_bad_input_and_keeps_what_was_typed(client, changes, message):
    data = _register_data(**changes)

    response = client.submit("/register", data=data)

    assert response.status_code == 200
    assert message in page_text(response)
    html = response.get_data(as_text=True)
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    if data["display_name"]:
        assert f'value="{data["display_name"]}"' in html
    assert 'aria-invalid="true"' in html
    if data["password"]:
        assert data["password"] not in html
    assert _users() == 0


def test_a_taken_address_gets_the_same_answer_and_its_owner_an_e_mail(
    app, client, make_user, smtp_server
):
    owner = make_user(email="ana.silva@example.org", name="Ana Owner")
    new = app.test_client().submit(
        "/register", data=_register_data(email="bruno@example.org")
    )
    jobs.run_pending()
    smtp_server.messages.clear()

    taken = client.submit(
        "/register",
        data=_register_data(
            email="ANA.Silva@example.org",
            password="someone else's passphrase",
            password_confirm="someone else's passphrase",
        ),
    )

    assert (taken.status_code, taken.headers["Location"]) == (
        new.status_code,
        new.headers["Location"],
    )
    page = page_text(client.get("/login"))
    assert "We sent an e-mail to ana.silva@example.org" in page
    assert "already" not in page
    assert _users() == 2
    db.session.refresh(owner)
    assert check_password_hash(owner.password_hash, PASSWORD)  # unchanged
    # The owner hears of it, with a link to choose a new password that works.
    jobs.run_pending()
    [message] = smtp_server.messages
    assert message["To"] == "ana.silva@example.org"
    assert message["Subject"] == "Someone tried to register with your e-mail address"
    text = message.get_content()
    assert "Hello Ana Owner," in text and "already has an account" in text
    reset = re.search(r"https?://[^/\s]+(/password/reset/\S+)", text).group(1)
    response = client.submit(
        reset, data={"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD}
    )
    assert response.headers["Location"] == "/login"
    db.session.refresh(owner)
    assert check_password_hash(owner.password_hash, NEW_PASSWORD)


def test_a_taken_address_with_bad_input_gets_the_same_refusal(client, make_user):
    make_user(email="ana.silva@example.org")
    data = _register_data(email="ana.silva@example.org", password_confirm="other")
    response = client.submit("/register", data=data)
    assert response.status_code == 200
    assert "The two passwords are not the same." in page_text(response)
    assert "already" not in page_text(response)


def test_registrations_of_one_address_are_limited(app, client, make_user):
    make_user(email="ana.silva@example.org")
    limit = _limit(app, "REGISTER_LIMIT_PER_EMAIL")
    for n in range(limit):
        response = client.submit(
            "/register",
            data=_register_data(),
            environ_base={"REMOTE_ADDR": f"10.0.3.{n}"},
        )
        assert response.status_code == 302
    response = client.submit(
        "/register", data=_register_data(), environ_base={"REMOTE_ADDR": "10.0.4.1"}
    )
    assert response.status_code == 429


def test_register_needs_csrf(client):
    assert client.post("/register", data=_register_data()).status_code == 400
    assert _users() == 0


def test_register_is_limited_per_ip(client, app):
    limit = _limit(app, "REGISTER_LIMIT_PER_IP")
    for n in range(limit):
        response = client.submit(
            "/register", data=_register_data(email=f"n{n}@example.org", password="")
        )
        assert response.status_code == 200

    response = client.submit("/register", data=_register_data())
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
    assert _users() == 0

    elsewhere = client.submit(
        "/register", data=_register_data(), environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert elsewhere.status_code == 302


# Log in and out


def test_login_page_is_accessible(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'for="email"' in html and 'for="password"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html


def test_login_and_logout(client, make_user):
    user = make_user(email="ana@example.org")

    response = client.submit(
        "/login", data={"email": " ANA@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert user.display_name in page_text(client.get("/"))
    assert client.get("/account").status_code == 200

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token
    assert client.get("/account").status_code == 200

    response = client.submit("/logout")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_login_follows_next_from_login_required(client, make_user):
    user = make_user()

    redirect_to_login = client.get("/account")
    assert redirect_to_login.headers["Location"] == "/login?next=/account"
    form = client.get(redirect_to_login.headers["Location"]).get_data(as_text=True)
    assert 'action="/login?next=/account"' in form

    response = client.submit(
        "/login?next=%2Faccount", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user()
    response = client.submit(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        query_string={"next": target},
    )
    assert response.headers["Location"] == "/"


def test_login_failure_does_not_tell_which_part_was_wrong(client, make_user):
    make_user(email="ana@example.org")

    wrong_password = client.submit(
        "/login", data={"email": "ana@example.org", "password": "not the password"}
    )
    unknown_email = client.submit(
        "/login", data={"email": "bruno@example.org", "password": "not the password"}
    )

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert "Wrong e-mail address or password." in page_text(wrong_password)
    assert page_text(wrong_password).replace("ana@", "X@") == page_text(
        unknown_email
    ).replace("bruno@", "X@")
    assert client.get("/account").status_code == 302


def test_login_failure_keeps_the_email_never_the_password(client, make_user):
    make_user(email="ana@example.org")

    response = client.submit(
        "/login", data={"email": "ana@example.org", "password": "my secret guess"}
    )

    html = response.get_data(as_text=True)
    assert 'value="ana@example.org"' in html
    assert "my secret guess" not in html


def test_login_with_empty_fields(client):
    response = client.submit("/login", data={"email": "", "password": ""})
    assert response.status_code == 200
    assert "Enter your e-mail address." in page_text(response)
    assert "Enter your password." in page_text(response)


def test_login_starts_a_fresh_session_keeping_the_language(client, make_user):
    user = make_user()
    client.submit("/language", data={"language": "es"})
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        before = dict(session)

    response = client.login(user)

    assert _set_cookie_headers(response)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != before.get("csrf_token")
        assert session["language"] == "es"
        assert session["_user_id"] == str(user.id)


def test_session_cookie_flags(client, make_user):
    response = client.login(make_user())

    (cookie,) = _set_cookie_headers(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logout_empties_the_session_keeping_the_language(client, make_user):
    client.login(make_user())
    client.submit("/language", data={"language": "pt_BR"})

    client.submit("/logout")

    with client.session_transaction() as session:
        assert "_user_id" not in session
        assert session["language"] == "pt_BR"


def test_logged_in_user_is_sent_home_from_login_and_register(client, make_user):
    client.login(make_user())
    assert client.get("/login").headers["Location"] == "/"
    assert client.get("/register").headers["Location"] == "/"


# Throttling


def _fail_login(client, email, ip="127.0.0.1"):
    return client.submit(
        "/login",
        data={"email": email, "password": "not the password"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_failed_logins_are_limited_per_account_and_address(client, app, make_user):
    user = make_user(email="ana@example.org")
    limit = _limit(app, "LOGIN_LIMIT_PER_ACCOUNT_AND_IP")
    for _ in range(limit):
        assert _fail_login(client, "ana@example.org", ip="10.6.6.6").status_code == 200

    # The same account from the same address, in another case.
    response = _fail_login(client, "ANA@example.org", ip="10.6.6.6")
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
    # Whoever is guessing there waits, even with the right password.
    guessed = client.submit(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.6.6.6"},
    )
    assert guessed.status_code == 429
    # Other accounts from there are not affected (up to the address's own limit).
    assert _fail_login(client, "bruno@example.org", ip="10.6.6.6").status_code == 200


def test_failures_elsewhere_do_not_lock_the_owner_out(client, app, make_user):
    """Wrong passwords typed by someone else, from other addresses, never keep the
    owner (any official, any admin) from logging in."""
    user = make_user(email="ana@example.org", role="admin")
    limit = _limit(app, "LOGIN_LIMIT_PER_ACCOUNT_AND_IP")
    for n in range(3 * limit):
        _fail_login(client, "ana@example.org", ip=f"10.0.{n // limit}.{n}")

    owner = app.test_client()
    response = owner.submit(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.10"},
    )
    assert response.status_code == 302


def test_failed_logins_are_limited_per_ip_across_accounts(client, app):
    limit = _limit(app, "LOGIN_LIMIT_PER_IP")
    for n in range(limit):
        assert _fail_login(client, f"person{n}@example.org").status_code == 200

    assert _fail_login(client, "someone.else@example.org").status_code == 429
    assert (
        _fail_login(client, "someone.else@example.org", ip="10.1.1.1").status_code
        == 200
    )


def test_successful_logins_and_page_views_do_not_count(client, app, make_user):
    user = make_user(email="ana@example.org")
    limit = _limit(app, "LOGIN_LIMIT_PER_ACCOUNT_AND_IP")
    for _ in range(limit):
        client.get("/login")
        client.login(user)
        client.submit("/logout")

    assert _fail_login(client, "ana@example.org").status_code == 200


# Account page


def test_account_needs_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.submit("/account/password", data={}).status_code == 302


def test_account_page_shows_current_values(client, make_user):
    user = make_user(name="Ana Silva", locale="es")
    client.login(user)

    html = client.get("/account").get_data(as_text=True)

    assert 'value="Ana Silva"' in html
    assert '<option lang="es" selected value="es">' in html
    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert html.count('id="csrf_token"') == 0  # two forms, no duplicate ids


def test_account_changes_name_and_language(client, make_user):
    user = make_user(name="Ana Silva")
    client.login(user)

    response = client.submit(
        "/account", data={"display_name": " Ana S. ", "locale": "pt_BR"}
    )

    assert response.status_code == 302
    assert (user.display_name, user.locale) == ("Ana S.", "pt_BR")
    assert 'lang="pt-BR"' in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"display_name": "", "locale": "en"}, "Enter a display name."),
        ({"display_name": "x" * 81, "locale": "en"}, "Use at most 80 characters."),
        ({"display_name": "Ana S.", "locale": "fr"}, "Not a valid choice"),
    ],
)
def test_account_refuses_bad_profile(client, make_user, data, message):
    user = make_user(name="Ana Silva")
    client.login(user)

    response = client.submit("/account", data=data)

    assert response.status_code == 200
    assert message in page_text(response)
    if data["display_name"]:
        assert f'value="{data["display_name"]}"' in response.get_data(as_text=True)
    assert user.display_name == "Ana Silva"


def test_change_password(client, make_user):
    user = make_user()
    client.login(user)

    response = client.submit(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )

    assert response.headers["Location"] == "/account"
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    client.submit("/logout")
    client.login(user, password=NEW_PASSWORD)


@pytest.mark.parametrize(
    "current, new, confirm, message",
    [
        ("wrong password here", NEW_PASSWORD, NEW_PASSWORD, "current password is not"),
        (PASSWORD, "short", "short", "Use at least 10 characters."),
        (PASSWORD, "iloveyou123", "iloveyou123", "one of the most common"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "?", "are not the same"),
        ("", NEW_PASSWORD, NEW_PASSWORD, "Enter your current password."),
    ],
)
def test_change_password_refusals(client, make_user, current, new, confirm, message):
    user = make_user(name="Ana Silva")
    client.login(user)

    response = client.submit(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "new_password_confirm": confirm,
        },
    )

    assert response.status_code == 200
    assert message in page_text(response)
    assert 'value="Ana Silva"' in response.get_data(as_text=True)  # profile form
    assert check_password_hash(user.password_hash, PASSWORD)


def test_guessing_the_current_password_is_limited(client, app, make_user):
    client.login(make_user())
    data = {
        "current_password": "a wrong guess",
        "new_password": NEW_PASSWORD,
        "new_password_confirm": NEW_PASSWORD,
    }
    for _ in range(_limit(app, "LOGIN_LIMIT_PER_ACCOUNT_AND_IP")):
        assert client.submit("/account/password", data=data).status_code == 200

    assert client.submit("/account/password", data=data).status_code == 429
