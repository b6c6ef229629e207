from datetime import timedelta

import pytest

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.questions.models import Question, QuestionStatus
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.conftest import page_text

NEW_QUESTION = {
    "title": "How can we improve access to public health?",
    "context": "Clinics are **far** from many towns.\n\n<script>alert(1)</script>",
    "region": "Serra Gaúcha",
    "opens_at": "",
    "closes_at": "",
}


@pytest.fixture
def official_client(client, make_user):
    client.login(make_user(Role.OFFICIAL))
    return client


def test_public_list_shows_published_and_closed_not_drafts(client, make_question):
    make_question(title="Open one")
    make_question(title="Closed one", status=QuestionStatus.CLOSED)
    make_question(title="Secret draft", status=QuestionStatus.DRAFT)
    text = page_text(client.get("/questions/"))
    assert "Open one" in text and "Closed one" in text
    assert "Secret draft" not in text


def test_region_filter(client, make_question):
    make_question(title="North question", region="North")
    make_question(title="South question", region="South")
    text = page_text(client.get("/questions/?region=North"))
    assert "North question" in text
    assert "South question" not in text


def test_question_page_renders_sanitized_markdown(client, make_question):
    question = make_question(context="**Bold** <script>alert(1)</script>")
    html = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_draft_and_unknown_questions_are_404(client, make_question):
    draft = make_question(status=QuestionStatus.DRAFT)
    assert client.get(f"/questions/{draft.id}").status_code == 404
    assert client.get("/questions/999999").status_code == 404


def test_official_creates_publishes_and_closes(official_client):
    response = official_client.submit("/questions/new", data=NEW_QUESTION)
    assert response.status_code == 302
    question = db.session.scalars(db.select(Question)).one()
    assert question.status == "draft"
    assert question.region == "Serra Gaúcha"

    official_client.submit(f"/questions/{question.id}/publish")
    db.session.refresh(question)
    assert question.status == "published"
    assert official_client.get(f"/questions/{question.id}").status_code == 200

    official_client.submit(f"/questions/{question.id}/close")
    db.session.refresh(question)
    assert question.status == "closed"
    actions = db.session.scalars(db.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["question.created", "question.published", "question.closed"]


def test_publishing_twice_gives_a_message(official_client, make_question):
    question = make_question()
    response = official_client.submit(
        f"/questions/{question.id}/publish", follow_redirects=True
    )
    assert "Only a draft can be published." in page_text(response)


def test_new_question_with_bad_input_keeps_what_was_typed(official_client):
    data = dict(NEW_QUESTION, title="", context="Keep this context please")
    response = official_client.submit("/questions/new", data=data)
    assert response.status_code == 200
    assert "Keep this context please" in response.get_data(as_text=True)
    assert "This field is required." in page_text(response)
    assert db.session.scalar(db.select(db.func.count(Question.id))) == 0


def test_dates_out_of_order_and_past_closing_are_refused(official_client):
    data = dict(NEW_QUESTION, opens_at="2030-05-02T10:00", closes_at="2030-05-01T10:00")
    response = official_client.submit("/questions/new", data=data)
    assert "The closing date must be after the opening date." in page_text(response)
    past = (utcnow() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = official_client.submit(
        "/questions/new", data=dict(NEW_QUESTION, closes_at=past)
    )
    assert "The closing date must be in the future." in page_text(response)
    assert past in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Question.id))) == 0


def test_edit_prefills_and_saves(official_client, make_question):
    question = make_question(title="Old title", closes_at=utcnow() + timedelta(days=5))
    form = official_client.get(f"/questions/{question.id}/edit")
    assert "Old title" in form.get_data(as_text=True)
    data = dict(NEW_QUESTION, title="New title")
    official_client.submit(f"/questions/{question.id}/edit", data=data)
    db.session.refresh(question)
    assert question.title == "New title"
    assert question.closes_at is None


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_citizens_and_moderators_cannot_manage_questions(client, make_user, role):
    client.login(make_user(role))
    assert client.get("/questions/new").status_code == 403
    assert client.submit("/questions/new", data=NEW_QUESTION).status_code == 403
    assert client.get("/questions/manage").status_code == 403


def test_anonymous_is_sent_to_login(client, make_question):
    question = make_question(status=QuestionStatus.DRAFT)
    response = client.submit(f"/questions/{question.id}/publish")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    db.session.refresh(question)
    assert question.status == "draft"


def test_manage_lists_drafts_for_officials(official_client, make_question):
    make_question(title="Draft for officials", status=QuestionStatus.DRAFT)
    assert "Draft for officials" in page_text(official_client.get("/questions/manage"))
