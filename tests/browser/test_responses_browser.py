"""An official answers a whole duplicate group at once, in a real browser."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ideation.duplicates.models import DuplicateCandidate
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.shared.roles import Role
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

RESPONSE = "We are studying **night buses** to the clinics with the transport agency."


@pytest.fixture
def duplicate_group(make_question, make_idea, make_user):
    """Three ideas suggested as duplicates of each other, and one idea apart."""
    question = make_question(title="How can we improve access to public health?")
    titles = ("Night buses to clinics", "Buses at night", "Late buses", "Open data")
    ideas = [
        make_idea(question=question, title=title, description="", author=make_user())
        for title in titles
    ]
    for a, b in ((ideas[0], ideas[1]), (ideas[1], ideas[2])):
        db.session.add(
            DuplicateCandidate(
                question_id=question.id,
                idea_a_id=min(a.id, b.id),
                idea_b_id=max(a.id, b.id),
                similarity=0.93,
                shared=["buses"],
            )
        )
    db.session.commit()
    return question, ideas


def test_an_official_answers_a_duplicate_group_in_one_go(
    page, make_user, duplicate_group
):
    question, ideas = duplicate_group
    group, apart = ideas[:3], ideas[3]
    log_in(page, make_user(Role.OFFICIAL, name="Olga Official"))

    page.goto(f"/questions/{question.id}/preview")
    page.get_by_role("link", name="Shortlist board").click()
    expect(page).to_have_url(re.compile(rf"/questions/{question.id}/board$"))
    row = page.locator(f"tr#idea-{group[0].id}")
    row.get_by_role("link", name="Answer the group").click()
    expect(page).to_have_url(re.compile(rf"/questions/{question.id}/respond\?group="))

    for idea in group:
        expect(page.get_by_label(idea.title, exact=True)).to_be_checked()
    expect(page.get_by_label(apart.title, exact=True)).to_have_count(0)
    page.get_by_label("New status").select_option(label="Under review")
    page.get_by_label("Public response").fill(RESPONSE)
    page.get_by_label("Signed by (department)").fill("Department of Transport")
    page.get_by_role("button", name="Review the ideas this response reaches…").click()
    reach = page.locator(".confirm-reach-list li")
    expect(reach).to_have_text([idea.title for idea in group])
    page.get_by_role("button", name="Confirm: publish on these 3 ideas").click()

    expect(page).to_have_url(re.compile(rf"/questions/{question.id}/board$"))
    expect(page.locator(".flashes")).to_contain_text(
        "The response is published on each of the 3 ideas"
    )
    for idea in group:
        page.goto(f"/ideas/{idea.id}")
        timeline = page.locator("section#responses")
        expect(timeline.locator("strong")).to_have_text("night buses")
        expect(timeline).to_contain_text("Signed by Department of Transport")
        expect(timeline).to_contain_text("Current status: Under review")
        expect(timeline).to_contain_text("The same response answered 2 similar ideas.")
    page.goto(f"/ideas/{apart.id}")
    expect(page.locator("section#responses")).to_contain_text(
        "Officials have not responded yet."
    )
    db.session.rollback()  # a fresh snapshot: the server wrote in its own sessions
    statuses = db.session.scalars(
        select(Idea.status).where(Idea.id.in_([i.id for i in ideas])).order_by(Idea.id)
    ).all()
    assert statuses == ["under_review", "under_review", "under_review", "submitted"]
