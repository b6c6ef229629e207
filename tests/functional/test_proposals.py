"""The consultation cycle and the synthesis of proposals through the client."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.audit.models import AuditLog
from ideation.duplicates.models import DuplicateCandidate
from ideation.extensions import db
from ideation.notifications.models import Notification
from ideation.proposals.models import Phase, Proposal, QuestionCycle
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from ideation.themes.models import IdeaTheme, Theme
from tests.conftest import page_text
from tests.helpers import create_proposals, start_cycle


def test_an_official_starts_a_cycle_and_moves_it_on(client, make_user, make_question):
    question = make_question()
    client.login(make_user(Role.OFFICIAL))
    assert client.get(f"/questions/{question.id}/cycle").status_code == 200
    response = client.submit(
        f"/questions/{question.id}/cycle",
        {
            "phase": "ideas",
            "ideas_close_at": "2031-03-01T18:00",
            "voting_opens_at": "2031-03-10T09:00",
            "voting_close_at": "2031-03-24T18:00",
        },
    )
    assert response.status_code == 302
    page = page_text(client.get(f"/questions/{question.id}"))
    assert "Consultation: Ideas" in page
    assert "Send your ideas now" in page
    response = client.submit(f"/questions/{question.id}/cycle/advance")
    assert response.status_code == 302
    cycle = db.session.get(QuestionCycle, question.id)
    assert cycle.phase == Phase.SYNTHESIS
    entries = db.session.scalars(
        select(AuditLog.action).where(AuditLog.target_type == "questions")
    ).all()
    assert entries.count("cycle.phase_changed") == 1
    assert "cycle.started" in entries and "cycle.dates_changed" in entries


def test_dates_out_of_order_are_refused_and_kept(client, make_user, make_question):
    question = make_question()
    client.login(make_user(Role.OFFICIAL))
    response = client.submit(
        f"/questions/{question.id}/cycle",
        {
            "phase": "ideas",
            "voting_opens_at": "2031-03-10T09:00",
            "voting_close_at": "2031-03-01T18:00",
        },
    )
    assert response.status_code == 200
    assert "The dates must follow the cycle" in page_text(response)
    assert "2031-03-10T09:00" in response.get_data(as_text=True)
    assert db.session.get(QuestionCycle, question.id) is None


def test_passed_dates_move_the_phase_on(client, make_question):
    question = make_question()
    start_cycle(question, Phase.IDEAS)
    cycle = db.session.get(QuestionCycle, question.id)
    cycle.ideas_close_at = utcnow() - timedelta(days=10)
    cycle.voting_opens_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert "Consultation: Voting" in page_text(client.get(f"/questions/{question.id}"))


def test_the_officials_phase_wins_over_passed_dates(client, make_user, make_question):
    question = make_question()
    client.login(make_user(Role.OFFICIAL))
    client.submit(
        f"/questions/{question.id}/cycle",
        {"phase": "ideas", "ideas_close_at": "2001-03-01T18:00"},
    )
    cycle = db.session.get(QuestionCycle, question.id)
    assert cycle.current_phase() == Phase.IDEAS
    assert cycle.ideas_close_at is None


def test_a_citizen_cannot_run_the_cycle(client, make_user, make_question):
    question = make_question()
    client.login(make_user())
    assert client.submit(f"/questions/{question.id}/cycle/advance").status_code == 403


def test_a_proposal_from_a_duplicate_group_credits_and_notifies_authors(
    client, make_user, make_question, make_idea
):
    question = make_question()
    a, b, c = (make_idea(question=question) for _ in range(3))
    db.session.add(
        DuplicateCandidate(
            question_id=question.id, idea_a_id=a.id, idea_b_id=b.id, similarity=0.9
        )
    )
    db.session.commit()
    official = make_user(Role.OFFICIAL)
    client.login(official)
    board = client.get(f"/questions/{question.id}/synthesis")
    text = page_text(board)
    assert "3 not used by any proposal" in text
    assert "Write a proposal from this group" in text
    link = f"/questions/{question.id}/proposals/new?idea={a.id}&amp;idea={b.id}"
    assert link in board.get_data(as_text=True)
    form = client.get(link.replace("&amp;", "&"))
    assert a.title in page_text(form) and c.title not in page_text(form)
    response = client.submit(
        link.replace("&amp;", "&"),
        {
            "ideas": [a.id, b.id],
            "title": "Clinics open in the evening",
            "body": "Every health post opens until 22h.",
            "sub_theme": "Clinics",
        },
    )
    assert response.status_code == 302
    proposal = db.session.scalars(select(Proposal)).one()
    assert {u.id for u in proposal.credited} == {a.author_id, b.author_id}
    page = page_text(client.get(response.headers["Location"]))
    assert a.author.display_name in page and b.author.display_name in page
    notified = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "proposal.credited")
        )
    )
    assert notified == {a.author_id, b.author_id}
    assert "Part of these proposals" in page_text(client.get(f"/ideas/{a.id}"))
    assert "Part of these proposals" not in page_text(client.get(f"/ideas/{c.id}"))
    assert "1 not used by any proposal" in page_text(
        client.get(f"/questions/{question.id}/synthesis")
    )
    assert "proposal.written" in db.session.scalars(select(AuditLog.action)).all()


def test_a_proposal_from_a_theme_takes_its_unused_ideas(
    client, make_user, make_question, make_idea
):
    question = make_question()
    ideas = [make_idea(question=question) for _ in range(3)]
    theme = Theme(
        question_id=question.id, number=0, keywords=["clinic"], size=2, model="fake"
    )
    db.session.add(theme)
    db.session.flush()
    for idea in ideas[:2]:
        db.session.add(IdeaTheme(idea_id=idea.id, theme_id=theme.id))
    db.session.commit()
    client.login(make_user(Role.OFFICIAL))
    page = page_text(
        client.get(f"/questions/{question.id}/proposals/new?theme={theme.id}")
    )
    assert ideas[0].title in page and ideas[1].title in page
    assert ideas[2].title not in page


def test_a_proposal_needs_ideas_and_a_title(
    client, make_user, make_question, make_idea
):
    question = make_question()
    idea = make_idea(question=question)
    client.login(make_user(Role.OFFICIAL))
    url = f"/questions/{question.id}/proposals/new?idea={idea.id}"
    response = client.submit(url, {"title": "A title", "body": "Text"})
    assert response.status_code == 200
    assert "Choose the ideas this proposal comes from." in page_text(response)
    response = client.submit(url, {"ideas": [idea.id], "title": ""})
    assert response.status_code == 200
    assert "Give the proposal a title." in page_text(response)
    assert db.session.scalars(select(Proposal)).all() == []


def test_ideas_of_another_question_cannot_be_picked(
    client, make_user, make_question, make_idea
):
    question = make_question()
    other = make_idea()
    client.login(make_user(Role.OFFICIAL))
    url = f"/questions/{question.id}/proposals/new?idea={other.id}"
    assert other.title not in page_text(client.get(url))
    response = client.submit(url, {"ideas": [other.id], "title": "Sneaky"})
    assert response.status_code == 200
    assert db.session.scalars(select(Proposal)).all() == []


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_write_proposals(client, make_user, make_question, role):
    question = make_question()
    client.login(make_user(role))
    assert client.get(f"/questions/{question.id}/synthesis").status_code == 403
    response = client.submit(f"/questions/{question.id}/proposals/new", {"title": "x"})
    assert response.status_code == 403


def test_everyone_reads_the_proposals(client, make_question, make_idea):
    question = make_question()
    idea = make_idea(question=question)
    (proposal,) = create_proposals(question, [[idea]], sub_themes=("Clinics",))
    start_cycle(question, Phase.VOTING)
    listing = page_text(client.get(f"/questions/{question.id}/proposals"))
    assert proposal.title in listing and "Clinics" in listing
    page = page_text(client.get(f"/proposals/{proposal.id}"))
    assert idea.author.display_name in page and idea.title in page
    assert "Vote now" in page_text(client.get(f"/questions/{question.id}"))
