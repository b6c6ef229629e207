"""`flask demo load` on the real shipped Polis files, checked against the CSVs.

Expected figures are computed here straight from the CSV files, without the loader's
own reader, so that a mistake in one is not repeated in the other.
"""

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.demo.loader import DEMO_LOGINS, DEMO_PASSWORD
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.questions.models import Question, QuestionStatus

TITLES = {
    "bg2050-volunteers": (
        "What would you want to see in the Bowling Green of the future?"
    ),
    "scoop-hivemind.biodiversity": (
        "How can we protect and restore the biodiversity of Aotearoa New Zealand?"
    ),
    "scoop-hivemind.affordable-housing": (
        "How can we make housing affordable in Aotearoa New Zealand?"
    ),
}


@pytest.fixture
def loaded(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result


def _rows(app, slug, name):
    path = Path(app.config["DEMO_DATA_DIR"]) / "polis" / slug / name
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _accepted_statements(app, slug):
    return [r for r in _rows(app, slug, "comments.csv") if r["moderated"] != "-1"]


def _final_agrees(app, slug, statements):
    """Comment id -> voters whose last vote on it is agree, its author excepted."""
    last = {}
    for row in _rows(app, slug, "votes.csv"):
        key = (row["comment-id"], row["voter-id"])
        if key not in last or int(row["timestamp"]) >= int(last[key]["timestamp"]):
            last[key] = row
    authors = {s["comment-id"]: s["author-id"] for s in statements}
    return Counter(
        comment
        for (comment, voter), row in last.items()
        # The platform forbids supporting one's own idea.
        if row["vote"] == "1" and authors.get(comment) != voter
    )


def _question(slug):
    return db.session.scalars(
        select(Question).where(Question.title == TITLES[slug])
    ).one()


def test_load_creates_one_open_question_per_conversation(loaded):
    questions = db.session.scalars(select(Question)).all()
    assert sorted(q.title for q in questions) == sorted(TITLES.values())
    assert all(q.status == QuestionStatus.PUBLISHED.value for q in questions)
    assert all(q.is_open() for q in questions)
    assert all("CC BY 4.0" in q.context for q in questions)
    for email, _, _ in DEMO_LOGINS:
        assert email in loaded.output
    assert DEMO_PASSWORD in loaded.output


@pytest.mark.parametrize("slug", TITLES)
def test_ideas_and_supports_match_the_polis_files(app, loaded, slug):
    statements = _accepted_statements(app, slug)
    question = _question(slug)
    ideas = db.session.scalars(select(Idea).where(Idea.question == question)).all()
    assert len(ideas) == len(statements)

    agrees = _final_agrees(app, slug, statements)
    short = _short_plain_unique(statements)
    most = max(short, key=lambda s: agrees[s["comment-id"]])
    least = min(short, key=lambda s: agrees[s["comment-id"]])
    for statement in (most, least, short[0]):
        idea = db.session.scalars(
            select(Idea).where(
                Idea.question == question, Idea.title == statement["comment-body"]
            )
        ).one()
        assert idea.support_count == agrees[statement["comment-id"]]

    max_title = app.config["IDEA_TITLE_MAX"]
    long = [
        s for s in statements if len(" ".join(s["comment-body"].split())) > max_title
    ]
    cut = [i for i in ideas if i.description]
    assert len(cut) == len(long)
    assert all(len(i.title) <= max_title and i.title.endswith("…") for i in cut)
    assert sorted(i.description for i in cut) == sorted(
        s["comment-body"].strip() for s in long
    )


def _short_plain_unique(statements):
    """Statements whose idea title is their exact text, and no other idea's."""
    texts = Counter(s["comment-body"] for s in statements)
    return [
        s
        for s in statements
        if len(s["comment-body"]) <= 100
        and " ".join(s["comment-body"].split()) == s["comment-body"]
        and texts[s["comment-body"]] == 1
    ]


def test_every_support_count_equals_its_support_rows(loaded):
    support_rows = (
        select(func.count(Support.id))
        .where(Support.idea_id == Idea.id)
        .scalar_subquery()
    )
    mismatched = select(func.count(Idea.id)).where(Idea.support_count != support_rows)
    assert db.session.scalar(mismatched) == 0
    own = (
        select(func.count(Support.id))
        .join(Idea)
        .where(Support.user_id == Idea.author_id)
    )
    assert db.session.scalar(own) == 0
    assert db.session.scalar(select(func.count(Support.id))) > 30_000


def test_demo_logins_can_log_in(app, loaded):
    for email, _, _ in DEMO_LOGINS:
        client = app.test_client()
        credentials = {"email": email, "password": DEMO_PASSWORD}
        response = client.submit("/login", data=credentials)
        assert response.status_code == 302, email


def _counts():
    return [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Question, Idea, Support)
    ]


def test_second_load_changes_nothing(runner, loaded):
    before = _counts()

    if_empty = runner.invoke(args=["demo", "load", "--if-empty"])
    assert if_empty.exit_code == 0, if_empty.output
    assert _counts() == before

    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code != 0
    assert "already loaded" in again.output
    assert _counts() == before


def test_participants_take_no_mail_but_demo_logins_do(loaded):
    from ideation.auth.models import EmailPreference

    participants = select(User.email_preference).where(
        User.email.like("p%.%@demo.invalid")
    )
    assert set(db.session.scalars(participants)) == {EmailPreference.OFF.value}
    citizen = db.session.scalars(
        select(User).filter_by(email="citizen@demo.invalid")
    ).one()
    assert citizen.email_preference == EmailPreference.IMMEDIATELY.value


def test_the_first_question_is_in_its_voting_phase_with_proposals(loaded):
    from ideation.proposals.models import Phase, Proposal, QuestionCycle

    cycle = db.session.scalars(select(QuestionCycle)).one()
    assert cycle.current_phase() == Phase.VOTING
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.question_id == cycle.question_id)
    ).all()
    assert len(proposals) == 12
    assert all(len(p.ideas) == 2 and p.credited for p in proposals)
