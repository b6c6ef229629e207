"""Officials name themes (audited); a theme that goes on through a recomputation
keeps its id and its name, so shared filter links keep working."""

import pytest
from sqlalchemy import select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.shared.roles import Role
from ideation.similarity.themes import Theme as ComputedTheme
from ideation.themes.models import IdeaTheme, Theme
from ideation.themes.operations import replace_themes
from tests.conftest import page_text


@pytest.fixture
def themed(make_question, make_idea):
    question = make_question()
    buses = [make_idea(question=question, title=f"Buses {n}") for n in range(4)]
    trees = [make_idea(question=question, title=f"Trees {n}") for n in range(4)]
    replace_themes(
        question,
        [
            ComputedTheme(0, 4, ["buses"], [i.id for i in buses]),
            ComputedTheme(1, 4, ["trees"], [i.id for i in trees]),
        ],
    )
    db.session.commit()
    bus_theme, tree_theme = db.session.scalars(
        select(Theme).where(Theme.question_id == question.id).order_by(Theme.number)
    )
    return question, buses, trees, bus_theme, tree_theme


def rename(client, question, theme, label):
    return client.submit(
        f"/questions/{question.id}/themes/{theme.id}/rename",
        data={f"theme-{theme.id}-label": label},
    )


def test_an_official_names_a_theme_and_it_is_audited(client, make_user, themed):
    question, _, _, bus_theme, _ = themed
    official = make_user(Role.OFFICIAL)
    client.login(official)
    response = rename(client, question, bus_theme, "  Transporte   público ")
    assert response.status_code == 302
    db.session.refresh(bus_theme)
    assert bus_theme.label == "Transporte público"
    entry = db.session.scalars(select(AuditLog)).one()
    assert (entry.action, entry.actor_id, entry.target_type) == (
        "theme.renamed",
        official.id,
        "themes",
    )
    assert entry.details["new"] == "Transporte público"
    # The public filter shows the name.
    text = page_text(client.get(f"/questions/{question.id}"))
    assert "Transporte público" in text


def test_an_empty_name_gives_back_the_keywords(client, make_user, themed):
    question, _, _, bus_theme, _ = themed
    bus_theme.label = "Transporte"
    db.session.commit()
    client.login(make_user(Role.ADMIN))
    assert rename(client, question, bus_theme, "").status_code == 302
    db.session.refresh(bus_theme)
    assert bus_theme.label is None


def test_a_too_long_name_is_refused_and_kept(client, make_user, themed):
    question, _, _, bus_theme, _ = themed
    client.login(make_user(Role.OFFICIAL))
    response = rename(client, question, bus_theme, "x" * 81)
    assert response.status_code == 200
    assert "at most 80 characters" in page_text(response)
    assert 'value="' + "x" * 81 + '"' in response.get_data(as_text=True)
    db.session.refresh(bus_theme)
    assert bus_theme.label is None


@pytest.mark.parametrize("role", ["anonymous", Role.CITIZEN, Role.MODERATOR])
def test_only_officials_name_themes(client, make_user, themed, role):
    question, _, _, bus_theme, _ = themed
    if role != "anonymous":
        client.login(make_user(role))
    response = rename(client, question, bus_theme, "Ônibus")
    assert response.status_code in (302, 403)
    if role != "anonymous":
        assert response.status_code == 403
    db.session.refresh(bus_theme)
    assert bus_theme.label is None


def test_a_theme_of_another_question_is_not_found(
    client, make_user, themed, make_question
):
    _, _, _, bus_theme, _ = themed
    client.login(make_user(Role.OFFICIAL))
    other = make_question()
    assert rename(client, other, bus_theme, "Ônibus").status_code == 404


def test_a_named_theme_keeps_its_id_and_name_through_recomputes(
    client, make_idea, themed
):
    question, buses, trees, bus_theme, tree_theme = themed
    bus_theme.label = "Transporte público"
    db.session.commit()
    link = f"/questions/{question.id}?theme={bus_theme.id}"
    late = make_idea(question=question, title="Buses late")
    # Recomputed: the bus cluster grew and now comes second; trees come first.
    replace_themes(
        question,
        [
            ComputedTheme(0, 4, ["trees", "parks"], [i.id for i in trees]),
            ComputedTheme(1, 5, ["buses", "night"], [i.id for i in [*buses, late]]),
        ],
    )
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Theme, bus_theme.id)
    assert kept.label == "Transporte público" and kept.number == 1
    assert kept.keywords == ["buses", "night"] and kept.size == 5
    assert db.session.get(Theme, tree_theme.id).number == 0
    members = set(
        db.session.scalars(
            select(IdeaTheme.idea_id).where(IdeaTheme.theme_id == bus_theme.id)
        )
    )
    assert members == {i.id for i in [*buses, late]}
    text = page_text(client.get(link))
    assert "Showing the theme: Transporte público" in text
    assert "That theme no longer exists" not in text


def test_a_theme_that_breaks_up_is_gone_and_its_links_say_so(client, themed):
    question, buses, trees, bus_theme, tree_theme = themed
    mixed = [buses[0], buses[1], trees[0], trees[1]]
    rest = [buses[2], buses[3], trees[2], trees[3]]
    replace_themes(
        question,
        [
            ComputedTheme(0, 4, ["a"], [i.id for i in mixed]),
            ComputedTheme(1, 4, ["b"], [i.id for i in rest]),
        ],
    )
    db.session.commit()
    assert db.session.get(Theme, bus_theme.id) is None
    text = page_text(client.get(f"/questions/{question.id}?theme={bus_theme.id}"))
    assert "That theme no longer exists" in text


def test_the_overview_offers_each_theme_its_name_form(client, make_user, themed):
    question, _, _, bus_theme, tree_theme = themed
    bus_theme.label = "Transporte"
    db.session.commit()
    client.login(make_user(Role.OFFICIAL))
    html = client.get(f"/questions/{question.id}/themes").get_data(as_text=True)
    assert f'name="theme-{bus_theme.id}-label"' in html
    assert f'name="theme-{tree_theme.id}-label"' in html
    assert 'value="Transporte"' in html
    assert "Keywords: buses." in page_text(
        client.get(f"/questions/{question.id}/themes")
    )


def test_the_audit_log_links_a_renamed_theme_to_its_overview(client, make_user, themed):
    question, _, _, bus_theme, _ = themed
    admin = make_user(Role.ADMIN)
    client.login(admin)
    rename(client, question, bus_theme, "Transporte")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert f'href="/questions/{question.id}/themes"' in html
    assert "Transporte" in html
