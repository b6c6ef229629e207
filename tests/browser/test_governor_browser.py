"""The Governor Responds in a real browser: an answer with a video, and supports."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from ideation.extensions import db
from ideation.governor.models import GovernorQuestion, GovernorQuestionSupport
from ideation.shared.roles import Role
from tests.browser.conftest import log_in
from tests.helpers import create_governor_question

pytestmark = pytest.mark.browser

NOCOOKIE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
TRANSCRIPT = "Good morning. The clinic in Vila Nova reopens on the first of June."


def test_an_answer_with_a_video_shows_the_embed_and_transcript(page, make_user):
    # The closed network fails the frame's request (net::ERR_NAME_NOT_RESOLVED), but
    # that happens inside the frame and logs no console error in the page: the
    # fixtures' check of console errors stays as strict as everywhere else.
    question = create_governor_question(make_user, title="Will the clinic reopen?")
    question_id = question.id
    official = make_user(Role.OFFICIAL, name="Olga Official")
    log_in(page, official)

    page.goto("/governor/manage")
    page.get_by_role("link", name=re.compile(r"^Answer\b.*clinic reopen")).click()
    expect(page).to_have_url(re.compile(rf"/governor/questions/{question_id}/answer$"))
    page.get_by_label("Answer", exact=True).fill("Yes: **in June**.")
    page.get_by_label("Signed by (department)").fill("Office of the Governor")
    page.get_by_label("Video link (optional)").fill(
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3s"
    )
    page.get_by_label("Transcript of the video").fill(TRANSCRIPT)
    page.get_by_label("Measure", exact=True).fill("Reopen the Vila Nova clinic")
    page.get_by_label("What the measure will do").fill("Two doctors, a new roof.")
    target = date.today() + timedelta(days=45)
    page.get_by_label("Target date").fill(target.isoformat())
    page.get_by_role("button", name="Publish the answer").click()

    expect(page).to_have_url(re.compile(rf"/governor/questions/{question_id}$"))
    answer = page.locator("section.governor-answer")
    expect(answer.locator("strong")).to_have_text("in June")
    expect(answer).to_contain_text("Answered by Office of the Governor")

    frame = answer.locator("iframe")
    expect(frame).to_have_count(1)
    expect(frame).to_have_attribute("src", NOCOOKIE)
    expect(frame).to_have_attribute("title", "Video answer: Will the clinic reopen?")
    expect(frame).to_have_attribute("loading", "lazy")
    expect(frame).to_have_attribute("referrerpolicy", "strict-origin-when-cross-origin")
    expect(frame).to_have_attribute(
        "sandbox", "allow-scripts allow-same-origin allow-presentation"
    )
    expect(frame).to_have_attribute("allow", "fullscreen; picture-in-picture")

    # The transcript is one click away, for people who cannot watch or hear.
    transcript = answer.get_by_text(TRANSCRIPT)
    expect(transcript).to_be_hidden()
    answer.get_by_text("Transcript of the video").click()
    expect(transcript).to_be_visible()

    # The measure's page links back to the question.
    answer.get_by_role("link", name="Reopen the Vila Nova clinic").click()
    expect(page).to_have_url(re.compile(r"/measures/\d+$"))
    expect(page.locator("main")).to_contain_text("Announced")
    page.get_by_role("link", name="Will the clinic reopen?").click()
    expect(page).to_have_url(re.compile(rf"/governor/questions/{question_id}$"))


def support_rows(question_id: int) -> int:
    db.session.rollback()  # a fresh snapshot: the server wrote in other sessions
    return db.session.scalar(
        select(func.count())
        .select_from(GovernorQuestionSupport)
        .where(GovernorQuestionSupport.question_id == question_id)
    )


def stored_count(question_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(GovernorQuestion.support_count).where(GovernorQuestion.id == question_id)
    )


def test_support_a_question_without_a_page_reload(page, make_user):
    question_id = create_governor_question(make_user).id
    log_in(page, make_user())
    page.goto("/governor/questions")
    card = page.locator(f"#question-{question_id}")
    count = card.locator("[data-support-count]")
    button = card.locator("[data-support-form] button[type=submit]")
    expect(count).to_have_text("0 supports")

    page.evaluate("window.__noReload = 'still here'")
    button.click()
    expect(count).to_have_text("1 support")
    expect(button).to_contain_text("Remove support")
    assert page.evaluate("window.__noReload") == "still here", "the page reloaded"
    assert support_rows(question_id) == stored_count(question_id) == 1

    button.click()
    expect(count).to_have_text("0 supports")
    assert support_rows(question_id) == stored_count(question_id) == 0


def test_ask_and_support_without_javascript(make_page, make_user):
    page = make_page(java_script_enabled=False)
    asker = make_user(name="Ana Asker")
    log_in(page, asker)
    page.goto("/governor")
    page.get_by_role("link", name="Ask the governor").first.click()
    page.get_by_label("Your question").fill("Why is bus 12 always late?")
    page.get_by_label("Details").fill("Every morning, twenty minutes.")
    page.get_by_role("button", name="Send the question").click()
    expect(page.locator(".flashes")).to_contain_text("your question is published")
    question_url = page.url
    # No button on one's own question.
    expect(page.locator("[data-support-form]")).to_have_count(0)

    other = make_page(java_script_enabled=False)
    log_in(other, make_user())
    other.goto(question_url)
    with other.expect_navigation():
        other.locator("[data-support-form] button[type=submit]").click()
    expect(other.locator(".flashes")).to_contain_text("You support this question.")
    expect(other.locator("[data-support-count]")).to_have_text("1 support")
