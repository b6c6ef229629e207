"""Notifications: one entry point, messages rendered in the reader's language."""

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import func, select

from ideation.duplicates.messages import MESSAGES as MERGE_MESSAGES
from ideation.extensions import db
from ideation.notifications.messages import MESSAGES, render_message
from ideation.notifications.models import Notification
from ideation.notifications.operations import mark_all_read, mark_read, notify
from ideation.notifications.queries import unread_count
from ideation.shared.errors import PermissionDenied
from ideation.shared.web import link_for

TRANSLATIONS = Path(__file__).resolve().parents[2] / "ideation" / "translations"
PARAMS = {"source": "Night buses", "target": "More buses at night"}


def stored(user=None) -> list[Notification]:
    stmt = select(Notification).order_by(Notification.id)
    if user is not None:
        stmt = stmt.where(Notification.user_id == user.id)
    return list(db.session.scalars(stmt))


def test_notify_each_user_once(make_user):
    alice, bob = make_user(), make_user()
    count = notify([alice, bob, alice.id, bob], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    assert count == 2
    rows = stored()
    assert [n.user_id for n in rows] == [alice.id, bob.id]
    assert all(n.kind == "merge.supporter" and n.link == "/ideas/7" for n in rows)
    assert all(n.params == PARAMS and n.read_at is None for n in rows)


def test_notify_never_tells_the_actor(make_user):
    actor, other = make_user(), make_user()
    count = notify([actor, other], "merge.supporter", exclude=[actor, None], **PARAMS)
    db.session.commit()
    assert count == 1
    assert [n.user_id for n in stored()] == [other.id]


def test_notify_nobody_writes_nothing(make_user):
    actor = make_user()
    assert notify([actor], "merge.supporter", exclude=[actor.id], **PARAMS) == 0
    assert notify([], "merge.supporter", **PARAMS) == 0
    assert stored() == []


def test_notify_refuses_an_unknown_kind(make_user):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify([make_user()], "no.such.kind")


def test_message_is_rendered_in_english_with_its_params(make_user):
    notify([make_user()], "merge.source_author", **PARAMS)
    notification = stored()[0]
    assert notification.message == (
        "Your idea “Night buses” was merged into the similar idea “More buses at "
        "night”. You are credited there as a co-author, and its supporters now "
        "support it."
    )
    assert render_message(notification, locale="en") == notification.message


def test_message_with_a_missing_param_still_renders(app):
    assert "“…”" in render_message(Notification(kind="merge.supporter", params={}))


def test_unknown_kind_renders_a_generic_message(app):
    assert render_message(Notification(kind="gone.kind", params={})) == (
        "Something happened that concerns you."
    )


def _translation(locale: str, msgid: str) -> str | None:
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    catalogue = read_po(io.BytesIO(path.read_bytes()), locale=locale)
    entry = catalogue.get(msgid)
    return entry.string if entry is not None and not entry.fuzzy else None


# The duplicate inbox's kinds (other features add theirs, with other parameters).
MERGE_KINDS = sorted(MERGE_MESSAGES)


@pytest.mark.parametrize("kind", MERGE_KINDS)
def test_message_follows_the_readers_language(app, kind):
    msgid = MESSAGES[kind]._args[0]
    translated = _translation("pt_BR", msgid)
    assert translated, f"{kind} has no pt_BR translation"
    notification = Notification(kind=kind, params=PARAMS)
    assert render_message(notification, locale="pt_BR") == translated % PARAMS
    assert render_message(notification, locale="en") == msgid % PARAMS


def test_link_for_builds_a_path_without_a_request(app):
    assert link_for("ideas.show", idea_id=12) == "/ideas/12"


def test_mark_read_and_unread_count(make_user):
    alice, bob = make_user(), make_user()
    notify([alice, bob], "merge.supporter", **PARAMS)
    notify([alice], "merge.target_author", **PARAMS)
    db.session.commit()
    assert (unread_count(alice), unread_count(bob)) == (2, 1)

    mark_read(stored(alice)[0], alice)
    db.session.commit()
    assert unread_count(alice) == 1
    assert stored(alice)[0].read_at is not None

    with pytest.raises(PermissionDenied):
        mark_read(stored(bob)[0], alice)
    assert mark_all_read(alice) == 1
    db.session.commit()
    assert (unread_count(alice), unread_count(bob)) == (0, 1)


def test_notifications_go_with_their_user(make_user):
    alice = make_user()
    notify([alice], "merge.supporter", **PARAMS)
    db.session.commit()
    db.session.delete(alice)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
