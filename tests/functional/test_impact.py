"""The impact dashboard, its CSV files, the answer ledgers, and the answer period
of a question, through the Flask client."""

from datetime import UTC, datetime, timedelta

import pytest

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.questions.models import Question, QuestionStatus
from ideation.responses.models import IdeaResponse
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.conftest import page_text


@pytest.fixture
def official_client(client, make_user):
    client.login(make_user(Role.OFFICIAL))
    return client


@pytest.fixture
def answered(make_question, make_idea):
    """A question closed ten days ago with 30 days to answer: one idea answered,
    one hidden by moderators, one waiting."""
    question = make_question(
        title="Saúde pública",
        region="Serra Gaúcha",
        closes_at=utcnow() - timedelta(days=10),
        response_days=30,
    )
    idea = make_idea(
        question=question,
        title="Clínicas à noite",
        created_at=utcnow() - timedelta(days=20),
    )
    db.session.add(
        IdeaResponse(
            idea_id=idea.id,
            status_from=IdeaStatus.SUBMITTED,
            status_to=IdeaStatus.UNDER_REVIEW,
            body="Estamos estudando.",
            department="Secretaria da Saúde",
            created_at=utcnow() - timedelta(days=5),
        )
    )
    idea.status = IdeaStatus.UNDER_REVIEW
    make_idea(
        question=question,
        title="Spam hidden",
        hidden_at=utcnow(),
        hidden_reason="spam",
    )
    make_idea(question=question, title="Ônibus gratuito")
    db.session.commit()
    return question


# -- the dashboard ---------------------------------------------------------------------


def test_the_public_dashboard_draws_accessible_charts(client, answered):
    response = client.get("/impact/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('role="img"') == 6
    assert (
        '<title id="chart-funnel-title">From submitted to implemented</title>' in html
    )
    assert '<desc id="chart-funnel-desc">' in html
    assert "<table" in html
    text = page_text(response)
    # Two ideas (the hidden one is left out): one answered on time, one still in
    # time, so all the ideas due were answered on time.
    assert "Serra Gaúcha" in text
    assert "Spam hidden" not in text
    assert "100%" in text
    assert "The officials' view" not in text


def test_one_question_per_week(client, answered):
    response = client.get(f"/impact/?question={answered.id}&period=week")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Participation per week" in html
    assert 'id="chart-regions"' not in html  # a single question has one region


@pytest.mark.parametrize("query", ["question=abc", "question=999999", "question=0"])
def test_an_unknown_question_is_404(client, query):
    assert client.get(f"/impact/?{query}").status_code == 404


def test_a_draft_question_is_404(client, make_question):
    draft = make_question(status=QuestionStatus.DRAFT)
    assert client.get(f"/impact/?question={draft.id}").status_code == 404


def test_an_unknown_period_falls_back_to_months(client, answered):
    response = client.get("/impact/?period=fortnight")
    assert "Participation per month" in response.get_data(as_text=True)


def test_officials_see_what_is_hidden_and_departments(official_client, answered):
    response = official_client.get("/impact/official")
    assert response.status_code == 200
    text = page_text(response)
    assert "Ideas hidden by moderators" in text
    assert "Secretaria da Saúde" in text
    assert "The public dashboard" in text
    # The public page links an official to their view.
    assert "The officials' view" in page_text(official_client.get("/impact/"))


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_others_may_not_see_the_officials_view(client, make_user, role):
    client.login(make_user(role))
    assert client.get("/impact/official").status_code == 403
    assert client.get("/impact/official/hidden.csv").status_code == 403


# -- CSV -------------------------------------------------------------------------------


def test_every_public_chart_downloads_as_csv(client, answered):
    for key in (
        "participation",
        "regions",
        "funnel",
        "answers",
        "governor",
        "measures",
    ):
        response = client.get(f"/impact/{key}.csv")
        assert response.status_code == 200, key
        assert response.mimetype == "text/csv"
        assert (
            f'filename="impact-{key}-month.csv"'
            in response.headers["Content-Disposition"]
        )
        text = response.get_data().decode("utf-8")
        assert text.startswith('\ufeff"')
    regions = client.get("/impact/regions.csv").get_data().decode("utf-8")
    assert '"Serra Gaúcha","2","0","2"' in regions


def test_csv_of_one_question_and_of_unknown_charts(client, answered):
    response = client.get(f"/impact/funnel.csv?question={answered.id}&period=week")
    assert f"question-{answered.id}-week.csv" in response.headers["Content-Disposition"]
    # Officials' charts are not public; one question has no regions chart.
    assert client.get("/impact/hidden.csv").status_code == 404
    assert client.get("/impact/nothing.csv").status_code == 404
    assert client.get(f"/impact/regions.csv?question={answered.id}").status_code == 404


def test_officials_download_their_charts(official_client, answered):
    response = official_client.get("/impact/official/departments.csv")
    assert response.status_code == 200
    assert "Secretaria da Saúde" in response.get_data().decode("utf-8")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_csv_follows_the_readers_language(client, answered):
    client.get("/")  # a session
    response = client.get("/impact/funnel.csv", headers={"Accept-Language": "pt-BR"})
    first_line = response.get_data().decode("utf-8").splitlines()[0]
    assert first_line != '\ufeff"Status","Ideas there now","Ideas that reached it"'


# -- the ledgers -----------------------------------------------------------------------


def test_the_question_page_shows_its_deadline(client, answered):
    text = page_text(client.get(f"/questions/{answered.id}"))
    assert "Officials answer every idea by" in text
    assert "30 days after the ideas phase" in text
    assert "Answered on time, late, or not yet" in text


def test_a_question_without_an_end_says_when_its_deadline_starts(client, make_question):
    question = make_question(response_days=1)
    text = page_text(client.get(f"/questions/{question.id}"))
    assert "within 1 day after the ideas phase ends" in text


def test_the_ledger_of_a_question(client, answered):
    response = client.get(f"/questions/{answered.id}/answers?show=on_time")
    assert response.status_code == 200
    text = page_text(response)
    assert "Answered on time: 1" in text
    assert "Not answered yet, still in time: 1" in text
    assert "Clínicas à noite" in text
    assert "Spam hidden" not in text
    waiting = page_text(client.get(f"/questions/{answered.id}/answers?show=waiting"))
    assert "Ônibus gratuito" in waiting and "Clínicas à noite" not in waiting


def test_the_ledger_takes_any_show_and_page(client, answered):
    response = client.get(f"/questions/{answered.id}/answers?show=<x>&page=abc")
    assert response.status_code == 200
    assert "No idea here." in page_text(response)  # overdue: none


def test_the_ledger_of_a_draft_is_404(client, make_question):
    draft = make_question(status=QuestionStatus.DRAFT)
    assert client.get(f"/questions/{draft.id}/answers").status_code == 404
    assert client.get("/questions/999999/answers").status_code == 404


def test_the_site_summary(client, answered, make_question):
    make_question(title="Sem prazo ainda")
    make_question(title="Rascunho", status=QuestionStatus.DRAFT)
    text = page_text(client.get("/answers"))
    assert "Saúde pública" in text and "Sem prazo ainda" in text
    assert "Rascunho" not in text
    assert "When the ideas phase ends, plus 30 days" in text


# -- the answer period of a question ---------------------------------------------------

FORM = {
    "title": "How can we improve access to public health?",
    "context": "",
    "region": "",
    "opens_at": "",
    "closes_at": "",
}


def test_the_form_offers_the_configured_period(app, official_client):
    app.config["RESPONSE_DEADLINE_DAYS"] = 21
    html = official_client.get("/questions/new").get_data(as_text=True)
    assert 'name="response_days"' in html and 'value="21"' in html


def test_officials_set_the_period(official_client):
    response = official_client.submit(
        "/questions/new", data=dict(FORM, response_days="45")
    )
    assert response.status_code == 302
    question = db.session.scalars(db.select(Question)).one()
    assert question.response_days == 45
    response = official_client.submit(
        f"/questions/{question.id}/edit", data=dict(FORM, response_days="")
    )
    assert response.status_code == 302
    db.session.refresh(question)
    assert question.response_days == 45  # blank keeps it


def test_a_blank_period_takes_the_default(app, official_client):
    official_client.submit("/questions/new", data=dict(FORM, response_days=""))
    question = db.session.scalars(db.select(Question)).one()
    assert question.response_days == app.config["RESPONSE_DEADLINE_DAYS"]


@pytest.mark.parametrize("days", ["0", "366", "-3"])
def test_a_period_out_of_range_is_refused_and_nothing_is_lost(official_client, days):
    data = dict(FORM, title="Keep this title please", response_days=days)
    response = official_client.submit("/questions/new", data=data)
    assert response.status_code == 200
    assert "Give a number of days from 1 to 365." in page_text(response)
    assert "Keep this title please" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Question)).first() is None


def test_a_period_that_is_not_a_number_is_refused(official_client):
    response = official_client.submit(
        "/questions/new", data=dict(FORM, response_days="ten")
    )
    assert response.status_code == 200
    assert db.session.scalars(db.select(Question)).first() is None


def test_the_deadline_in_the_sites_time_zone(client, make_question):
    # Closing at 23:30 on 1 March 2030 in São Paulo (02:30 UTC on 2 March).
    question = make_question(
        closes_at=datetime(2030, 3, 2, 2, 30, tzinfo=UTC), response_days=30
    )
    text = page_text(client.get(f"/questions/{question.id}"))
    assert "by March 31, 2030" in text
