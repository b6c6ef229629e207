"""Accountability in a real browser: an official turns a selected idea into a
measure and updates its progress; a supporter of the idea gets one e-mail."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus, Support
from ideation.jobs import queue as jobs
from ideation.measures.models import Measure
from ideation.shared.roles import Role
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_an_official_turns_a_selected_idea_into_a_measure_and_a_supporter_hears(
    app, page, live_server, smtp_server, make_user, make_idea
):
    app.config["PUBLIC_URL"] = live_server
    official = make_user(Role.OFFICIAL, name="Olga Official")
    sam = make_user(name="Sam Supporter", email="sam@example.org")
    idea = make_idea(
        title="Open clinics in the evening", status=IdeaStatus.SELECTED.value
    )
    db.session.add(Support(idea_id=idea.id, user_id=sam.id))
    db.session.commit()

    log_in(page, official)
    page.goto(f"/ideas/{idea.id}")
    page.get_by_role("link", name="Turn this idea into a measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New measure")
    page.get_by_label("Title").fill("Evening clinics in Vila Nova")
    page.get_by_label("What the measure will do").fill("Three clinics open until 22h.")
    page.get_by_label("Responsible department").fill("State Department of Health")
    page.get_by_label("Budget in reais (optional)").fill("250,000")
    page.get_by_label("Target date").fill("2030-06-30")
    page.get_by_role("button", name="Create the measure").click()

    expect(page.locator(".flash-success")).to_contain_text("The measure is published.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Evening clinics in Vila Nova"
    )
    expect(page.get_by_text("R$250,000.00")).to_be_visible()

    page.get_by_label("Progress (percent done)").fill("30")
    page.get_by_label("What happened").fill("The first clinic opened its doors.")
    page.get_by_role("button", name="Publish the update").click()
    expect(page.locator(".flash-success")).to_contain_text("The update is published.")
    expect(page.locator("article.measure")).to_contain_text("30% done")

    # The idea's page shows the measure and its progress.
    page.goto(f"/ideas/{idea.id}")
    measures = page.get_by_role("region", name="Measures")
    expect(measures).to_contain_text("Evening clinics in Vila Nova")
    expect(measures).to_contain_text("30% done")

    jobs.run_pending()  # the outbox: e-mails go out through the suite's SMTP server
    [message] = [m for m in smtp_server.messages if m["To"] == sam.email]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Evening clinics in Vila Nova" in text and "30% done" in text
    assert "The first clinic opened its doors." in text
    db.session.rollback()
    assert db.session.scalar(select(Measure.progress)) == 30
