"""Measures through the client: public pages, and officials' progress updates."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.measures.models import Measure, MeasureUpdate
from ideation.notifications.models import Notification
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.conftest import page_text
from tests.helpers import create_governor_question, create_measure, flashes


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def asker(make_user):
    return make_user(name="Ana Asker")


@pytest.fixture
def supporter(make_user):
    return make_user(name="Sam Supporter")


@pytest.fixture
def measure(app, make_user, asker, supporter):
    question = create_governor_question(
        make_user, author=asker, supporters=[supporter], title="Clinic closed"
    )
    return create_measure(make_user, question=question, title="Reopen the clinic")


@pytest.fixture
def official(client, make_user):
    user = make_user(Role.OFFICIAL)
    client.login(user)
    return user


def test_measures_list_newest_first_with_status(client, make_user):
    create_measure(make_user, title="Older measure", created_at=utcnow() - timedelta(1))
    create_measure(make_user, title="Newer measure", status="in_progress")
    text = page_text(client.get("/measures"))
    assert text.index("Newer measure") < text.index("Older measure")
    assert "In progress" in text and "Announced" in text
    assert "In answer to “When will the clinic" in unescape(text)

    only = page_text(client.get("/measures?status=in_progress"))
    assert "Newer measure" in only and "Older measure" not in only
    none = page_text(client.get("/measures?status=done"))
    assert "No measure matches these filters." in none


def test_measures_list_empty_and_paginated(app, client, make_user):
    assert "No measure has been announced yet." in page_text(client.get("/measures"))
    app.config["MEASURES_PER_PAGE"] = 1
    create_measure(make_user, title="M one", created_at=utcnow() - timedelta(1))
    create_measure(make_user, title="M two")
    first = page_text(client.get("/measures"))
    assert "M two" in first and "M one" not in first and "Page 1 of 2" in first
    assert "M one" in page_text(client.get("/measures?page=2"))


def test_measure_page_links_back_to_the_question(client, measure):
    response = client.get(f"/measures/{measure.id}")
    body = response.get_data(as_text=True)
    text = page_text(response)
    assert response.status_code == 200
    assert "Reopen the clinic" in text and "Announced" in text
    assert "Target date:" in text and "The measure was announced." in text
    assert f'href="/governor/questions/{measure.governor_question_id}"' in body
    assert "Clinic closed" in text and "asked by Ana Asker" in text
    assert "Post a progress update" not in text  # visitors read, officials write


def test_unknown_measure_is_404(client):
    assert client.get("/measures/999").status_code == 404


def test_official_posts_an_update(client, official, measure, asker, supporter):
    url = f"/measures/{measure.id}"
    assert "Post a progress update" in page_text(client.get(url))
    response = client.submit(
        f"{url}/updates",
        data={"status": "in_progress", "note": "Builders **started** on the roof."},
    )
    assert response.status_code == 302 and response.headers["Location"] == url
    assert flashes(client)[-1] == ("success", "The update is published.")
    assert db.session.get(Measure, measure.id).status == "in_progress"
    update = db.session.scalar(select(MeasureUpdate))
    assert (update.status, update.created_by_id) == ("in_progress", official.id)
    entry = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "measure.updated")
    )
    assert entry.actor_id == official.id and entry.target_id == measure.id
    kinds = {n.user_id: n.kind for n in db.session.scalars(select(Notification))}
    assert kinds == {
        asker.id: "measure.in_progress",
        supporter.id: "measure.in_progress",
    }

    page = client.get(url)
    body = page.get_data(as_text=True)
    assert "<strong>started</strong>" in body
    assert f'datetime="{update.created_at.isoformat()}"' in body
    # The latest update is listed before the announcement.
    assert body.index("Builders") < body.index("The measure was announced.")
    # Announced is no longer offered: a measure does not go back.
    assert 'value="announced"' not in body


def test_participants_read_the_notification(client, make_user, measure, asker):
    client.login(make_user(Role.OFFICIAL))
    client.submit(
        f"/measures/{measure.id}/updates", data={"status": "done", "note": "Open!"}
    )
    client.submit("/logout")
    client.login(asker)
    text = unescape(page_text(client.get("/notifications/")))
    assert "The measure “Reopen the clinic” is done." in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "done", "note": ""}, "Write a note: what was done, what changed."),
        ({"status": "done", "note": "  "}, "Write a note"),
        ({"status": "bogus", "note": "Kept note"}, "Choose one of the statuses"),
        ({"status": "done", "note": "n" * 5001}, "Use at most 5000 characters"),
    ],
)
def test_bad_updates_keep_what_was_typed(client, official, measure, data, message):
    response = client.submit(f"/measures/{measure.id}/updates", data=data)
    assert response.status_code == 200
    assert message in page_text(response)
    body = response.get_data(as_text=True)
    if data["note"].strip():
        assert data["note"] in body
    if data["status"] == "done":
        assert '<option selected value="done">' in body
    assert count(MeasureUpdate) == 0 and count(Notification) == 0
    assert db.session.get(Measure, measure.id).status == "announced"


def test_finished_measures_take_no_more_updates(client, official, make_user):
    done = create_measure(make_user, status="done")
    url = f"/measures/{done.id}"
    assert "Post a progress update" not in page_text(client.get(url))
    response = client.submit(f"{url}/updates", data={"status": "done", "note": "x"})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert flashes(client)[-1] == (
        "error",
        "This measure is done: it can no longer be updated.",
    )
    assert count(MeasureUpdate) == 0


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_below_officials_cannot_post_updates(client, make_user, measure, role):
    client.login(make_user(role))
    assert "Post a progress update" not in page_text(
        client.get(f"/measures/{measure.id}")
    )
    response = client.submit(
        f"/measures/{measure.id}/updates", data={"status": "done", "note": "Hi"}
    )
    assert response.status_code == 403
    assert count(MeasureUpdate) == 0


def test_anonymous_is_sent_to_login_to_post_updates(client, measure):
    response = client.submit(
        f"/measures/{measure.id}/updates", data={"status": "done", "note": "Hi"}
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count(MeasureUpdate) == 0


def test_measure_target_date_is_shown(client, make_user):
    target = date(2031, 5, 17)
    measure = create_measure(make_user, target_date=target)
    assert "Target date: May 17, 2031" in page_text(
        client.get(f"/measures/{measure.id}")
    )


# A hidden question to the governor: the measure stays public, the question does not


def hide_question(measure, reason):
    question = measure.governor_question
    question.hidden_at = utcnow()
    question.hidden_reason = reason
    db.session.commit()


@pytest.mark.parametrize(
    "reason, notice",
    [
        ("Names a private person.", "This question was hidden by the moderators:"),
        (None, "This question is hidden pending review."),
    ],
)
def test_measure_pages_keep_a_hidden_question_hidden(client, measure, reason, notice):
    hide_question(measure, reason)
    listing = unescape(page_text(client.get("/measures")))
    page = unescape(page_text(client.get(f"/measures/{measure.id}")))
    for text in (listing, page):
        assert "Reopen the clinic" in text  # the measure itself is public
        assert "Clinic closed" not in text and "Ana Asker" not in text
        assert "Hidden question" in text
    assert notice in page
    assert reason is None or reason in page


@pytest.mark.parametrize("who", ["asker", "moderator"])
def test_asker_and_moderators_still_read_the_hidden_question(
    client, make_user, measure, asker, who
):
    hide_question(measure, "Names a private person.")
    client.login(asker if who == "asker" else make_user(Role.MODERATOR))
    for url in ("/measures", f"/measures/{measure.id}"):
        text = unescape(page_text(client.get(url)))
        assert "Clinic closed" in text
    page = unescape(page_text(client.get(f"/measures/{measure.id}")))
    assert "asked by Ana Asker" in page


def test_announced_badge_follows_each_readers_language(client, measure):
    # The first reader compiles the template; the second reads it in another language.
    client.get(f"/measures/{measure.id}", headers={"Accept-Language": "en"})
    page = client.get(f"/measures/{measure.id}", headers={"Accept-Language": "pt-BR"})
    badges = re.findall(
        r'badge-measure-announced">([^<]*)<', page.get_data(as_text=True)
    )
    assert badges == ["Anunciada", "Anunciada"]  # the status, then the timeline
