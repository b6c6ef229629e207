"""A citizen searches a question's ideas without accents, filters by status, and
comments on the idea found, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def question_with_ideas(make_question, make_idea, make_user):
    question = make_question(title="Como melhorar a saúde pública?")
    reviewed = make_idea(
        question=question,
        title="Médicos à noite nos postos",
        description="Atendimento até as 22h.",
    )
    make_idea(question=question, title="Mais médicos no interior", description="")
    make_idea(question=question, title="Vacinação nas escolas", description="")
    reviewed.status = IdeaStatus.UNDER_REVIEW.value
    db.session.commit()
    return question, reviewed


def test_a_citizen_searches_filters_and_comments(page, make_user, question_with_ideas):
    question, reviewed = question_with_ideas
    log_in(page, make_user(name="Carla Cidadã"))

    page.goto(f"/questions/{question.id}")
    expect(page.locator(f"#idea-{reviewed.id} .badge-idea")).to_have_text(
        "Under review"
    )
    page.get_by_label("Search ideas").fill("medicos")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(rf"/questions/{question.id}/search\?q=medicos"))
    expect(page.get_by_role("heading", name="2 ideas found")).to_be_visible()

    page.get_by_label("Status").select_option(label="Under review")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 idea found")).to_be_visible()
    expect(page.get_by_label("Search ideas")).to_have_value("medicos")
    expect(page.get_by_label("Status")).to_have_value("under_review")

    page.get_by_role("link", name="Médicos à noite nos postos").click()
    expect(page).to_have_url(re.compile(rf"/ideas/{reviewed.id}$"))
    page.get_by_label("Your comment").fill("O posto da Vila Nova fecha às 17h.")
    page.get_by_role("button", name="Publish the comment").click()
    expect(page.get_by_text("Your comment is published.")).to_be_visible()
    comment = page.locator("article.comment")
    expect(comment).to_contain_text("O posto da Vila Nova fecha às 17h.")
    expect(comment).to_contain_text("Carla Cidadã")

    page.locator("details.comment-reply summary").click()
    page.get_by_label("Your reply").fill("Às sextas também.")
    page.get_by_role("button", name="Publish the reply").click()
    expect(page.locator(".comment-replies article.comment")).to_contain_text(
        "Às sextas também."
    )
