"""The notifications page, marking read, and the unread count in the header."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import Support
from ideation.notifications.models import Notification
from ideation.notifications.operations import notify
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.conftest import page_text

PARAMS = {"source": "Night buses", "target": "More buses at night"}


@pytest.fixture
def reader(client, make_user):
    user = make_user(name="Rita Reader")
    client.login(user)
    return user


def send(user, kind="merge.supporter", link="/ideas/1", ago=0, **params):
    notify([user], kind, link, **(params or PARAMS))
    db.session.commit()
    notification = db.session.scalars(
        select(Notification).order_by(Notification.id.desc())
    ).first()
    notification.created_at = utcnow() - timedelta(minutes=ago)
    db.session.commit()
    return notification


def test_anonymous_is_sent_to_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_page_lists_newest_first_unread_highlighted(client, reader):
    old = send(reader, "merge.source_author", ago=60)
    new = send(reader, "merge.supporter", ago=1)
    old.read_at = utcnow()
    db.session.commit()
    response = client.get("/notifications/")
    html, text = response.get_data(as_text=True), page_text(response)
    assert response.status_code == 200
    assert text.index("Your support counts there now") < text.index(
        "Your idea “Night buses” was merged"
    )
    assert f'notification-unread" id="notification-{new.id}"' in html
    assert f'class="card notification" id="notification-{old.id}"' in html


def test_page_is_paginated(client, app, reader):
    app.config["NOTIFICATIONS_PER_PAGE"] = 2
    for minutes in (3, 2, 1):
        send(reader, ago=minutes, source=f"Idea {minutes}", target="T")
    first = page_text(client.get("/notifications/"))
    second = page_text(client.get("/notifications/?page=2"))
    assert "Idea 1" in first and "Idea 2" in first and "Idea 3" not in first
    assert "Idea 3" in second


def test_empty_page(client, reader):
    assert "You have no notifications yet." in page_text(client.get("/notifications/"))


def test_titles_are_escaped(client, reader):
    send(reader, source="<script>alert(1)</script>", target="T")
    html = client.get("/notifications/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_header_shows_the_unread_count(client, reader, make_user):
    send(reader)
    send(reader)
    send(make_user())  # someone else's
    text = page_text(client.get("/"))
    assert "Notifications 2 unread" in text


def test_header_without_unread_shows_no_count(client, reader):
    text = page_text(client.get("/"))
    assert "Notifications" in text and "unread" not in text


def test_open_marks_read_and_follows_the_link(client, reader):
    notification = send(reader, link="/ideas/5")
    response = client.submit(
        f"/notifications/{notification.id}/read", data={"next": "/ideas/5"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/ideas/5"
    assert db.session.get(Notification, notification.id).read_at is not None


def test_read_never_redirects_elsewhere(client, reader):
    notification = send(reader)
    response = client.submit(
        f"/notifications/{notification.id}/read", data={"next": "https://evil.test/"}
    )
    assert response.headers["Location"] == "/notifications/"


def test_someone_elses_notification_is_404(client, reader, make_user):
    theirs = send(make_user())
    response = client.submit(f"/notifications/{theirs.id}/read")
    assert response.status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None


def test_read_needs_csrf(client, reader):
    notification = send(reader)
    assert client.post(f"/notifications/{notification.id}/read").status_code == 400
    assert db.session.get(Notification, notification.id).read_at is None


def test_read_all_marks_only_ones_own(client, reader, make_user):
    mine = [send(reader), send(reader)]
    theirs = send(make_user())
    response = client.submit("/notifications/read-all")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications/"
    assert all(db.session.get(Notification, n.id).read_at for n in mine)
    assert db.session.get(Notification, theirs.id).read_at is None
    assert "unread" not in page_text(client.get("/notifications/"))


def test_message_in_the_readers_language(client, reader):
    send(reader, "merge.supporter")
    reader.locale = "pt_BR"
    db.session.commit()
    text = page_text(client.get("/notifications/"))
    assert "Your support counts there now" not in text
    assert "Night buses" in text


def test_merge_notifies_a_supporter(client, make_user, make_idea):
    """End to end: an official merges; a supporter reads about it."""
    source = make_idea(title="Night buses")
    target = make_idea(question=source.question, title="More buses at night")
    supporter = make_user(name="Sam Supporter")
    db.session.add(Support(idea_id=source.id, user_id=supporter.id))
    source.support_count = 1
    db.session.commit()
    client.login(make_user(Role.OFFICIAL))
    client.submit(
        f"/questions/{source.question_id}/duplicates/merge",
        data={"target": target.id, "source": source.id, "reason": "Same idea."},
    )
    client.submit("/logout")
    client.login(supporter)
    response = client.get("/notifications/")
    assert (
        "The idea “Night buses” was merged into the similar idea “More buses at "
        "night”. Your support counts there now, once." in page_text(response)
    )
    assert f'name="next" value="/ideas/{target.id}"' in response.get_data(as_text=True)


def test_open_is_an_action_in_the_readers_language(client, reader):
    send(reader, "merge.supporter")
    reader.locale = "pt_BR"
    db.session.commit()
    text = page_text(client.get("/notifications/"))
    assert "Abrir" in text
    assert "Aberta" not in text  # the adjective, as in "an open question"
