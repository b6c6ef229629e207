"""Measures from ideas, decisions and sessions through the client: who may create
them, what bad input says, what the idea page and the list show, progress."""

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.ideas.models import Support
from ideation.measures.models import Measure, MeasureLink
from ideation.notifications.models import Notification
from ideation.sessions.models import DesignSession, SessionIdea, SessionStatus
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from ideation.shortlist.models import ShortlistDecision
from tests.conftest import page_text
from tests.helpers import create_measure, flashes


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def form(**fields) -> dict:
    data = {
        "title": "Evening clinics",
        "description": "Three clinics open until 22h.",
        "department": "State Department of Health",
        "budget": "1,250,000.50",
        "start_date": in_days(1),
        "target_date": in_days(120),
    }
    data.update(fields)
    return data


@pytest.fixture
def idea(make_idea):
    return make_idea(status="selected", title="Open clinics at night")


@pytest.fixture
def official(client, make_user):
    user = make_user(Role.OFFICIAL)
    client.login(user)
    return user


def test_an_official_creates_a_measure_from_a_selected_idea(client, official, idea):
    url = f"/measures/new?idea={idea.id}"
    page = page_text(client.get(url))
    assert "New measure" in page and "Open clinics at night" in page
    response = client.submit(url, data=form())
    measure = db.session.scalar(select(Measure))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/measures/{measure.id}"
    assert flashes(client)[-1] == ("success", "The measure is published.")
    assert (measure.budget_cents, measure.department) == (
        125_000_050,
        "State Department of Health",
    )
    assert db.session.scalar(select(MeasureLink.idea_id)) == idea.id
    entry = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "measure.created")
    )
    assert entry.actor_id == official.id

    text = unescape(page_text(client.get(f"/measures/{measure.id}")))
    assert "R$1,250,000.50" in text and "State Department of Health" in text
    assert "0% done" in text and "Open clinics at night" in text


def test_the_budget_is_read_and_shown_the_readers_way(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL, locale="pt_BR"))
    client.submit(f"/measures/new?idea={idea.id}", data=form(budget="1.250.000,50"))
    measure = db.session.scalar(select(Measure))
    assert measure.budget_cents == 125_000_050
    text = page_text(client.get(f"/measures/{measure.id}"))
    assert "R$" in text and "1.250.000,50" in text and "Orçamento" in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"department": ""}, "Name the department responsible for the measure."),
        ({"budget": "lots"}, "Write the budget as a number of reais, e.g."),
        ({"budget": "-5"}, "A budget cannot be negative."),
        ({"target_date": in_days(-1)}, "The target date must be in the future"),
        ({"target_date": ""}, "Give the date by which the measure is due."),
        (
            {"start_date": in_days(200), "target_date": in_days(10)},
            "The start date cannot be after the target date.",
        ),
        ({"title": ""}, "Give the measure a title."),
    ],
)
def test_bad_input_says_why_and_keeps_what_was_typed(
    client, official, idea, fields, message
):
    data = form(description="Kept description", **fields)
    response = client.submit(f"/measures/new?idea={idea.id}", data=data)
    assert response.status_code == 200
    assert message in unescape(page_text(response))
    assert "Kept description" in response.get_data(as_text=True)
    assert db.session.scalar(select(Measure)) is None


def test_bad_input_in_portuguese(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL, locale="pt_BR"))
    response = client.submit(
        f"/measures/new?idea={idea.id}", data=form(department="", budget="muito")
    )
    text = unescape(page_text(response))
    assert "Informe o órgão responsável pela medida." in text
    assert "Escreva o orçamento como um valor em reais" in text
    assert 'value="muito"' in response.get_data(as_text=True)


def test_an_idea_that_is_not_selected_goes_back_with_a_message(
    client, official, make_idea
):
    submitted = make_idea()
    response = client.get(f"/measures/new?idea={submitted.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{submitted.id}"
    assert "Only a selected idea" in flashes(client)[-1][1]
    response = client.submit(f"/measures/new?idea={submitted.id}", data=form())
    assert response.status_code == 302 and db.session.scalar(select(Measure)) is None


@pytest.mark.parametrize(
    "query", ["", "?idea=999999", "?decision=999999", "?session=999999"]
)
def test_no_source_is_404(client, official, query):
    assert client.get(f"/measures/new{query}").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        (Role.CITIZEN, 403),
        (Role.MODERATOR, 403),
        (Role.OFFICIAL, 200),
        (Role.ADMIN, 200),
    ],
)
def test_who_may_open_and_send_the_form(client, make_user, idea, role, status):
    if role is not None:
        client.login(make_user(role))
    url = f"/measures/new?idea={idea.id}"
    assert client.get(url).status_code == status
    sent = client.submit(url, data=form())
    assert sent.status_code == (302 if status == 200 else status)
    assert (db.session.scalar(select(Measure)) is not None) == (status == 200)


def test_from_a_recorded_decision(client, official, make_question, make_idea):
    question = make_question()
    ideas = [make_idea(question=question) for _ in range(2)]
    decision = ShortlistDecision(
        question_id=question.id, decided_by_id=official.id, reason="Best", ideas=ideas
    )
    db.session.add(decision)
    db.session.commit()
    board = client.get(f"/questions/{question.id}/board").get_data(as_text=True)
    assert f"/measures/new?decision={decision.id}" in board
    assert client.get(f"/measures/new?decision={decision.id}").status_code == 200
    response = client.submit(f"/measures/new?decision={decision.id}", data=form())
    assert response.status_code == 302
    linked = set(db.session.scalars(select(MeasureLink.idea_id)))
    assert linked == {ideas[0].id, ideas[1].id, None}


def test_from_a_design_sessions_outcome(client, official, make_idea):
    idea = make_idea(status="in_design")
    now = utcnow()
    session = DesignSession(
        title="Clinic hours workshop",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2, hours=-2),
        place="City hall",
        capacity=10,
        status=SessionStatus.HELD,
        outcome="Open until 22h.",
        outcome_published_at=now,
        created_by=official,
    )
    db.session.add(session)
    db.session.flush()
    db.session.add(SessionIdea(session_id=session.id, idea_id=idea.id))
    db.session.commit()
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert f"/measures/new?session={session.id}" in page
    response = client.submit(f"/measures/new?session={session.id}", data=form())
    assert response.status_code == 302
    text = page_text(client.get(response.headers["Location"]))
    assert "From the outcome of the design session" in text


def test_the_idea_page_shows_its_measures_and_the_button_to_officials(
    client, make_user, idea
):
    anonymous = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Turn this idea into a measure" not in anonymous
    client.login(make_user(Role.OFFICIAL))
    assert "Turn this idea into a measure" in page_text(client.get(f"/ideas/{idea.id}"))
    measure = create_measure(make_user, title="Night clinics", progress=40)
    db.session.add(MeasureLink(measure_id=measure.id, idea_id=idea.id))
    db.session.commit()
    client.submit("/logout")
    text = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Night clinics" in text and "Announced" in text and "40% done" in text


def test_the_list_filters_by_department(client, make_user):
    create_measure(make_user, title="Health one", department="Health")
    create_measure(make_user, title="Roads one", department="Roads")
    every = page_text(client.get("/measures"))
    assert "Health one" in every and "Roads one" in every
    roads = page_text(client.get("/measures?department=Roads"))
    assert "Roads one" in roads and "Health one" not in roads
    both = page_text(client.get("/measures?department=Roads&status=done"))
    assert "No measure matches these filters." in both


def test_a_progress_update_tells_supporters_once_with_the_note(
    client, official, make_user, idea
):
    supporter = make_user()
    db.session.add(Support(idea_id=idea.id, user_id=supporter.id))
    db.session.commit()
    client.submit(f"/measures/new?idea={idea.id}", data=form())
    measure = db.session.scalar(select(Measure))
    response = client.submit(
        f"/measures/{measure.id}/updates",
        data={"status": "announced", "progress": "25", "note": "Budget approved."},
    )
    assert response.status_code == 302
    assert db.session.get(Measure, measure.id).progress == 25
    told = list(db.session.scalars(select(Notification)))
    assert {(n.user_id, n.kind) for n in told} == {
        (supporter.id, "measure.progress"),
        (idea.author_id, "measure.progress"),
    }
    assert told[0].params["quote"] == "Budget approved."
    assert "25% done" in page_text(client.get(f"/measures/{measure.id}"))


@pytest.mark.parametrize("progress", ["150", "-3", "half"])
def test_bad_progress_says_why_and_keeps_the_note(
    client, official, make_user, progress
):
    measure = create_measure(make_user)
    response = client.submit(
        f"/measures/{measure.id}/updates",
        data={"status": "in_progress", "progress": progress, "note": "Kept note"},
    )
    assert response.status_code == 200
    assert "Give the progress as a number from 0 to 100." in page_text(response)
    assert "Kept note" in response.get_data(as_text=True)
    assert db.session.get(Measure, measure.id).progress == 0
