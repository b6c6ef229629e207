"""Confirming the e-mail address: the link arrives by SMTP, opening it confirms, and
until then the account may read but not submit, support or ask."""

import re
import time
from urllib.parse import urlsplit

import pytest
from itsdangerous import TimestampSigner
from limits import parse
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.auth.operations import create_account
from ideation.auth.tokens import make_confirmation_token
from ideation.extensions import db
from ideation.governor.models import GovernorQuestion, GovernorQuestionSupport
from ideation.ideas.models import Idea, Support
from ideation.jobs import queue as jobs
from tests.concurrency import run_together
from tests.conftest import PASSWORD, page_text
from tests.helpers import create_governor_question, flashes

PUBLIC_URL = "https://participa.example.gov.br"
CONFIRM_LINK = re.compile(re.escape(PUBLIC_URL) + r"(/confirm/[\w.-]+)")
RESEND_LINK = '<a href="/confirm/resend">Send the confirmation e-mail again</a>'


@pytest.fixture(autouse=True)
def public_url(app):
    app.config["PUBLIC_URL"] = PUBLIC_URL


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def confirmation_path(smtp_server, to: str) -> str:
    """Deliver the outbox, then the path of the link e-mailed to `to`."""
    jobs.run_pending()
    [message] = [m for m in smtp_server.messages if m["To"] == to]
    assert message["Subject"] == "Confirm your e-mail address"
    return CONFIRM_LINK.search(body(message)).group(1)


def register(client, email="ana.silva@example.org"):
    data = {
        "display_name": "Ana Silva",
        "email": email,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": "y",
    }
    response = client.submit("/register", data=data)
    assert response.status_code == 302, page_text(response)[:500]
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def unconfirmed(client, make_user):
    user = make_user(confirmed=False)
    client.login(user)
    return user


def chosen(page: str) -> str:
    """The value of the checked e-mail preference on the account page."""
    [value] = re.findall(
        r'<input checked[^>]*name="email_preference"[^>]*value="(\w+)"', page
    )
    return value


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# The link by e-mail


def test_registration_emails_a_link_that_confirms_the_address(client, smtp_server):
    user = register(client)
    assert user.email_confirmed_at is None
    assert smtp_server.messages == []  # sent by the worker, after the commit

    path = confirmation_path(smtp_server, "ana.silva@example.org")
    response = client.get(path)

    assert response.status_code == 302
    assert flashes(client)[-1] == (
        "success",
        "Thank you: your e-mail address is confirmed.",
    )
    db.session.refresh(user)
    assert user.email_confirmed_at is not None


def test_registration_says_where_the_link_went(client, smtp_server):
    register(client)
    assert flashes(client)[-1][1].startswith(
        "Thank you. We sent an e-mail to ana.silva@example.org: open the link in "
        "it to confirm your address, and log in here."
    )


def test_link_uses_the_public_url_not_the_requests_host(app, smtp_server):
    # A forged Host header must not end up in the links of e-mails.
    with app.test_request_context("/register", base_url="http://evil.example"):
        create_account("ana@example.org", "Ana", PASSWORD)
        db.session.commit()
    jobs.run_pending()
    text = body(smtp_server.messages[0])
    assert "evil.example" not in text
    assert CONFIRM_LINK.search(text)


def test_link_works_when_logged_out_and_does_not_log_in(app, client, smtp_server):
    register(client)
    path = confirmation_path(smtp_server, "ana.silva@example.org")
    client.submit("/logout")

    response = client.get(path)

    assert response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302  # still logged out
    assert db.session.scalar(select(User)).email_confirmed_at is not None


def test_opening_the_link_again_says_it_is_already_confirmed(client, smtp_server):
    user = register(client)
    path = confirmation_path(smtp_server, user.email)
    client.get(path)
    confirmed_at = db.session.scalar(select(User.email_confirmed_at))

    client.get(path)

    assert flashes(client)[-1] == ("info", "Your e-mail address was already confirmed.")
    assert db.session.scalar(select(User.email_confirmed_at)) == confirmed_at


def test_the_link_opened_many_times_at_once_confirms_once(app, client, smtp_server):
    """A mail scanner and the person open it together: a GET that writes, so its
    transaction takes the write lock first (SQLite) and none fails."""
    user = register(client)
    path = confirmation_path(smtp_server, user.email)
    client.submit("/logout")

    def open_link():
        visitor = app.test_client()
        return lambda: visitor.get(path).headers["Location"]

    assert run_together(app, [open_link] * 8) == ["/login"] * 8
    assert db.session.get(User, user.id).email_confirmed_at is not None


def test_expired_link_says_so_and_confirms_nothing(app, client, unconfirmed):
    days = app.config["EMAIL_TOKEN_MAX_AGE"].total_seconds() / 86400 + 1
    past = int(time.time() - days * 86400)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: past)
        token = make_confirmation_token(unconfirmed)

    response = client.get(f"/confirm/{token}", follow_redirects=True)

    assert "This confirmation link has expired." in page_text(response)
    assert "Send the confirmation e-mail again" in page_text(response)
    db.session.refresh(unconfirmed)
    assert unconfirmed.email_confirmed_at is None


def test_link_for_an_old_address_does_not_confirm_the_new_one(
    client, unconfirmed, smtp_server
):
    token = make_confirmation_token(unconfirmed)
    unconfirmed.email = "new.address@example.org"
    db.session.commit()

    response = client.get(f"/confirm/{token}", follow_redirects=True)

    assert "an e-mail address that your account no longer uses" in page_text(response)
    db.session.refresh(unconfirmed)
    assert unconfirmed.email_confirmed_at is None


def test_broken_link_is_refused(client, unconfirmed):
    token = make_confirmation_token(unconfirmed)
    response = client.get(f"/confirm/{token[:-3]}xyz", follow_redirects=True)
    assert "This confirmation link is not valid." in page_text(response)
    db.session.refresh(unconfirmed)
    assert unconfirmed.email_confirmed_at is None


def test_link_of_another_account_is_refused_while_signed_in(
    client, make_user, unconfirmed
):
    other = make_user(confirmed=False)

    response = client.get(f"/confirm/{make_confirmation_token(other)}")

    assert response.headers["Location"] == "/"
    assert "another account" in flashes(client)[-1][1]
    db.session.refresh(other)
    assert other.email_confirmed_at is None


# The banner and the resend button


def test_banner_asks_unconfirmed_accounts_to_confirm(client, unconfirmed):
    page = client.get("/")
    text = page_text(page)
    assert "Confirm your e-mail address to submit and support ideas" in text
    assert 'action="/confirm/resend"' in page.get_data(as_text=True)


def test_no_banner_once_confirmed(client, make_user):
    client.login(make_user())
    assert "Confirm your e-mail address" not in page_text(client.get("/"))


def test_resend_emails_a_new_link_that_works(client, unconfirmed, smtp_server):
    response = client.submit("/confirm/resend", data={"next": "/about"})

    assert response.headers["Location"] == "/about"
    path = confirmation_path(smtp_server, unconfirmed.email)
    client.get(path)
    db.session.refresh(unconfirmed)
    assert unconfirmed.email_confirmed_at is not None


def test_resend_is_limited_per_account(app, client, unconfirmed, smtp_server):
    limit = parse(app.config["CONFIRM_RESEND_LIMIT"]).amount
    for _ in range(limit):
        assert client.submit("/confirm/resend").status_code == 302

    assert client.submit("/confirm/resend").status_code == 429
    jobs.run_pending()
    assert len(smtp_server.messages) == limit


def test_resend_to_a_confirmed_address_sends_nothing(client, make_user, smtp_server):
    user = make_user()
    client.login(user)
    client.submit("/confirm/resend")
    jobs.run_pending()
    assert smtp_server.messages == []
    assert "already confirmed" in flashes(client)[-1][1]


def test_resend_needs_csrf(client, unconfirmed, smtp_server):
    assert client.post("/confirm/resend").status_code == 400
    jobs.run_pending()
    assert smtp_server.messages == []


# What waits for the confirmation


def test_unconfirmed_cannot_propose_an_idea(client, unconfirmed, make_question):
    question = make_question()
    url = f"/questions/{question.id}/ideas/new"

    response = client.get(url)
    assert response.headers["Location"] == f"/questions/{question.id}"
    category, message = flashes(client)[-1]
    assert category == "error" and RESEND_LINK in message
    assert "Confirm your e-mail address" in message

    response = client.submit(url, data={"title": "Evening clinics"})
    assert response.status_code == 302
    assert _count(Idea) == 0

    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert RESEND_LINK in page  # the message shows as a working link


def test_confirmed_can_propose_an_idea(client, make_user, make_question):
    client.login(make_user())
    question = make_question()
    assert client.get(f"/questions/{question.id}/ideas/new").status_code == 200


def test_unconfirmed_cannot_support_an_idea(client, unconfirmed, make_idea):
    idea = make_idea()

    response = client.submit(f"/ideas/{idea.id}/support")

    assert response.status_code == 302
    assert RESEND_LINK in flashes(client)[-1][1]
    assert _count(Support) == 0
    # No support button to press meanwhile; the banner says why.
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'action="/ideas/{idea.id}/support"' not in page


def test_unconfirmed_support_through_javascript_gets_the_reason(
    client, unconfirmed, make_idea
):
    idea = make_idea()
    response = client.submit(
        f"/ideas/{idea.id}/support", headers={"Accept": "application/json"}
    )
    assert response.status_code == 409
    assert "Confirm your e-mail address" in response.get_json()["error"]
    assert _count(Support) == 0


def test_confirmed_can_support_an_idea(client, make_user, make_idea):
    client.login(make_user())
    idea = make_idea()
    client.submit(f"/ideas/{idea.id}/support")
    assert _count(Support) == 1


def test_unconfirmed_cannot_ask_the_governor(client, unconfirmed):
    response = client.get("/governor/ask")
    assert response.headers["Location"] == "/governor/questions"
    assert RESEND_LINK in flashes(client)[-1][1]

    client.submit("/governor/ask", data={"title": "Why?", "body": "Because."})
    assert _count(GovernorQuestion) == 0


def test_unconfirmed_cannot_support_a_question_to_the_governor(
    client, make_user, unconfirmed
):
    question = create_governor_question(make_user)
    client.submit(f"/governor/questions/{question.id}/support")
    assert RESEND_LINK in flashes(client)[-1][1]
    assert _count(GovernorQuestionSupport) == 0


def test_confirming_unlocks_supporting(client, unconfirmed, make_idea, smtp_server):
    idea = make_idea()
    client.submit("/confirm/resend")
    client.get(confirmation_path(smtp_server, unconfirmed.email))

    client.submit(f"/ideas/{idea.id}/support")

    assert _count(Support) == 1


# Accounts that need no confirmation


def test_accounts_made_on_the_command_line_are_confirmed(runner, smtp_server):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "chief@example.org",
            "--name",
            "Chief",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(User)).email_confirmed_at is not None
    jobs.run_pending()
    assert smtp_server.messages == []


# Preferences on the account page


def test_account_page_saves_the_email_preference(client, make_user):
    user = make_user()
    client.login(user)
    page = client.get("/account").get_data(as_text=True)
    assert chosen(page) == "immediately"

    response = client.submit(
        "/account/email-notifications", data={"email_preference": "daily"}
    )

    assert response.headers["Location"] == "/account"
    db.session.refresh(user)
    assert user.email_preference == "daily"
    assert chosen(client.get("/account").get_data(as_text=True)) == "daily"


def test_account_page_refuses_an_unknown_preference(client, make_user):
    user = make_user()
    client.login(user)
    response = client.submit(
        "/account/email-notifications", data={"email_preference": "hourly"}
    )
    assert response.status_code == 200
    assert "Not a valid choice" in page_text(response)
    db.session.refresh(user)
    assert user.email_preference == "immediately"


def test_account_page_shows_whether_the_address_is_confirmed(client, unconfirmed):
    assert "(not confirmed yet)" in page_text(client.get("/account"))


def test_links_in_emails_carry_no_host_of_the_request(client, smtp_server):
    register(client)
    jobs.run_pending()
    for url in re.findall(r"https?://\S+", body(smtp_server.messages[0])):
        assert urlsplit(url).netloc == urlsplit(PUBLIC_URL).netloc
