"""Similar ideas in a real browser: suggestions while typing, the check without JS."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.similarity.jobs import embed_idea
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def question(make_question, make_idea, make_user):
    question = make_question(title="How can we improve access to public health?")
    author = make_user(name="Dora Author")
    for title in (
        "Open health clinics in the evening",
        "Free bus passes for students",
    ):
        idea = make_idea(question=question, author=author, title=title)
        embed_idea(idea.id)
    db.session.commit()
    return question


def test_suggestions_appear_while_typing(page, make_user, question):
    log_in(page, make_user(name="Carla Dias"))
    page.goto(f"/questions/{question.id}/ideas/new")
    box = page.locator("[data-similar-box]")
    expect(box).to_be_hidden()

    page.get_by_label("Title").press_sequentially("Evening health clinics", delay=20)

    expect(box).to_be_visible()
    expect(box.get_by_role("heading")).to_have_text("Related ideas")
    suggestion = box.get_by_role("link", name="Open health clinics in the evening")
    expect(suggestion).to_be_visible()
    expect(box.get_by_role("listitem")).to_have_count(1)  # the bus passes are unlike
    expect(box).to_contain_text("0 supports")
    expect(page.get_by_role("status").filter(has_text="related idea")).to_have_text(
        "1 related idea already proposed"
    )

    page.get_by_label("Title").fill("")
    expect(box).to_be_hidden()

    # The suggestions never stand in the way of publishing.
    page.get_by_label("Title").fill("Mobile vaccination buses")
    page.get_by_role("button", name="Publish idea").click()
    expect(page).to_have_url(re.compile(r"/ideas/\d+$"))


def test_check_before_publishing_without_javascript(make_page, make_user, question):
    page = make_page(java_script_enabled=False)
    log_in(page, make_user(name="Carla Dias"))
    page.goto(f"/questions/{question.id}/ideas/new")
    page.get_by_label("Title").fill("Open health clinics in the evening")
    page.get_by_label("Description (optional)").fill("Until ten.\nAlso on Sundays.")
    page.get_by_role("button", name="Publish idea").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A similar idea already exists"
    )
    expect(page.locator(".your-idea")).to_contain_text("Also on Sundays.")
    expect(
        page.get_by_role("button", name=re.compile("^Support this idea instead"))
    ).to_be_visible()
    page.get_by_role("button", name="Publish my idea").click()

    expect(page).to_have_url(re.compile(r"/ideas/\d+$"))
    db.session.rollback()  # the server wrote in its own session
    published = db.session.scalars(select(Idea).order_by(Idea.id.desc())).first()
    assert published.title == "Open health clinics in the evening"
    assert published.description.splitlines() == ["Until ten.", "Also on Sundays."]
