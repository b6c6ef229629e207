"""The consultation cycle in a real browser: a citizen votes on pairs without a
reload, says "I can't decide" once and adds an idea; an official writes a proposal
from a duplicate group and sees its authors credited."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from ideation.duplicates.models import DuplicateCandidate
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.proposals.models import Phase
from ideation.shared.roles import Role
from ideation.voting.models import Vote
from tests.browser.conftest import log_in
from tests.helpers import create_proposals, start_cycle

pytestmark = pytest.mark.browser


def choose_button(page, title: str):
    """The button that picks the proposal `title`, by its accessible name."""
    name = re.compile(r"^This one\s*:\s*" + re.escape(title) + "$")
    return page.get_by_role("button", name=name)


def test_a_citizen_votes_ten_times_without_a_reload(
    page, make_user, make_question, make_idea
):
    question = make_question()
    ideas = [make_idea(question=question, title=f"Idea {n}") for n in range(6)]
    create_proposals(question, [[idea] for idea in ideas])  # 15 pairs
    start_cycle(question, Phase.VOTING)
    voter = make_user(name="Vera Voter")
    log_in(page, voter)

    page.goto(f"/questions/{question.id}")
    page.get_by_role("link", name="Vote now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which of these two is more important?"
    )
    # A mark on this document: it survives only if the page is never reloaded.
    page.evaluate("window.notReloaded = true")
    seen = set()
    for n in range(10):
        first = page.locator("[data-vote-title='first']").inner_text()
        second = page.locator("[data-vote-title='second']").inner_text()
        assert first != second
        seen.add(frozenset((first, second)))
        if n == 4:
            page.get_by_label("I don't know enough").check()
            page.get_by_role("button", name="I can't decide").click()
        else:
            # Keyboard: the choice button takes focus and Enter answers.
            choose_button(page, first).focus()
            page.keyboard.press("Enter")
        expect(page.locator("[data-vote-count]")).to_have_text(str(n + 1))
    assert len(seen) == 10  # never the same pair twice
    assert page.evaluate("window.notReloaded") is True
    status = page.locator("[data-vote-status]")
    expect(status).to_contain_text("Your vote is counted.")
    # The next pair's first button has the focus, for keyboard users.
    expect(page.locator("button[value='first']")).to_be_focused()

    db.session.commit()  # a fresh transaction sees what the server wrote
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 10
    undecided = db.session.scalars(select(Vote).where(Vote.choice == "undecided")).all()
    assert [v.reason for v in undecided] == ["dont_know"]

    page.get_by_role("link", name="Add your own idea").click()
    page.get_by_label("Title").fill("Night buses to the health posts")
    page.get_by_role("button", name="Publish idea").click()
    expect(page).to_have_url(re.compile(r"/ideas/\d+$"))
    db.session.commit()  # a fresh transaction sees what the server wrote
    added = db.session.scalars(
        select(Idea).where(Idea.title == "Night buses to the health posts")
    ).one()
    assert added.question_id == question.id


def test_the_vote_works_without_javascript(
    page_without_js, make_user, make_question, make_idea
):
    page = page_without_js
    question = make_question()
    ideas = [make_idea(question=question) for _ in range(3)]
    create_proposals(question, [[idea] for idea in ideas])
    start_cycle(question, Phase.VOTING)
    log_in(page, make_user())
    page.goto(f"/questions/{question.id}/vote")
    first = page.locator("[data-vote-title='first']").inner_text()
    choose_button(page, first).click()
    expect(page.locator(".flash, [role='status'], .messages").first).to_be_visible()
    expect(page.locator("[data-vote-count]")).to_have_text("1")


@pytest.fixture
def page_without_js(make_page):
    return make_page(java_script_enabled=False)


def test_an_official_writes_a_proposal_from_a_duplicate_group(
    page, make_user, make_question, make_idea
):
    question = make_question()
    ana, bruno = make_user(name="Ana Souza"), make_user(name="Bruno Lima")
    a = make_idea(question=question, author=ana, title="Clinics open at night")
    b = make_idea(question=question, author=bruno, title="Health posts open late")
    make_idea(question=question, title="More buses")
    db.session.add(
        DuplicateCandidate(
            question_id=question.id, idea_a_id=a.id, idea_b_id=b.id, similarity=0.9
        )
    )
    db.session.commit()
    start_cycle(question, Phase.SYNTHESIS)
    log_in(page, make_user(Role.OFFICIAL))

    page.goto(f"/questions/{question.id}")
    page.get_by_role("link", name="Synthesis board").click()
    expect(page.locator("main")).to_contain_text("3 not used by any proposal")
    page.get_by_role("link", name="Write a proposal from this group").click()
    expect(page.get_by_label("Clinics open at night")).to_be_checked()
    expect(page.get_by_label("Health posts open late")).to_be_checked()
    page.get_by_label("Title").fill("Health posts open in the evening")
    page.get_by_label("Text").fill("Every health post opens until 22h.")
    page.get_by_label("Sub-theme").fill("Opening hours")
    page.get_by_role("button", name="Publish the proposal").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Health posts open in the evening"
    )
    credits = page.locator(".proposal-credits")
    expect(credits).to_contain_text("Ana Souza")
    expect(credits).to_contain_text("Bruno Lima")
    page.get_by_role("link", name="Clinics open at night").click()
    expect(page.locator(".idea-proposals")).to_contain_text(
        "Health posts open in the evening"
    )
