"""The open data API: public rows only, paginated by id, documented by its own
OpenAPI document, rate-limited per address, readable from any origin; the CSV of
a question's ideas."""

import csv
import io
import json
import re

import pytest

from ideation.extensions import db
from ideation.governor.models import GovernorAnswer
from ideation.ideas.models import IdeaStatus
from ideation.moderation.models import Flag
from ideation.questions.models import QuestionStatus
from ideation.responses.models import IdeaResponse
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from ideation.shortlist.models import ShortlistEntry
from tests.helpers import create_governor_question, create_measure

SECRET_NOTE = "private-note-nobody-outside-sees"
FLAG_NOTE = "flag-note-only-moderators-see"


@pytest.fixture
def world(make_user, make_question, make_idea):
    """Public items, and next to each one something that must never be published."""
    official = make_user(Role.OFFICIAL, email="official-secret@example.org")
    question = make_question(author=official, title="Saúde pública")
    author = make_user(email="author-secret@example.org", name="Maria Souza")
    public = make_idea(question=question, author=author, title="Clínicas à noite")
    hidden = make_idea(question=question, title="Hidden idea", hidden_at=utcnow())
    pending = make_idea(
        question=question, title="Pending review", hidden_at=utcnow(), hidden_reason=""
    )
    withdrawn = make_idea(
        question=question, title="Withdrawn idea", status=IdeaStatus.WITHDRAWN.value
    )
    merged = make_idea(
        question=question,
        title="Merged idea",
        status=IdeaStatus.MERGED.value,
        merged_into_id=public.id,
    )
    blocked = make_user(blocked_at=utcnow(), blocked_reason="spam")
    spam = make_idea(question=question, author=blocked, title="Spam by blocked")
    gone = make_user(deleted_at=utcnow())
    orphan = make_idea(question=question, author=gone, title="By a deleted account")
    draft = make_question(status=QuestionStatus.DRAFT, title="Draft question")
    in_draft = make_idea(question=draft, title="Idea of a draft")
    db.session.add_all(
        [
            IdeaResponse(
                idea_id=public.id,
                status_from="submitted",
                status_to="under_review",
                body="We are studying it.",
                department="Health",
                actor_id=official.id,
            ),
            IdeaResponse(
                idea_id=hidden.id,
                status_from="submitted",
                status_to="under_review",
                body="Response to a hidden idea",
                department="Health",
                actor_id=official.id,
            ),
            ShortlistEntry(
                question_id=question.id,
                idea_id=public.id,
                added_by_id=official.id,
                note=SECRET_NOTE,
            ),
            Flag(
                target_type="idea",
                target_id=public.id,
                user_id=author.id,
                reason="other",
                note=FLAG_NOTE,
            ),
        ]
    )
    db.session.commit()
    asked = create_governor_question(make_user, title="Public question to governor")
    db.session.add(
        GovernorAnswer(question_id=asked.id, body="Answered.", department="Office")
    )
    asked.status = "answered"
    asked.answered_at = utcnow()
    hidden_ask = create_governor_question(
        make_user, title="Hidden governor question", hidden_at=utcnow()
    )
    blocked_ask = create_governor_question(
        make_user, author=blocked, title="Blocked governor question"
    )
    measure = create_measure(make_user, question=hidden_ask)
    db.session.commit()
    return {
        "question": question,
        "draft": draft,
        "public": public,
        "orphan": orphan,
        "private_ideas": [hidden, pending, withdrawn, merged, spam, in_draft],
        "asked": asked,
        "private_asks": [hidden_ask, blocked_ask],
        "measure": measure,
    }


def _all(client, path: str) -> list[dict]:
    """Every item of a list, following the next links."""
    items, url = [], path
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json
        items += response.json["data"]
        url = response.json["links"]["next"]
    return items


def test_lists_show_public_items_only(client, world):
    ideas = {idea["title"] for idea in _all(client, "/api/v1/ideas")}
    assert ideas == {"Clínicas à noite", "By a deleted account"}
    questions = {q["title"] for q in _all(client, "/api/v1/questions")}
    assert questions == {"Saúde pública"}
    responses = _all(client, "/api/v1/responses")
    assert [r["body"] for r in responses] == ["We are studying it."]
    asks = {q["title"] for q in _all(client, "/api/v1/governor-questions")}
    assert asks == {"Public question to governor"}
    [measure] = _all(client, "/api/v1/measures")
    # Its source question is hidden: the measure is public, the link is not.
    assert measure["governor_question_id"] is None


def test_private_items_are_not_found_one_by_one(client, world):
    for idea in world["private_ideas"]:
        response = client.get(f"/api/v1/ideas/{idea.id}")
        assert response.status_code == 404
        assert response.json["error"]["status"] == 404
    for ask in world["private_asks"]:
        assert client.get(f"/api/v1/governor-questions/{ask.id}").status_code == 404
    assert client.get(f"/api/v1/questions/{world['draft'].id}").status_code == 404
    draft_csv = f"/api/v1/questions/{world['draft'].id}/ideas.csv"
    assert client.get(draft_csv).status_code == 404


def test_nothing_private_appears_anywhere(client, world):
    # Signed in as the author of private items: the API still shows the public only.
    bodies = []
    for path in (
        "/api/v1/questions",
        "/api/v1/ideas",
        "/api/v1/responses",
        "/api/v1/measures",
        "/api/v1/governor-questions",
        f"/api/v1/questions/{world['question'].id}/ideas.csv",
        f"/api/v1/ideas/{world['public'].id}",
    ):
        bodies.append(client.get(path).get_data(as_text=True))
    text = "\n".join(bodies)
    assert "@" not in text.replace("@example", "")  # no address at all
    for secret in (
        "example.org",
        SECRET_NOTE,
        FLAG_NOTE,
        "Hidden idea",
        "Pending review",
        "Withdrawn idea",
        "Merged idea",
        "Spam by blocked",
        "Idea of a draft",
        "Draft question",
        "Hidden governor question",
        "Blocked governor question",
        "Response to a hidden idea",
        "password",
        "scrypt",
    ):
        assert secret not in text, secret


def test_authors_appear_by_their_public_name(client, world):
    idea = client.get(f"/api/v1/ideas/{world['public'].id}").json["data"]
    assert idea["author"] == "Maria Souza"
    assert set(idea) == {
        "id",
        "question_id",
        "title",
        "description",
        "status",
        "support_count",
        "author",
        "created_at",
        "updated_at",
        "url",
    }
    orphan = client.get(f"/api/v1/ideas/{world['orphan'].id}").json["data"]
    assert orphan["author"] is None


def test_the_same_for_a_signed_in_moderator(client, make_user, world):
    client.login(make_user(Role.MODERATOR))
    titles = {idea["title"] for idea in _all(client, "/api/v1/ideas")}
    assert titles == {"Clínicas à noite", "By a deleted account"}


def test_pages_follow_by_id_with_next_links(app, client, make_idea, world):
    question = world["question"]
    for n in range(5):
        make_idea(question=question, title=f"More {n}")
    app.config["API_PAGE_SIZE"] = 3
    first = client.get(f"/api/v1/ideas?question_id={question.id}")
    assert len(first.json["data"]) == 3
    following = first.json["links"]["next"]
    assert f"question_id={question.id}" in following and "limit=3" in following
    assert first.headers["Link"] == f'<{following}>; rel="next"'
    everything = _all(client, f"/api/v1/ideas?question_id={question.id}")
    ids = [idea["id"] for idea in everything]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 7
    last = client.get(f"/api/v1/ideas?limit=2&after={ids[-2]}")
    assert last.json["links"]["next"] is None


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("after=-1", "after"),
        ("after=99999999999", "after"),
        ("status=merged", "status"),
        ("status=hidden", "status"),
        ("question_id=abc", "question_id"),
    ],
)
def test_bad_arguments_are_told_in_json(client, world, query, parameter):
    response = client.get(f"/api/v1/ideas?{query}")
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == parameter
    assert response.json["error"]["message"]


def test_errors_are_in_the_clients_language(client, world):
    response = client.get("/api/v1/ideas?limit=0", headers={"Accept-Language": "pt-BR"})
    assert "número inteiro" in response.json["error"]["message"]


def test_filters(client, world):
    question = world["question"]
    by_question = _all(client, f"/api/v1/ideas?question_id={question.id}")
    assert len(by_question) == 2
    assert _all(client, f"/api/v1/ideas?question_id={world['draft'].id}") == []
    answered = _all(client, "/api/v1/governor-questions?status=answered")
    assert [q["answer"]["body"] for q in answered] == ["Answered."]
    assert _all(client, "/api/v1/questions?status=closed") == []


def test_any_origin_may_read_but_not_write(client, world):
    response = client.get("/api/v1/ideas")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert client.post("/api/v1/ideas").status_code == 405


def test_limited_per_address(app, world):
    app.config["API_LIMIT_PER_IP"] = "2 per minute"
    one, other = app.test_client(), app.test_client()
    one.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    other.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert one.get("/api/v1/ideas").status_code == 200
    assert one.get("/api/v1/questions").status_code == 200
    refused = one.get("/api/v1/ideas")
    assert refused.status_code == 429
    assert refused.json["error"]["status"] == 429
    assert other.get("/api/v1/ideas").status_code == 200


def test_the_csv_of_a_question(client, make_idea, world):
    make_idea(question=world["question"], title='=HYPERLINK("http://evil")')
    response = client.get(f"/api/v1/questions/{world['question'].id}/ideas.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["id", "title", "description", "status"]
    titles = {row[1] for row in rows[1:]}
    assert titles == {
        "Clínicas à noite",
        "By a deleted account",
        '\'=HYPERLINK("http://evil")',
    }


# -- the OpenAPI document is true ----------------------------------------------------


def _documented_paths(client) -> dict:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    return document["paths"]


def test_every_documented_path_answers(client, world):
    ids = {
        "questions": world["question"].id,
        "ideas": world["public"].id,
        "responses": _all(client, "/api/v1/responses")[0]["id"],
        "measures": world["measure"].id,
        "governor-questions": world["asked"].id,
    }
    for path, operations in _documented_paths(client).items():
        assert set(operations) == {"get"}
        resource = path.split("/")[3]
        url = path.replace("{id}", str(ids[resource] if "{id}" in path else ""))
        response = client.get(url)
        assert response.status_code == 200, url
        schema = operations["get"]["responses"]["200"]
        if "application/json" in schema.get("content", {}) and "{id}" in path:
            ref = schema["content"]["application/json"]["schema"]["properties"]
            name = ref["data"]["$ref"].rsplit("/", 1)[-1]
            document = client.get("/api/v1/openapi.json").json
            documented = document["components"]["schemas"][name]["properties"]
            assert set(response.json["data"]) == set(documented), url


def test_every_api_route_is_documented(app, client):
    documented = set(_documented_paths(client))
    routes = {
        re.sub(r"<(?:\w+:)?\w+>", "{id}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == documented


def test_the_document_is_json_any_tool_reads(client):
    response = client.get("/api/v1/openapi.json")
    assert json.loads(response.get_data(as_text=True))["info"]["version"]
