"""Supporting ideas: the plain form path, the JSON path used by app.js, refusals."""

import pytest
from sqlalchemy import func, select

from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.questions.models import QuestionStatus
from ideation.shared.db import utcnow
from tests.conftest import page_text
from tests.helpers import flashes

JSON = {"Accept": "application/json"}


def rows(idea) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
    )


def count(idea) -> int:
    return db.session.scalar(select(Idea.support_count).where(Idea.id == idea.id))


@pytest.fixture
def citizen(client, make_user):
    user = make_user()
    client.login(user)
    return user


@pytest.fixture
def idea(make_idea):
    return make_idea(title="Evening clinics")


# Without JavaScript: a form post, a flash and a redirect back


def test_support_and_unsupport(client, citizen, idea):
    response = client.submit(f"/ideas/{idea.id}/support")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert flashes(client)[-1] == ("success", "You support this idea.")
    assert rows(idea) == count(idea) == 1
    page = client.get(f"/ideas/{idea.id}")
    assert "1 support" in page_text(page)
    assert f'action="/ideas/{idea.id}/unsupport"' in page.get_data(as_text=True)

    response = client.submit(f"/ideas/{idea.id}/unsupport")
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert flashes(client)[-1] == ("success", "You no longer support this idea.")
    assert rows(idea) == count(idea) == 0


def test_support_twice_counts_once_without_error(client, citizen, idea):
    client.submit(f"/ideas/{idea.id}/support")
    response = client.submit(f"/ideas/{idea.id}/support")
    assert response.status_code == 302
    assert flashes(client)[-1][0] == "success"
    assert rows(idea) == count(idea) == 1


def test_unsupport_without_support_changes_nothing(client, citizen, idea):
    assert client.submit(f"/ideas/{idea.id}/unsupport").status_code == 302
    assert rows(idea) == count(idea) == 0


def test_support_goes_back_to_a_local_next(client, citizen, idea):
    target = f"/questions/{idea.question_id}?sort=top#idea-{idea.id}"
    response = client.submit(f"/ideas/{idea.id}/support", data={"next": target})
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_support_never_redirects_off_site(client, citizen, idea, target):
    response = client.submit(f"/ideas/{idea.id}/support", data={"next": target})
    assert response.headers["Location"] == f"/ideas/{idea.id}"


def test_support_requires_login(client, idea):
    for action in ("support", "unsupport"):
        response = client.submit(f"/ideas/{idea.id}/{action}")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    assert rows(idea) == count(idea) == 0


def test_support_requires_post_and_csrf(client, citizen, idea):
    assert client.get(f"/ideas/{idea.id}/support").status_code == 405
    assert client.post(f"/ideas/{idea.id}/support").status_code == 400
    assert client.post(f"/ideas/{idea.id}/support", headers=JSON).status_code == 400
    assert rows(idea) == count(idea) == 0


def test_support_unknown_or_draft_idea_is_404(
    client, citizen, make_question, make_idea
):
    hidden = make_idea(question=make_question(status=QuestionStatus.DRAFT))
    for url in ("/ideas/9999/support", f"/ideas/{hidden.id}/support"):
        assert client.submit(url).status_code == 404
    assert client.submit("/ideas/9999/unsupport").status_code == 404
    assert rows(hidden) == 0


def test_support_on_closed_question_is_refused(
    client, citizen, make_question, make_idea
):
    idea = make_idea(question=make_question(status=QuestionStatus.CLOSED))
    response = client.submit(f"/ideas/{idea.id}/support")
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert flashes(client)[-1] == (
        "error",
        "This question is closed: supports are no longer accepted.",
    )
    assert rows(idea) == count(idea) == 0
    page = client.get(f"/ideas/{idea.id}")
    assert "supports are no longer accepted" in page_text(page)
    assert "/support" not in page.get_data(as_text=True)


def test_unsupport_after_closing_is_refused(client, citizen, idea):
    client.submit(f"/ideas/{idea.id}/support")
    idea.question.status = QuestionStatus.CLOSED.value
    idea.question.closed_at = utcnow()
    db.session.commit()
    client.submit(f"/ideas/{idea.id}/unsupport")
    assert "closed" in flashes(client)[-1][1]
    assert rows(idea) == count(idea) == 1


def test_support_on_withdrawn_idea_is_refused(client, citizen, make_idea):
    idea = make_idea(status=IdeaStatus.WITHDRAWN.value, withdrawn_at=utcnow())
    client.submit(f"/ideas/{idea.id}/support")
    assert "withdrawn" in flashes(client)[-1][1]
    assert rows(idea) == count(idea) == 0


def test_author_cannot_support_own_idea(client, make_idea):
    idea = make_idea()
    client.login(idea.author)
    client.submit(f"/ideas/{idea.id}/support")
    assert flashes(client)[-1] == ("error", "You cannot support your own idea.")
    assert rows(idea) == count(idea) == 0


def test_anonymous_sees_count_and_login_link_not_button(client, idea):
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "0 supports" in html
    assert "/login?next=" in html
    assert f'action="/ideas/{idea.id}/support"' not in html


def test_listing_button_comes_back_to_the_same_place(client, citizen, idea):
    question_url = f"/questions/{idea.question_id}?sort=top"
    html = client.get(question_url).get_data(as_text=True)
    assert f'name="next" value="{question_url}#idea-{idea.id}"' in html


# With JavaScript: JSON answers


def test_support_json(client, citizen, idea):
    response = client.submit(f"/ideas/{idea.id}/support", headers=JSON)
    assert response.status_code == 200
    assert response.get_json() == {
        "supported": True,
        "support_count": 1,
        "count_label": "1 support",
        "message": "You support this idea.",
    }
    assert flashes(client) == []  # the page shows the message itself
    again = client.submit(f"/ideas/{idea.id}/support", headers=JSON).get_json()
    assert again["supported"] is True and again["support_count"] == 1

    response = client.submit(f"/ideas/{idea.id}/unsupport", headers=JSON)
    assert response.get_json()["supported"] is False
    assert response.get_json()["support_count"] == 0
    assert response.get_json()["count_label"] == "0 supports"
    assert rows(idea) == count(idea) == 0


def test_support_json_with_csrf_header(client, citizen, idea):
    """app.js sends the token from <meta name="csrf-token"> in X-CSRFToken."""
    response = client.post(
        f"/ideas/{idea.id}/support",
        headers={**JSON, "X-CSRFToken": client.csrf_token()},
    )
    assert response.get_json()["support_count"] == 1
    assert rows(idea) == count(idea) == 1


def test_support_json_refusal_carries_the_message(
    client, citizen, make_question, make_idea
):
    idea = make_idea(question=make_question(status=QuestionStatus.CLOSED))
    response = client.submit(f"/ideas/{idea.id}/support", headers=JSON)
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "This question is closed: supports are no longer accepted."
    }
    assert rows(idea) == count(idea) == 0


def test_support_json_counts_others(client, citizen, idea, make_user):
    for _n in range(3):
        db.session.add(Support(idea_id=idea.id, user_id=make_user().id))
    idea.support_count = 3
    db.session.commit()
    data = client.submit(f"/ideas/{idea.id}/support", headers=JSON).get_json()
    assert (data["support_count"], data["count_label"]) == (4, "4 supports")


def test_browser_accept_header_gets_the_redirect(client, citizen, idea):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.submit(f"/ideas/{idea.id}/support", headers={"Accept": browser})
    assert response.status_code == 302
