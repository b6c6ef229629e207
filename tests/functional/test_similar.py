"""Similar ideas: the JSON endpoint, the check before publishing, the embed job.

The app's embedder is the FakeEmbedder: texts that share words come out similar.
"""

import threading
import time

import pytest
from sqlalchemy import func, select

from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job, JobStatus
from ideation.questions.models import QuestionStatus
from ideation.similarity.embeddings import get_embedder
from ideation.similarity.jobs import embed_idea
from ideation.similarity.models import IdeaEmbedding
from tests.conftest import page_text

CLINICS = "Open health clinics in the evening"


@pytest.fixture
def question(make_question):
    return make_question()


@pytest.fixture
def embedded(make_idea, question):
    """Make an idea of the question and store its vector, as the job would."""

    def make(title, **fields):
        idea = make_idea(question=question, title=title, **fields)
        embed_idea(idea.id)
        db.session.commit()
        return idea

    return make


@pytest.fixture
def citizen(client, make_user):
    user = make_user(name="Ana Citizen")
    client.login(user)
    return user


@pytest.fixture
def broken_model(app, monkeypatch):
    def fail(texts):
        raise RuntimeError("the model failed to load")

    monkeypatch.setattr(get_embedder(app), "embed", fail)


@pytest.fixture
def slow_model(app, monkeypatch):
    """A model that takes far longer than the budget (released after the test)."""
    app.config["SIMILAR_CHECK_TIMEOUT"] = 0.2
    release = threading.Event()
    monkeypatch.setattr(get_embedder(app), "embed", lambda texts: release.wait(10))
    yield
    release.set()


def similar(client, question, text, **params):
    response = client.get(
        f"/questions/{question.id}/similar", query_string={"text": text, **params}
    )
    assert response.status_code == 200, response.status_code
    return response.get_json()


def idea_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Idea))


# The endpoint


def test_similar_ideas_as_json(client, question, embedded):
    clinics = embedded(CLINICS, description="Until ten at night.")
    embedded("Free bus passes for students")

    data = similar(client, question, "Evening health clinics")

    first = data["ideas"][0]
    assert first == {
        "id": clinics.id,
        "title": CLINICS,
        "support_count": 0,
        "support_label": "0 supports",
        "url": f"/ideas/{clinics.id}",
        "score": first["score"],
    }
    assert 0 < first["score"] <= 1
    assert "unavailable" not in data


def test_most_similar_first_and_unrelated_left_out(client, question, embedded):
    embedded("Free bus passes for students")
    parks = embedded("Plant more trees in city parks")
    clinics = embedded(CLINICS)
    embedded("Lower taxes on small shops")

    data = similar(client, question, "More trees in the parks of the city")

    ids = [idea["id"] for idea in data["ideas"]]
    assert ids[0] == parks.id
    assert clinics.id not in ids  # shares no word: below the floor
    scores = [idea["score"] for idea in data["ideas"]]
    assert scores == sorted(scores, reverse=True)


def test_at_most_the_configured_number(app, client, question, embedded):
    for n in range(7):
        embedded(f"Evening health clinics in district {n}")
    assert len(similar(client, question, "Evening health clinics")["ideas"]) == 5
    app.config["SIMILAR_IDEAS_LIMIT"] = 2
    assert len(similar(client, question, "Evening health clinics")["ideas"]) == 2


def test_support_count_is_shown(client, question, embedded, make_user):
    clinics = embedded(CLINICS)
    for _ in range(2):
        db.session.add(Support(idea_id=clinics.id, user_id=make_user().id))
    clinics.support_count = 2
    db.session.commit()

    first = similar(client, question, "Evening health clinics")["ideas"][0]

    assert (first["support_count"], first["support_label"]) == (2, "2 supports")


def test_withdrawn_and_excluded_ideas_are_not_suggested(client, question, embedded):
    withdrawn = embedded(CLINICS, status=IdeaStatus.WITHDRAWN.value)
    mine = embedded("Evening health clinics near the station")
    other = embedded("Health clinics open in the evening on weekends")

    ids = {
        idea["id"]
        for idea in similar(client, question, CLINICS, exclude=mine.id)["ideas"]
    }

    assert ids == {other.id}
    assert withdrawn.id not in ids


def test_the_description_counts_too(client, question, embedded):
    clinics = embedded("Better health care", description="Clinics open at night.")
    embedded("Better schools", description="Smaller classes in every school.")

    data = similar(
        client, question, "Better care", description="Night opening of clinics"
    )

    assert data["ideas"][0]["id"] == clinics.id


@pytest.mark.parametrize("text", ["", "   ", "clinic"])
def test_empty_or_too_short_text_finds_nothing(client, question, embedded, text):
    embedded("clinic")
    assert similar(client, question, text) == {
        "ideas": [],
        "summary": "0 related ideas already proposed",
    }


def test_draft_or_unknown_question_is_not_found(client, make_question):
    draft = make_question(status=QuestionStatus.DRAFT)
    for question_id in (draft.id, 9999):
        response = client.get(f"/questions/{question_id}/similar?text=evening+clinics")
        assert response.status_code == 404


def test_closed_question_still_answers(client, make_question, make_idea):
    question = make_question(status=QuestionStatus.CLOSED)
    idea = make_idea(question=question, title=CLINICS)
    embed_idea(idea.id)
    db.session.commit()
    assert similar(client, question, "Evening health clinics")["ideas"][0]["id"] == (
        idea.id
    )


def test_model_failure_answers_unavailable(client, question, embedded, broken_model):
    assert similar(client, question, "Evening health clinics") == {
        "ideas": [],
        "unavailable": True,
    }


def test_slow_model_answers_unavailable_in_time(client, question, slow_model):
    started = time.monotonic()
    assert similar(client, question, "Evening health clinics")["unavailable"] is True
    assert time.monotonic() - started < 1.5


def test_text_is_capped_at_the_idea_lengths(
    app, client, question, embedded, monkeypatch
):
    embedded(CLINICS)
    seen = []
    embedder = get_embedder(app)
    real_embed = embedder.embed

    def spy(texts):
        seen.extend(texts)
        return real_embed(texts)

    monkeypatch.setattr(embedder, "embed", spy)
    similar(client, question, CLINICS + " x" * 500, description="y" * 5000)
    assert [len(t) for t in seen] == [140, 2000]


def test_rate_limited_per_address(app, client, question):
    app.config["SIMILAR_LIMIT"] = "2 per minute"
    url = f"/questions/{question.id}/similar?text=evening+clinics"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


# The form


def test_form_has_the_suggestions_region(client, citizen, question):
    html = client.get(f"/questions/{question.id}/ideas/new").get_data(as_text=True)
    assert f'data-url="/questions/{question.id}/similar"' in html
    assert "Related ideas" in html
    assert 'aria-live="polite"' in html


# The check before publishing


def test_duplicate_found_asks_first_and_keeps_the_text(
    client, citizen, question, embedded
):
    clinics = embedded(CLINICS, description="Until ten at night.")
    before = idea_count()

    response = client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": "Open health clinics in the evening", "description": "Late."},
    )

    assert response.status_code == 200
    assert idea_count() == before
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "A similar idea already exists" in text
    assert "Your idea (not published yet)" in text
    assert f'href="/ideas/{clinics.id}"' in html
    assert f'action="/ideas/{clinics.id}/support"' in html
    assert f'name="next" value="/ideas/{clinics.id}"' in html
    assert "Support this idea instead" in text
    assert "Publish my idea" in text
    assert 'name="confirmed_different" value="1"' in html
    assert 'name="title" value="Open health clinics in the evening"' in html
    assert 'name="description" value="Late."' in html


def test_supporting_instead_from_the_check(client, citizen, question, embedded):
    clinics = embedded(CLINICS)
    response = client.submit(
        f"/ideas/{clinics.id}/support", data={"next": f"/ideas/{clinics.id}"}
    )
    assert response.headers["Location"] == f"/ideas/{clinics.id}"
    assert db.session.get(Idea, clinics.id).support_count == 1


def test_mine_is_different_publishes(client, citizen, question, embedded):
    embedded(CLINICS)
    response = client.submit(
        f"/questions/{question.id}/ideas/new",
        data={
            "title": CLINICS,
            "description": "Line one.\r\nLine two.",
            "confirmed_different": "1",
        },
    )
    assert response.status_code == 302
    idea = db.session.scalars(select(Idea).where(Idea.author_id == citizen.id)).one()
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert idea.description == "Line one.\r\nLine two."


def test_change_my_idea_goes_back_to_the_form(client, citizen, question, embedded):
    embedded(CLINICS)
    before = idea_count()
    response = client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": CLINICS, "confirmed_different": "1", "revise": "1"},
    )
    assert response.status_code == 200
    assert idea_count() == before
    assert "Propose an idea" in page_text(response)
    assert f'value="{CLINICS}"' in response.get_data(as_text=True)


def test_no_duplicate_publishes_directly(client, citizen, question, embedded):
    embedded("Free bus passes for students")
    response = client.submit(
        f"/questions/{question.id}/ideas/new", data={"title": CLINICS}
    )
    assert response.status_code == 302
    assert idea_count() == 2


def test_own_similar_idea_is_shown_without_support_button(
    client, citizen, question, embedded
):
    mine = embedded(CLINICS, author=citizen)
    response = client.submit(
        f"/questions/{question.id}/ideas/new", data={"title": CLINICS}
    )
    assert response.status_code == 200
    assert "You proposed this idea yourself." in page_text(response)
    assert f"/ideas/{mine.id}/support" not in response.get_data(as_text=True)


def pending_embed_jobs() -> list[Job]:
    return list(
        db.session.scalars(
            select(Job).where(
                Job.name == "embed_idea", Job.status == JobStatus.PENDING.value
            )
        )
    )


def test_model_failure_publishes_without_the_check(
    client, citizen, question, embedded, broken_model
):
    response = client.submit(
        f"/questions/{question.id}/ideas/new", data={"title": CLINICS}
    )
    assert response.status_code == 302
    idea = db.session.scalars(select(Idea).where(Idea.author_id == citizen.id)).one()
    assert [job.payload for job in pending_embed_jobs()] == [{"idea_id": idea.id}]


def test_slow_model_publishes_without_waiting(client, citizen, question, slow_model):
    started = time.monotonic()
    response = client.submit(
        f"/questions/{question.id}/ideas/new", data={"title": CLINICS}
    )
    assert response.status_code == 302
    assert time.monotonic() - started < 1.5
    assert len(pending_embed_jobs()) == 1


# The embed job


def test_submitted_idea_is_embedded_by_the_job(client, citizen, question):
    client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": CLINICS, "description": "Until ten."},
    )
    idea = db.session.scalars(select(Idea)).one()
    assert db.session.get(IdeaEmbedding, idea.id) is None
    assert pending_embed_jobs()[0].key == f"embed:{idea.id}"

    assert jobs.run_pending() == 1

    row = db.session.get(IdeaEmbedding, idea.id)
    assert (row.model, row.dimension, row.question_id) == ("fake", 64, question.id)
    assert similar(client, question, "Evening health clinics")["ideas"][0]["id"] == (
        idea.id
    )


def test_edited_idea_is_embedded_again(client, citizen, question):
    client.submit(f"/questions/{question.id}/ideas/new", data={"title": CLINICS})
    idea = db.session.scalars(select(Idea)).one()
    jobs.run_pending()
    before = db.session.get(IdeaEmbedding, idea.id).vector

    client.submit(f"/ideas/{idea.id}/edit", data={"title": "Free bus passes"})
    assert len(pending_embed_jobs()) == 1
    jobs.run_pending()

    db.session.expire_all()
    after = db.session.get(IdeaEmbedding, idea.id).vector
    assert not (before == after).all()


def test_failing_model_fails_the_job_for_a_retry(
    app, citizen, client, question, broken_model
):
    client.submit(f"/questions/{question.id}/ideas/new", data={"title": CLINICS})
    app.config["JOB_MAX_ATTEMPTS"] = 2
    jobs.run_pending()
    job = db.session.scalars(select(Job)).one()
    assert job.status == JobStatus.PENDING.value  # to be retried, later
    assert job.run_after > job.started_at
    job.run_after = job.started_at
    db.session.commit()
    jobs.run_pending()
    job = db.session.scalars(
        select(Job).execution_options(populate_existing=True)
    ).one()
    assert (job.status, job.attempts) == (JobStatus.FAILED.value, 2)
    assert "the model failed to load" in job.last_error
    assert db.session.scalars(select(IdeaEmbedding)).all() == []


def test_only_the_same_idea_tier_asks_before_publishing(
    app, client, citizen, question, embedded
):
    # Related while typing (the same scores), but under the same-idea threshold:
    # published at once, never "looks very much like yours".
    for i in range(5):
        embedded(f"{CLINICS} number {i}")
    typed = {"title": "Open health clinics in the evening", "description": ""}
    assert similar(client, question, typed["title"])["ideas"]
    url = f"/questions/{question.id}/ideas/new"

    app.config["SAME_IDEA_THRESHOLD"] = 0.99
    assert client.submit(url, data=typed).status_code == 302

    # Same idea: at most SAME_IDEAS_LIMIT candidates, supporting them is secondary.
    app.config["SAME_IDEA_THRESHOLD"] = 0.35
    response = client.submit(url, data={**typed, "title": f"{CLINICS}!"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('class="card idea-card"') == app.config["SAME_IDEAS_LIMIT"]
    assert 'button-primary">Publish my idea' in html
    assert 'button-primary">Support this idea instead' not in html


# The shipped multilingual model, in Portuguese (built by `make`: models/build_e5.py)


@pytest.fixture
def multilingual(app):
    """The app as deployed: the default model with its own settings."""
    from ideation.similarity.embeddings import E5_MODEL, reset_embedders

    app.config.update(
        EMBEDDING_MODEL=E5_MODEL,
        QUESTION_CONTEXT=None,
        SAME_IDEA_THRESHOLD=None,
        DUPLICATE_THRESHOLD=None,
        RELATED_THRESHOLD=None,
        SIMILAR_CHECK_TIMEOUT=120,  # the first embedding loads the model
    )
    reset_embedders()
    yield
    reset_embedders()


def test_portuguese_idea_finds_related_ideas_in_portuguese(
    client, make_question, make_idea, multilingual
):
    question = make_question(
        title="Como melhorar o transporte público em Porto Alegre?"
    )
    ideas = {}
    for key, title in {
        "night": "Mais linhas de ônibus funcionando de madrugada",
        "fare": "Passagem gratuita para estudantes da rede pública",
        "trees": "Plantar árvores nas praças dos bairros",
        "school": "Construir mais escolas de ensino médio em tempo integral",
    }.items():
        ideas[key] = make_idea(question=question, title=title)
        embed_idea(ideas[key].id)
    db.session.commit()

    data = similar(client, question, "Ônibus noturnos para quem trabalha à noite")

    found = [idea["id"] for idea in data["ideas"]]
    assert found and found[0] == ideas["night"].id
    assert data["ideas"][0]["title"] == "Mais linhas de ônibus funcionando de madrugada"
    assert ideas["trees"].id not in found and ideas["school"].id not in found
