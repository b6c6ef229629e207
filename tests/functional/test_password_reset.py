"""A forgotten password: the link arrives by SMTP, works once, and nobody learns
whether an address has an account."""

import pytest
from limits import parse
from sqlalchemy import select
from werkzeug.security import check_password_hash

from ideation.auth.models import User
from ideation.extensions import db
from ideation.jobs import queue as jobs
from tests.conftest import PASSWORD, page_text
from tests.helpers import (
    NEW_PASSWORD,
    PUBLIC_URL,
    ask_for_link,
    choose,
    flashes,
    reset_path,
)


@pytest.fixture(autouse=True)
def public_url(app):
    app.config["PUBLIC_URL"] = PUBLIC_URL


@pytest.fixture
def ana(make_user):
    return make_user(email="ana@example.org", name="Ana")


def test_login_page_links_to_the_forgotten_password_page(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page
    assert "Forgot your password?" in page


def test_the_link_arrives_and_sets_a_new_password(client, ana, smtp_server):
    response = ask_for_link(client, " Ana@Example.org ")
    assert response.headers["Location"] == "/login"
    assert smtp_server.messages == []  # a job looks the account up and writes

    path = reset_path(smtp_server, "ana@example.org")
    assert client.get(path).status_code == 200
    response = choose(client, path)

    assert response.headers["Location"] == "/login"
    assert flashes(client)[-1] == (
        "success",
        "Your password is changed. Log in with the new one.",
    )
    db.session.refresh(ana)
    assert check_password_hash(ana.password_hash, NEW_PASSWORD)
    client.login(ana, password=NEW_PASSWORD)


def test_the_link_works_once(client, ana, smtp_server):
    ask_for_link(client, ana.email)
    path = reset_path(smtp_server, ana.email)
    choose(client, path)
    changed = db.session.scalar(select(User.password_hash))

    again = client.get(path, follow_redirects=True)
    assert "has already been used" in page_text(again)
    response = choose(client, path, password="yet another passphrase")

    assert response.headers["Location"] == "/password/forgot"
    assert db.session.scalar(select(User.password_hash)) == changed


def test_the_link_dies_when_the_password_is_changed_otherwise(client, ana, smtp_server):
    ask_for_link(client, ana.email)
    path = reset_path(smtp_server, ana.email)
    client.login(ana)
    client.submit(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )
    client.submit("/logout")

    response = client.get(path, follow_redirects=True)

    assert "has already been used" in page_text(response)


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    app, client, ana, smtp_server
):
    known = ask_for_link(client, "ana@example.org")
    known_flash = flashes(client)[-1]
    other = app.test_client()
    unknown = ask_for_link(other, "nobody@example.org")
    unknown_flash = flashes(other)[-1]

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert known_flash == (
        unknown_flash[0],
        unknown_flash[1].replace("nobody@example.org", "ana@example.org"),
    )
    assert "If an account uses nobody@example.org" in unknown_flash[1]
    jobs.run_pending()
    assert [m["To"] for m in smtp_server.messages] == ["ana@example.org"]


def test_an_account_without_password_gets_no_link(client, make_user, smtp_server):
    # Such accounts cannot log in (demo participants); a link must not change that.
    user = make_user(email="p1@example.org")
    user.password_hash = None
    db.session.commit()
    ask_for_link(client, "p1@example.org")
    jobs.run_pending()
    assert smtp_server.messages == []


def test_a_common_password_is_refused_and_nothing_is_kept(client, ana, smtp_server):
    ask_for_link(client, ana.email)
    path = reset_path(smtp_server, ana.email)

    response = choose(client, path, password="Password123")

    assert response.status_code == 200
    assert "one of the most common" in page_text(response)
    assert "Password123" not in response.get_data(as_text=True)
    db.session.refresh(ana)
    assert check_password_hash(ana.password_hash, PASSWORD)
    # Refused, the link still works.
    assert choose(client, path).headers["Location"] == "/login"


@pytest.mark.parametrize(
    "password, confirm, message",
    [
        ("too short", "too short", "Use at least 10 characters."),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords are not the same."),
        ("", "", "Choose a new password."),
    ],
)
def test_the_password_policy_of_registration_applies(
    client, ana, smtp_server, password, confirm, message
):
    ask_for_link(client, ana.email)
    path = reset_path(smtp_server, ana.email)
    response = choose(client, path, password=password, confirm=confirm)
    assert response.status_code == 200
    assert message in page_text(response)
    html = response.get_data(as_text=True)
    if password:
        assert password not in html


def test_the_reset_page_keeps_its_token_out_of_referers(client, ana, smtp_server):
    ask_for_link(client, ana.email)
    response = client.get(reset_path(smtp_server, ana.email))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert 'autocomplete="username"' in response.get_data(as_text=True)


def test_a_reset_confirms_an_unconfirmed_address(client, make_user, smtp_server):
    user = make_user(email="new@example.org", confirmed=False)
    ask_for_link(client, user.email)
    choose(client, reset_path(smtp_server, user.email))
    db.session.refresh(user)
    assert user.email_confirmed_at is not None  # the link reached the mailbox


def test_a_signed_in_visitor_is_logged_out_after_a_reset(
    client, ana, make_user, smtp_server
):
    ask_for_link(client, ana.email)
    path = reset_path(smtp_server, ana.email)
    client.login(make_user())
    choose(client, path)
    assert client.get("/account").status_code == 302


def test_forgot_page_is_limited_per_address(app, client, ana, smtp_server):
    limit = parse(app.config["PASSWORD_RESET_LIMIT_PER_EMAIL"]).amount
    for _ in range(limit):
        assert ask_for_link(client, "ana@example.org").status_code == 302
    assert ask_for_link(client, "ANA@example.org").status_code == 429
    # Another address from the same place is not blocked by it.
    assert ask_for_link(client, "bruno@example.org").status_code == 302
    jobs.run_pending()
    assert len(smtp_server.messages) == limit


def test_forgot_page_is_limited_per_ip(app, client):
    limit = parse(app.config["PASSWORD_RESET_LIMIT_PER_IP"]).amount
    for n in range(limit):
        assert ask_for_link(client, f"person{n}@example.org").status_code == 302
    assert ask_for_link(client, "one.more@example.org").status_code == 429


def test_forgot_page_needs_csrf(client, ana, smtp_server):
    assert client.post("/password/forgot", data={"email": ana.email}).status_code == 400
    jobs.run_pending()
    assert smtp_server.messages == []


def test_forgot_page_refuses_a_malformed_address(client, smtp_server):
    response = ask_for_link(client, "not-an-address")
    assert response.status_code == 200
    assert "Enter a valid e-mail address." in page_text(response)
    assert 'value="not-an-address"' in response.get_data(as_text=True)
