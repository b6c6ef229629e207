"""The duplicate inbox through the client: groups, merge with confirmation, undo."""

import re
from datetime import timedelta
from html import unescape

import numpy as np
import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.duplicates.jobs import find_duplicates
from ideation.duplicates.models import DuplicateDismissal, IdeaMerge
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.notifications.messages import render_message
from ideation.notifications.models import Notification
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from ideation.similarity.pipeline import configured_model
from ideation.similarity.store import save_embedding
from tests.conftest import page_text
from tests.helpers import flashes

REASON = "Both ask for buses to the clinics at night."


def unit(*values, dimension=8):
    vector = np.zeros(dimension, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def rows(idea) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
    )


def count(idea) -> int:
    return db.session.scalar(select(Idea.support_count).where(Idea.id == idea.id))


def supports_of(idea) -> set:
    return set(
        db.session.execute(
            select(Support.user_id, Support.created_at).where(
                Support.idea_id == idea.id
            )
        )
    )


def support(idea, user, days_ago):
    db.session.add(
        Support(
            idea_id=idea.id,
            user_id=user.id,
            created_at=utcnow() - timedelta(days=days_ago),
        )
    )
    db.session.flush()
    idea.support_count = rows(idea)
    db.session.commit()


@pytest.fixture
def world(make_question, make_idea, make_user):
    """A question with two groups of near-duplicates and one idea alone.

    The night-bus group is older than the nurses group; `fan` supports both buses
    ideas, `rider` only the source.
    """
    question = make_question()
    now = utcnow()
    specs = {
        "bus_source": ("Night buses to the clinics", unit(1, 0.1), 10),
        "bus_target": ("More night buses to clinics", unit(1, 0.12), 9),
        "nurse_a": ("Hire more nurses", unit(0, 1, 0.1), 3),
        "nurse_b": ("More nurses in small towns", unit(0, 1, 0.12), 2),
        "alone": ("Open data on waiting times", unit(0, 0, 0, 1), 1),
    }
    ideas = {}
    for name, (title, vector, days_ago) in specs.items():
        ideas[name] = make_idea(
            question=question,
            title=title,
            description="",
            author=make_user(name=f"Author of {name}"),
            created_at=now - timedelta(days=days_ago),
        )
        save_embedding(ideas[name], vector, configured_model())
    db.session.commit()
    fan, rider = make_user(name="Fan"), make_user(name="Rider")
    support(ideas["bus_source"], fan, 8)
    support(ideas["bus_target"], fan, 7)
    support(ideas["bus_source"], rider, 6)
    find_duplicates(question.id)
    db.session.commit()
    before = supports_of(ideas["bus_source"])
    return {"question": question, "fan": fan, "rider": rider, "before": before, **ideas}


@pytest.fixture
def official(client, make_user):
    user = make_user(Role.OFFICIAL, name="Olivia Official")
    client.login(user)
    return user


def switch_to(client, user):
    client.submit("/logout")
    client.login(user)
    return user


def inbox_url(world) -> str:
    return f"/questions/{world['question'].id}/duplicates"


def merge_url(world) -> str:
    return f"/questions/{world['question'].id}/duplicates/merge"


def merge_data(world, reason=REASON) -> dict:
    return {
        "target": world["bus_target"].id,
        "source": [world["bus_source"].id, world["bus_target"].id],
        "reason": reason,
    }


# The inbox


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.OFFICIAL, Role.ADMIN])
def test_inbox_open_to_moderators_and_above(client, make_user, world, role):
    client.login(make_user(role))
    assert client.get(inbox_url(world)).status_code == 200


def test_inbox_refused_to_citizens(client, make_user, world):
    client.login(make_user())
    assert client.get(inbox_url(world)).status_code == 403


def test_inbox_sends_anonymous_to_login(client, world):
    response = client.get(inbox_url(world))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_inbox_shows_groups_newest_first_with_why(client, official, world):
    response = client.get(inbox_url(world))
    html, text = response.get_data(as_text=True), page_text(response)
    assert "2 groups to review" in text
    # The nurses group has the newer ideas: it comes first.
    assert text.index("More nurses in small towns") < text.index("Night buses")
    assert "Open data on waiting times" not in text
    # Each pair: its similarity and the words both use, highlighted.
    assert re.search(r"\b(9\d|100)%", text)
    assert "<mark>nurses</mark>" in html
    assert "<mark>night buses</mark>" in html
    # Each idea: author, supports, link.
    assert "Author of bus_source" in text and "2 supports" in text
    assert f'href="/ideas/{world["bus_target"].id}"' in html


def test_inbox_pages_groups(client, app, official, world):
    app.config["DUPLICATE_GROUPS_PER_PAGE"] = 1
    first = page_text(client.get(inbox_url(world)))
    second = page_text(client.get(inbox_url(world) + "?page=2"))
    assert "nurses" in first and "Night buses" not in first
    assert "Night buses" in second and "nurses" not in second
    assert "Page 2 of 2" in second


def test_inbox_pages_hold_a_bounded_number_of_ideas(client, app, official, world):
    """Two groups of two ideas, 20 groups but only 3 ideas a page: a page each."""
    app.config["DUPLICATE_IDEAS_PER_PAGE"] = 3
    first = page_text(client.get(inbox_url(world)))
    second = page_text(client.get(inbox_url(world) + "?page=2"))
    assert "nurses" in first and "Night buses" not in first
    assert "Night buses" in second and "nurses" not in second
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "2 groups to review" in first


def test_inbox_empty_state(client, official, make_question):
    question = make_question()
    text = page_text(client.get(f"/questions/{question.id}/duplicates"))
    assert "No possible duplicates to review for this question." in text
    assert "No idea of this question has been merged yet." in text


def test_inbox_overview_counts_pairs(client, official, world):
    response = client.get("/duplicates/")
    assert response.status_code == 200
    assert world["question"].title in page_text(response)
    assert f'href="{inbox_url(world)}"' in response.get_data(as_text=True)


# Not duplicates


def test_not_duplicates_is_remembered(client, official, world):
    pair = sorted((world["nurse_a"].id, world["nurse_b"].id))
    response = client.submit(
        inbox_url(world) + "/dismiss", data={"idea_a": pair[1], "idea_b": pair[0]}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == inbox_url(world)
    assert "nurses" not in page_text(client.get(inbox_url(world)))
    dismissal = db.session.scalars(select(DuplicateDismissal)).one()
    assert [dismissal.idea_a_id, dismissal.idea_b_id] == pair
    assert dismissal.actor_id == official.id
    # The next scan does not bring the pair back.
    find_duplicates(world["question"].id)
    db.session.commit()
    text = page_text(client.get(inbox_url(world)))
    assert "nurses" not in text and "1 group to review" in text


def test_not_duplicates_needs_ideas_of_this_question(
    client, official, world, make_idea
):
    stranger = make_idea()
    response = client.submit(
        inbox_url(world) + "/dismiss",
        data={"idea_a": world["nurse_a"].id, "idea_b": stranger.id},
    )
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(DuplicateDismissal.id))) == 0


def test_not_duplicates_refused_to_citizens(client, make_user, world):
    client.login(make_user())
    response = client.submit(
        inbox_url(world) + "/dismiss",
        data={"idea_a": world["nurse_a"].id, "idea_b": world["nurse_b"].id},
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(DuplicateDismissal.id))) == 0


# Merge


def test_merge_confirmation_says_what_will_happen(client, official, world):
    response = client.get(
        merge_url(world),
        query_string={
            "target": world["bus_target"].id,
            "source": world["bus_source"].id,
        },
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "1 support moves to the idea that stays." in text
    assert "1 person supported both, so they are counted once." in text
    assert "goes from 1 to 2 supports" in text
    assert "Credited as co-authors: Author of bus_source." in text
    # Nothing happened yet.
    assert db.session.scalar(select(func.count(IdeaMerge.id))) == 0


def test_merge_without_reason_comes_back_and_changes_nothing(client, official, world):
    before = supports_of(world["bus_source"]), supports_of(world["bus_target"])
    response = client.submit(merge_url(world), data=merge_data(world, reason="  "))
    assert response.status_code == 200
    assert "Give a reason for the merge." in page_text(response)
    assert db.session.scalar(select(func.count(IdeaMerge.id))) == 0
    assert (supports_of(world["bus_source"]), supports_of(world["bus_target"])) == (
        before
    )
    assert db.session.get(Idea, world["bus_source"].id).status == "submitted"


def test_merge_through_the_confirmation(client, official, world):
    source, target, fan = world["bus_source"], world["bus_target"], world["fan"]
    response = client.submit(merge_url(world), data=merge_data(world))
    assert response.status_code == 302
    assert response.headers["Location"] == inbox_url(world)
    assert flashes(client)[-1] == (
        "success",
        "1 idea was merged into “More night buses to clinics”.",
    )
    # The supporter of both ideas ends with exactly one support.
    assert db.session.scalar(select(func.count()).where(Support.user_id == fan.id)) == 1
    assert {u for u, _ in supports_of(target)} == {fan.id, world["rider"].id}
    assert rows(target) == count(target) == 2
    assert rows(source) == count(source) == 0
    stored = db.session.get(Idea, source.id)
    assert (stored.status, stored.merged_into_id) == ("merged", target.id)
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "idea.merged")
    ).one()
    assert (entry.actor_id, entry.reason) == (official.id, REASON)
    # The group is gone from the inbox; the merge is listed.
    text = page_text(client.get(inbox_url(world)))
    assert "1 group to review" in text
    assert "Recent merges" in text and REASON in text


def test_merge_needs_a_choice(client, official, world):
    response = client.get(merge_url(world), query_string={"target": "x"})
    assert response.status_code == 302
    assert flashes(client)[-1] == ("error", "Choose the idea to keep.")


def test_merge_refuses_ideas_of_another_question(client, official, world, make_idea):
    stranger = make_idea()
    response = client.submit(
        merge_url(world),
        data={"target": world["bus_target"].id, "source": stranger.id, "reason": "x"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(IdeaMerge.id))) == 0


def test_merge_refused_to_citizens(client, make_user, world):
    client.login(make_user())
    response = client.submit(merge_url(world), data=merge_data(world))
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(IdeaMerge.id))) == 0


def test_merge_needs_csrf(client, official, world):
    response = client.post(merge_url(world), data=merge_data(world))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(IdeaMerge.id))) == 0


# After a merge: the redirect, the co-author, the listing


@pytest.fixture
def merged(client, official, world):
    client.submit(merge_url(world), data=merge_data(world))
    client.get("/")  # consume the flash
    return db.session.scalars(select(IdeaMerge)).one()


def test_merged_idea_redirects_with_a_note(client, world, merged):
    source, target = world["bus_source"], world["bus_target"]
    response = client.get(f"/ideas/{source.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{target.id}"
    page = client.get(response.headers["Location"])
    assert (
        "The idea “Night buses to the clinics” was merged into this one, “More "
        "night buses to clinics”" in page_text(page)
    )


def test_target_shows_the_co_author(client, world, merged):
    text = page_text(client.get(f"/ideas/{world['bus_target'].id}"))
    assert "Co-authors: Author of bus_source" in text
    assert "2 supports" in text


def test_merged_idea_leaves_the_listing(client, world, merged):
    text = page_text(client.get(f"/questions/{world['question'].id}"))
    assert "More night buses to clinics" in text
    assert "Night buses to the clinics" not in text


# Undo


def test_admin_sees_and_uses_undo(client, make_user, world, merged):
    source, target = world["bus_source"], world["bus_target"]
    admin = switch_to(client, make_user(Role.ADMIN))
    page = client.get(f"/ideas/{target.id}")
    assert f'action="/merges/{merged.id}/undo"' in page.get_data(as_text=True)

    response = client.submit(f"/merges/{merged.id}/undo", data={"reason": "Not alike."})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{source.id}"
    assert supports_of(source) == world["before"]
    assert rows(source) == count(source) == 2
    assert rows(target) == count(target) == 1
    assert db.session.get(Idea, source.id).status == IdeaStatus.SUBMITTED.value
    assert db.session.get(IdeaMerge, merged.id).undone_by_id == admin.id
    assert client.get(f"/ideas/{source.id}").status_code == 200
    assert "Co-authors" not in page_text(client.get(f"/ideas/{target.id}"))


def test_undo_without_reason_comes_back(client, make_user, world, merged):
    switch_to(client, make_user(Role.ADMIN))
    response = client.submit(f"/merges/{merged.id}/undo", data={"reason": ""})
    assert response.status_code == 200
    assert "Give a reason for undoing the merge." in page_text(response)
    assert db.session.get(IdeaMerge, merged.id).undone_at is None
    assert db.session.get(Idea, world["bus_source"].id).status == "merged"


def test_undo_refused_to_officials(client, world, merged):
    # The `merged` fixture's client is signed in as the official who merged.
    response = client.submit(f"/merges/{merged.id}/undo", data={"reason": "Oops."})
    assert response.status_code == 403
    assert db.session.get(IdeaMerge, merged.id).undone_at is None
    page = client.get(f"/ideas/{world['bus_target'].id}")
    assert "/undo" not in page.get_data(as_text=True)


def test_undo_page_shows_what_comes_back(client, make_user, world, merged):
    switch_to(client, make_user(Role.ADMIN))
    text = page_text(client.get(f"/merges/{merged.id}/undo"))
    assert "2 supports go back to “Night buses to the clinics”" in text
    assert "1 support that the merge added to “More night buses to clinics”" in text
    assert "1 person supported both before the merge" in text


def test_inbox_offers_officials_to_answer_a_group_and_not_moderators(
    client, make_user, official, world
):
    html = client.get(inbox_url(world)).get_data(as_text=True)
    assert f"/questions/{world['question'].id}/respond?group=" in html
    switch_to(client, make_user(Role.MODERATOR))
    html = client.get(inbox_url(world)).get_data(as_text=True)
    assert "/respond?group=" not in html


# A hidden idea in a merge: its title stays with those who may read it


def hide(idea) -> str:
    idea.hidden_at = utcnow()
    idea.hidden_reason = "Copied from an advert."
    db.session.commit()
    return idea.title


@pytest.mark.parametrize("hidden", ["bus_source", "bus_target"])
def test_the_merged_note_leaves_a_hidden_title_out(
    app, client, official, world, hidden
):
    title = hide(world[hidden])
    client.submit(merge_url(world), data=merge_data(world))
    visitor = app.test_client()
    page = visitor.get(f"/ideas/{world['bus_source'].id}", follow_redirects=True)
    source, target = "Night buses to the clinics", "More night buses to clinics"
    source, target = (
        ("Hidden idea", target) if hidden == "bus_source" else (source, "Hidden idea")
    )
    text = unescape(page_text(page))
    assert (
        f"The idea “{source}” was merged into this one, “{target}”, which says "
        "nearly the same thing." in text
    )
    assert title not in text


@pytest.mark.parametrize("hidden", ["bus_source", "bus_target"])
def test_merge_notifications_leave_a_hidden_title_out(client, official, world, hidden):
    title = hide(world[hidden])
    client.submit(merge_url(world), data=merge_data(world))
    said = {
        notification.user_id: render_message(notification)
        for notification in db.session.scalars(select(Notification))
    }
    authors = {world[name].author_id for name in ("bus_source", "bus_target")}
    assert set(said) == authors | {world["fan"].id, world["rider"].id}
    for user_id, text in said.items():
        # Its author still reads it (as on the idea's page); nobody else does.
        assert (title in text) == (user_id == world[hidden].author_id), text
