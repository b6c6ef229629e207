"""Who may report, and how often anyone may submit, ask, report and support:
limits per account (and per address for reports), answered with the app's
translated 429 page, or JSON for the page's script."""

import pytest
from sqlalchemy import func, select

from ideation.extensions import db
from ideation.governor.models import GovernorQuestion
from ideation.ideas.models import Idea
from ideation.moderation.models import Flag
from tests.conftest import page_text
from tests.helpers import create_governor_question


def rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def signed_in(app, user, ip="10.0.0.1"):
    """A new browser at address `ip`, logged in as `user`."""
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = ip
    other.login(user)
    return other


# -- who may report ----------------------------------------------------------------


def test_an_unconfirmed_account_cannot_report(client, make_user, make_idea):
    idea = make_idea()
    client.login(make_user(confirmed=False))
    page = client.get(f"/flag/idea/{idea.id}")
    assert "Confirm your e-mail address" in page_text(page)
    assert 'href="/confirm/resend"' in page.get_data(as_text=True)
    response = client.submit(f"/flag/idea/{idea.id}", data={"reason": "spam"})
    assert response.status_code == 200
    assert "Confirm your e-mail address" in page_text(response)
    assert rows(Flag) == 0
    # Nor is the report form offered on the idea's page.
    assert f'href="/flag/idea/{idea.id}"' not in client.get(
        f"/ideas/{idea.id}"
    ).get_data(as_text=True)


def test_throw_away_accounts_cannot_hide_an_idea(app, make_user, make_idea):
    idea = make_idea()
    for n in range(app.config["FLAGS_TO_HIDE"]):
        made_up = signed_in(app, make_user(confirmed=False), ip=f"10.0.0.{n}")
        made_up.submit(f"/flag/idea/{idea.id}", data={"reason": "spam"})
    db.session.refresh(idea)
    assert idea.hidden_at is None and rows(Flag) == 0


# -- reports ------------------------------------------------------------------------


def test_reports_are_limited_per_account(app, make_user, make_idea):
    app.config["FLAG_LIMIT_PER_ACCOUNT"] = "2 per hour"
    ideas = [make_idea() for _ in range(3)]
    reporter = make_user()
    first = signed_in(app, reporter, ip="10.0.0.1")
    second = signed_in(app, reporter, ip="10.0.0.2")  # elsewhere: the same account
    assert (
        first.submit(f"/flag/idea/{ideas[0].id}", data={"reason": "spam"}).status_code
        == 302
    )
    assert (
        second.submit(f"/flag/idea/{ideas[1].id}", data={"reason": "spam"}).status_code
        == 302
    )
    response = first.submit(f"/flag/idea/{ideas[2].id}", data={"reason": "spam"})
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
    assert rows(Flag) == 2
    other = signed_in(app, make_user(), ip="10.0.0.1")
    assert (
        other.submit(f"/flag/idea/{ideas[2].id}", data={"reason": "spam"}).status_code
        == 302
    )


def test_reports_are_limited_per_address(app, make_user, make_idea):
    app.config["FLAG_LIMIT_PER_IP"] = "2 per hour"
    idea = make_idea()
    for _ in range(2):
        browser = signed_in(app, make_user(), ip="10.0.0.7")
        assert (
            browser.submit(f"/flag/idea/{idea.id}", data={"reason": "spam"}).status_code
            == 302
        )
    third = signed_in(app, make_user(), ip="10.0.0.7")
    assert (
        third.submit(f"/flag/idea/{idea.id}", data={"reason": "spam"}).status_code
        == 429
    )
    db.session.refresh(idea)
    assert idea.hidden_at is None
    elsewhere = signed_in(app, make_user(), ip="10.0.0.8")
    assert (
        elsewhere.submit(f"/flag/idea/{idea.id}", data={"reason": "spam"}).status_code
        == 302
    )


# -- ideas and questions to the governor ---------------------------------------------


def test_new_ideas_are_limited_per_account(app, make_user, make_question):
    app.config["IDEA_LIMIT_PER_ACCOUNT"] = "2 per hour"
    question = make_question()
    author = make_user()
    browser = signed_in(app, author)
    url = f"/questions/{question.id}/ideas/new"
    for n in range(2):
        data = {"title": f"Idea {n}", "confirmed_different": "1"}
        assert browser.submit(url, data=data).status_code == 302
    response = browser.submit(
        url,
        data={"title": "One more", "confirmed_different": "1"},
        headers={"Accept-Language": "pt-BR"},
    )
    assert response.status_code == 429
    assert "Muitas tentativas" in page_text(response)  # in the visitor's language
    assert rows(Idea) == 2
    # Another account at the same address is not held back.
    neighbour = signed_in(app, make_user())
    data = {"title": "A neighbour's idea", "confirmed_different": "1"}
    assert neighbour.submit(url, data=data).status_code == 302


def test_questions_to_the_governor_are_limited_per_account(app, make_user):
    app.config["ASK_LIMIT_PER_ACCOUNT"] = "1 per hour"
    browser = signed_in(app, make_user())
    data = {"title": "When?", "body": "Tell us."}
    assert browser.submit("/governor/ask", data=data).status_code == 302
    assert browser.submit("/governor/ask", data=data).status_code == 429
    assert rows(GovernorQuestion) == 1


# -- supports -----------------------------------------------------------------------


def test_support_toggles_are_limited_per_account(app, make_user, make_idea):
    app.config["SUPPORT_LIMIT_PER_ACCOUNT"] = "3 per minute"
    idea = make_idea()
    question = create_governor_question(make_user)
    browser = signed_in(app, make_user())
    # One budget for every toggle, of ideas and of questions to the governor.
    for url in (
        f"/ideas/{idea.id}/support",
        f"/ideas/{idea.id}/unsupport",
        f"/governor/questions/{question.id}/support",
    ):
        assert browser.submit(url).status_code == 302, url
    response = browser.submit(f"/ideas/{idea.id}/support")
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)


def test_the_pages_script_gets_json_when_limited(app, make_user, make_idea):
    app.config["SUPPORT_LIMIT_PER_ACCOUNT"] = "1 per minute"
    idea = make_idea()
    browser = signed_in(app, make_user())
    json = {"Accept": "application/json", "Accept-Language": "es"}
    assert browser.submit(f"/ideas/{idea.id}/support", headers=json).status_code == 200
    response = browser.submit(f"/ideas/{idea.id}/unsupport", headers=json)
    assert response.status_code == 429
    assert response.is_json
    assert response.get_json()["error"].startswith("Demasiados intentos")


@pytest.mark.parametrize(
    "setting",
    [
        "IDEA_LIMIT_PER_ACCOUNT",
        "ASK_LIMIT_PER_ACCOUNT",
        "FLAG_LIMIT_PER_ACCOUNT",
        "FLAG_LIMIT_PER_IP",
        "SUPPORT_LIMIT_PER_ACCOUNT",
    ],
)
def test_limits_are_configured(app, setting):
    assert " per " in app.config[setting]
