"""The theme filter on a question's page, and the officials' themes overview."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.shared.roles import Role
from ideation.themes.models import IdeaTheme, Theme
from tests.conftest import page_text


@pytest.fixture
def make_theme(app):
    """A theme of `question` holding `ideas`, as the job would store it."""

    def make(question, ideas, keywords, number=0):
        theme = Theme(
            question_id=question.id,
            number=number,
            keywords=keywords,
            size=len(ideas),
            model="fake",
        )
        db.session.add(theme)
        db.session.flush()
        db.session.add_all(IdeaTheme(idea_id=i.id, theme_id=theme.id) for i in ideas)
        db.session.commit()
        return theme

    return make


@pytest.fixture
def themed(make_question, make_idea, make_theme):
    question = make_question()
    buses = [make_idea(question=question, title=f"Bus idea {n}") for n in range(3)]
    trees = [make_idea(question=question, title=f"Tree idea {n}") for n in range(2)]
    bus_theme = make_theme(question, buses, ["buses", "night buses"], 0)
    tree_theme = make_theme(question, trees, ["trees"], 1)
    return question, buses, trees, bus_theme, tree_theme


def _links(response, pattern):
    html = response.get_data(as_text=True).replace("&amp;", "&")
    return re.findall(rf'href="([^"]*{pattern}[^"]*)"', html)


def _query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_themes_are_listed_with_keywords_and_sizes(client, themed):
    question, *_ = themed
    text = page_text(client.get(f"/questions/{question.id}"))
    assert "Themes" in text
    assert "buses, night buses 3 ideas" in text
    assert "trees 2 ideas" in text


def test_filter_lists_only_that_themes_ideas(client, themed):
    question, buses, trees, bus_theme, _ = themed
    response = client.get(f"/questions/{question.id}?theme={bus_theme.id}")
    assert response.status_code == 200
    text = page_text(response)
    assert all(idea.title in text for idea in buses)
    assert not any(idea.title in text for idea in trees)
    assert "3 ideas" in text
    assert "Showing the theme: buses, night buses" in text
    current = re.search(
        r'<a href="[^"]*" aria-current="true">\s*<span class="theme-k',
        (response.get_data(as_text=True)),
    )
    assert current is not None


def test_active_theme_can_be_removed(client, themed):
    question, buses, trees, bus_theme, _ = themed
    response = client.get(f"/questions/{question.id}?sort=new&theme={bus_theme.id}")
    html = response.get_data(as_text=True)
    removal = re.search(r'href="([^"]*)">Show all ideas</a>', html)
    assert removal is not None
    assert _query(removal.group(1).replace("&amp;", "&")) == {"sort": "new"}
    text = page_text(client.get(removal.group(1).replace("&amp;", "&")))
    assert all(idea.title in text for idea in buses + trees)


def test_theme_links_keep_the_sort(client, themed):
    question, _, _, bus_theme, tree_theme = themed
    response = client.get(f"/questions/{question.id}?sort=top")
    theme_links = [_query(url) for url in _links(response, "theme=")]
    assert {"sort": "top", "theme": str(bus_theme.id)} in theme_links
    assert {"sort": "top", "theme": str(tree_theme.id)} in theme_links


def test_sort_links_keep_the_theme(client, themed):
    question, _, _, bus_theme, _ = themed
    response = client.get(f"/questions/{question.id}?theme={bus_theme.id}")
    sort_links = [_query(url) for url in _links(response, "sort=")]
    sorts = {q["sort"] for q in sort_links if q.get("theme") == str(bus_theme.id)}
    assert sorts == {"random", "top", "new"}


def test_page_links_keep_the_theme_and_pages_stay_in_it(app, client, themed):
    question, buses, trees, bus_theme, _ = themed
    app.config["IDEAS_PER_PAGE"] = 2
    response = client.get(f"/questions/{question.id}?sort=new&theme={bus_theme.id}")
    next_link = re.search(r'rel="next" href="([^"]*)"', response.get_data(as_text=True))
    assert next_link is not None
    url = next_link.group(1).replace("&amp;", "&")
    query = _query(url)
    assert query.pop("after")  # the cursor of the last idea shown (keyset pages)
    assert query == {"sort": "new", "theme": str(bus_theme.id), "page": "2"}
    first, second = page_text(response), page_text(client.get(url))
    # Newest first: the two newer bus ideas, then the oldest; never a tree idea.
    assert buses[2].title in first and buses[1].title in first
    assert buses[0].title in second
    assert "Page 2 of 2" in second
    assert not any(idea.title in first + second for idea in trees)


def test_another_questions_theme_does_not_leak_its_ideas(
    client, themed, make_question, make_idea, make_theme
):
    question, buses, trees, _, _ = themed
    other = make_question(title="Another question")
    secret = make_idea(question=other, title="An idea of the other question")
    foreign = make_theme(other, [secret], ["elsewhere"])
    response = client.get(f"/questions/{question.id}?theme={foreign.id}")
    assert response.status_code == 200
    text = page_text(response)
    assert secret.title not in text
    assert "elsewhere" not in text
    # Ignored: this question's full list, with a note.
    assert all(idea.title in text for idea in buses + trees)
    assert "That theme no longer exists" in text


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_unknown_or_malformed_theme_shows_the_full_list(client, themed, value):
    question, buses, trees, _, _ = themed
    response = client.get(f"/questions/{question.id}?theme={value}")
    assert response.status_code == 200
    text = page_text(response)
    assert all(idea.title in text for idea in buses + trees)
    assert ("That theme no longer exists" in text) == value.isdigit()


def test_withdrawn_idea_leaves_the_filtered_list(client, themed):
    question, buses, _, bus_theme, _ = themed
    buses[0].status = IdeaStatus.WITHDRAWN.value
    db.session.commit()
    text = page_text(client.get(f"/questions/{question.id}?theme={bus_theme.id}"))
    assert buses[0].title not in text
    assert "2 ideas" in text
    # The size shown in the filter is the one computed last (3), until the next run.
    assert "buses, night buses 3 ideas" in text


def test_question_without_themes_shows_no_filter(client, make_idea):
    idea = make_idea()
    text = page_text(client.get(f"/questions/{idea.question_id}"))
    assert idea.title in text
    assert "Themes" not in text


def test_overview_shows_each_theme_with_its_top_ideas(client, make_user, themed):
    question, buses, trees, bus_theme, _ = themed
    buses[1].support_count = 5
    db.session.commit()
    client.login(make_user(Role.OFFICIAL))
    response = client.get(f"/questions/{question.id}/themes")
    assert response.status_code == 200
    text = page_text(response)
    assert "buses, night buses" in text and "trees" in text
    assert text.index(buses[1].title) < text.index(buses[0].title)
    assert all(idea.title in text for idea in buses + trees)
    assert f"theme={bus_theme.id}" in response.get_data(as_text=True)


def test_overview_counts_ideas_that_came_after_the_computation(
    client, make_user, make_idea, themed
):
    question, *_ = themed
    make_idea(question=question, title="A late idea")
    client.login(make_user(Role.OFFICIAL))
    text = page_text(client.get(f"/questions/{question.id}/themes"))
    assert "1 idea came later and is in no theme yet." in text


def test_overview_is_for_officials(client, make_user, themed):
    question, *_ = themed
    client.login(make_user(Role.CITIZEN))
    assert client.get(f"/questions/{question.id}/themes").status_code == 403
