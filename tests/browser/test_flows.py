"""What people click, in a real browser: accounts, ideas, supports, languages."""

import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def support_rows(idea_id: int) -> int:
    db.session.rollback()  # a fresh snapshot: the server wrote in other sessions
    return db.session.scalar(
        select(func.count()).select_from(Support).where(Support.idea_id == idea_id)
    )


def stored_count(idea_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(Idea.support_count).where(Idea.id == idea_id))


def flash(page):
    return page.locator(".flashes")


def test_register_through_the_form_then_log_in(page):
    page.goto("/")
    page.get_by_role("link", name="Register").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    page.get_by_label("Display name").fill("Ana Souza")
    page.get_by_label("E-mail address").fill("Ana.Souza@Example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create the account").click()

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(flash(page)).to_contain_text("We sent an e-mail to ana.souza@example.org")
    page.get_by_label("E-mail address", exact=True).fill("ana.souza@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="Ana Souza")).to_be_visible()
    expect(header.get_by_role("button", name="Log out")).to_be_visible()
    expect(header.get_by_role("link", name="Log in")).to_have_count(0)
    db.session.rollback()
    user = db.session.scalar(select(User).where(User.display_name == "Ana Souza"))
    assert user.email == "ana.souza@example.org"


def test_log_out_and_log_in_through_the_form(page, make_user):
    user = make_user(name="Bruno Lima")
    log_in(page, user)
    header = page.locator("header.site-header")

    header.get_by_role("button", name="Log out").click()
    expect(flash(page)).to_contain_text("You are logged out.")
    expect(header.get_by_role("link", name="Bruno Lima")).to_have_count(0)
    expect(header.get_by_role("link", name="Log in")).to_be_visible()

    # Logged out, the account page sends to the login form, which comes back.
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.locator("main form").get_by_role("button", name="Log in").click()
    expect(page.locator("main .errors")).to_contain_text(
        "Wrong e-mail address or password."
    )
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(header.get_by_role("link", name="Bruno Lima")).to_be_visible()


def test_submit_an_idea_through_the_form(page, make_user, make_question):
    question = make_question(title="How can buses run on time?")
    user = make_user(name="Carla Dias")
    log_in(page, user)

    page.goto(f"/questions/{question.id}")
    expect(page.locator("main")).to_contain_text("No idea yet.")
    page.get_by_role("link", name="Propose an idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose an idea")
    page.get_by_label("Title").fill("Bus lanes on the main avenues")
    page.get_by_label("Description (optional)").fill(
        "Paint bus lanes.\nSee https://example.org/lanes for a study."
    )
    page.get_by_role("button", name="Publish idea").click()

    expect(page).to_have_url(re.compile(r"/ideas/\d+$"))
    expect(flash(page)).to_contain_text("Thank you: your idea is published.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bus lanes on the main avenues"
    )
    description = page.locator(".idea-description")
    expect(description).to_contain_text("Paint bus lanes.")
    expect(description.locator("br")).to_have_count(1)
    link = description.get_by_role("link", name="https://example.org/lanes")
    expect(link).to_have_attribute("href", "https://example.org/lanes")
    expect(link).to_have_attribute("rel", re.compile(r"\bnofollow\b.*\bnoopener\b"))
    expect(page.locator("main .meta")).to_contain_text("Proposed by Carla Dias")
    idea_url = page.url

    page.get_by_role("link", name="Back to all ideas for this question").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("1 idea")
    card = page.locator(".idea-card")
    expect(card).to_have_count(1)
    card.get_by_role("link", name="Bus lanes on the main avenues").click()
    assert page.url == idea_url


@pytest.fixture
def idea(make_idea, make_user):
    return make_idea(title="Evening clinics", author=make_user(name="Dora Author"))


def test_support_without_a_page_reload(page, make_user, idea):
    idea_id = idea.id
    log_in(page, make_user(name="Eva Supporter"))
    page.goto(f"/ideas/{idea_id}")
    widget = page.locator(f'.support[data-idea-id="{idea_id}"]')
    count = widget.locator("[data-support-count]")
    button = widget.locator("[data-support-form] button[type=submit]")
    expect(count).to_have_text("0 supports")
    expect(button).to_contain_text("Support")

    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.evaluate("window.__noReload = 'still here'")
    button.click()
    expect(count).to_have_text("1 support")
    assert page.evaluate("window.__noReload") == "still here", "the page reloaded"
    assert navigations == []
    expect(button).to_contain_text("Remove support")
    assert support_rows(idea_id) == stored_count(idea_id) == 1

    button.click()
    expect(count).to_have_text("0 supports")
    expect(button).not_to_contain_text("Remove support")
    expect(button).to_contain_text("Support")
    assert page.evaluate("window.__noReload") == "still here", "the page reloaded"
    assert navigations == []
    assert support_rows(idea_id) == stored_count(idea_id) == 0

    # The state the script shows is the stored one: a reload agrees.
    button.click()
    expect(count).to_have_text("1 support")
    page.reload()
    expect(count).to_have_text("1 support")
    expect(button).to_contain_text("Remove support")
    assert support_rows(idea_id) == 1


def test_support_from_the_question_list_without_a_reload(page, make_user, idea):
    idea_id, question_id = idea.id, idea.question_id
    log_in(page, make_user())
    page.goto(f"/questions/{question_id}")
    card = page.locator(f"#idea-{idea_id}")
    count = card.locator("[data-support-count]")
    expect(count).to_have_text("0 supports")
    page.evaluate("window.__noReload = 1")
    card.locator("[data-support-form] button[type=submit]").click()
    expect(count).to_have_text("1 support")
    assert page.evaluate("window.__noReload") == 1, "the page reloaded"
    assert support_rows(idea_id) == 1


def test_support_works_without_javascript(make_page, make_user, idea):
    idea_id = idea.id
    page = make_page(java_script_enabled=False)
    log_in(page, make_user())
    page.goto(f"/ideas/{idea_id}")
    count = page.locator("[data-support-count]")
    expect(count).to_have_text("0 supports")

    with page.expect_navigation():
        page.locator("[data-support-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/ideas/{idea_id}$"))
    expect(flash(page)).to_contain_text("You support this idea.")
    expect(count).to_have_text("1 support")
    assert support_rows(idea_id) == stored_count(idea_id) == 1

    with page.expect_navigation():
        page.locator("[data-support-form] button[type=submit]").click()
    expect(flash(page)).to_contain_text("You no longer support this idea.")
    expect(count).to_have_text("0 supports")
    assert support_rows(idea_id) == 0

    # From the question's list, the form comes back to the idea's card.
    page.goto(f"/questions/{idea.question_id}")
    with page.expect_navigation():
        page.locator(f"#idea-{idea_id} [data-support-form] button").click()
    expect(page).to_have_url(re.compile(rf"/questions/\d+#idea-{idea_id}$"))
    expect(page.locator(f"#idea-{idea_id} [data-support-count]")).to_have_text(
        "1 support"
    )
    assert support_rows(idea_id) == 1


def translated(app, locale: str, message: str) -> str:
    """`message` as the app would show it in `locale` (itself when untranslated)."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message)


@pytest.mark.parametrize(
    ("code", "tag", "name"),
    [("pt_BR", "pt-BR", "Português (Brasil)"), ("es", "es", "Español")],
)
def test_switch_language(page, app, make_question, code, tag, name):
    question = make_question()
    page.goto(f"/questions/{question.id}")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    switcher = page.locator("form.language-switcher")

    switcher.locator("#language-select").select_option(label=name)
    switcher.locator("button[type=submit]").click()

    # Back on the same page, in the chosen language.
    expect(html).to_have_attribute("lang", tag)
    expect(page).to_have_url(re.compile(rf"/questions/{question.id}$"))
    select = switcher.locator("#language-select")
    expect(select).to_have_value(code)
    expect(select.locator("option:checked")).to_have_text(name)
    # Translations are checked only once the catalogue has them: until then the
    # English text is what the app itself serves.
    nav = page.locator("header nav")
    label = translated(app, code, "Questions")
    if label != "Questions":
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    login = translated(app, code, "Log in")
    expect(nav.get_by_role("link", name=login, exact=True)).to_be_visible()

    # The choice sticks on the next pages, and can be switched back.
    page.goto("/about")
    expect(html).to_have_attribute("lang", tag)
    switcher.locator("#language-select").select_option("en")
    switcher.locator("button[type=submit]").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/about$"))
    expect(nav.get_by_role("link", name="Questions", exact=True)).to_be_visible()
