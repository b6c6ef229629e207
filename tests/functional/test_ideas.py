"""Ideas through the browser's eyes: submit, show, edit, withdraw, the listing."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.ideas.queries import SEED_SESSION_KEY
from ideation.questions.models import QuestionStatus
from ideation.shared.db import utcnow
from tests.conftest import page_text
from tests.helpers import flashes

SCRIPT = "<script>alert('pwned')</script>"


def idea_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Idea))


@pytest.fixture
def citizen(client, make_user):
    user = make_user(name="Ana Citizen")
    client.login(user)
    return user


# Submit


def test_submit_form_shows_to_signed_in_citizen(client, citizen, make_question):
    question = make_question()
    response = client.get(f"/questions/{question.id}/ideas/new")
    assert response.status_code == 200
    assert 'name="title"' in response.get_data(as_text=True)
    assert question.title in page_text(response)


def test_submit_idea(client, citizen, make_question):
    question = make_question()
    response = client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": "  Evening clinics  ", "description": "Open until 22h.\n"},
    )
    idea = db.session.scalars(select(Idea)).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert (idea.title, idea.description) == ("Evening clinics", "Open until 22h.")
    assert idea.author_id == citizen.id and idea.question_id == question.id
    assert "Evening clinics" in page_text(client.get(response.headers["Location"]))


def test_submit_without_description(client, citizen, make_question):
    question = make_question()
    client.submit(f"/questions/{question.id}/ideas/new", data={"title": "Short"})
    assert db.session.scalars(select(Idea)).one().description == ""


def test_submit_requires_login(client, make_question):
    question = make_question()
    url = f"/questions/{question.id}/ideas/new"
    for response in (client.get(url), client.submit(url, data={"title": "Anon"})):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    assert idea_count() == 0


def test_submit_without_csrf_is_refused(client, citizen, make_question):
    question = make_question()
    response = client.post(
        f"/questions/{question.id}/ideas/new", data={"title": "No token"}
    )
    assert response.status_code == 400
    assert idea_count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"status": QuestionStatus.CLOSED},
        {"closes_at": utcnow() - timedelta(hours=1)},
        {"opens_at": utcnow() + timedelta(days=1)},
    ],
    ids=["closed", "past-closing-date", "not-yet-open"],
)
def test_submit_refused_unless_question_open(client, citizen, make_question, fields):
    if "closes_at" in fields:
        fields["opens_at"] = utcnow() - timedelta(days=5)
    question = make_question(**fields)
    url = f"/questions/{question.id}/ideas/new"
    for response in (client.get(url), client.submit(url, data={"title": "Late"})):
        assert response.status_code == 302
        assert response.headers["Location"] == f"/questions/{question.id}"
        category, message = flashes(client)[-1]
        assert category == "error"
        assert "closed" in message or "opens on" in message
    assert idea_count() == 0


def test_submit_on_draft_or_unknown_question_is_404(client, citizen, make_question):
    draft = make_question(status=QuestionStatus.DRAFT)
    assert client.get(f"/questions/{draft.id}/ideas/new").status_code == 404
    response = client.submit(f"/questions/{draft.id}/ideas/new", data={"title": "x"})
    assert response.status_code == 404
    assert client.get("/questions/9999/ideas/new").status_code == 404
    assert idea_count() == 0


@pytest.mark.parametrize(
    ("title", "description", "error"),
    [
        ("", "A description without a title", "Give your idea a title."),
        ("   \t ", "Whitespace is not a title", "Give your idea a title."),
        ("t" * 141, "Title one character too long", "at most 140 characters"),
        ("Fine title", "d" * 2001, "at most 2000 characters"),
    ],
    ids=["empty-title", "blank-title", "long-title", "long-description"],
)
def test_rejected_form_keeps_what_was_typed(
    client, citizen, make_question, title, description, error
):
    question = make_question()
    response = client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": title, "description": description},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert error in page_text(response)
    assert 'aria-invalid="true"' in html
    assert f"\n{description}</textarea>" in html
    if title.strip():
        assert f'value="{title}"' in html
    assert idea_count() == 0


def test_longest_allowed_texts_are_accepted(client, citizen, make_question):
    question = make_question()
    client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": "t" * 140, "description": "d" * 2000},
    )
    idea = db.session.scalars(select(Idea)).one()
    assert (len(idea.title), len(idea.description)) == (140, 2000)


def test_rejected_form_escapes_what_was_typed(client, citizen, make_question):
    question = make_question()
    response = client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": "", "description": SCRIPT},
    )
    html = response.get_data(as_text=True)
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_html_is_stored_as_typed_and_shown_as_text(client, citizen, make_question):
    question = make_question()
    client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": f"Title {SCRIPT}", "description": f"Text {SCRIPT}\nbye"},
    )
    idea = db.session.scalars(select(Idea)).one()
    assert idea.title == f"Title {SCRIPT}"
    for url in (f"/ideas/{idea.id}", f"/questions/{question.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;" in html
        assert "<script>alert" not in html


# Show


def test_idea_page(client, make_idea, make_user):
    author = make_user(name="Bruno Author")
    idea = make_idea(
        author=author,
        title="Mobile health units",
        description="Vans that visit villages.\nSee https://example.org/vans",
    )
    response = client.get(f"/ideas/{idea.id}")
    assert response.status_code == 200
    html, text = response.get_data(as_text=True), page_text(response)
    assert "Mobile health units" in text and "Bruno Author" in text
    assert "0 supports" in text
    assert f'href="/questions/{idea.question_id}"' in html
    assert "Vans that visit villages.<br>" in html
    assert (
        'href="https://example.org/vans" rel="nofollow noopener noreferrer ugc"' in html
    )


def test_idea_page_offers_author_edit_and_withdraw(client, make_idea, citizen):
    mine = make_idea(author=citizen)
    html = client.get(f"/ideas/{mine.id}").get_data(as_text=True)
    assert f'href="/ideas/{mine.id}/edit"' in html
    assert f'action="/ideas/{mine.id}/withdraw"' in html
    assert f'action="/ideas/{mine.id}/support"' not in html  # not on one's own


def test_idea_page_offers_others_only_support(client, make_idea, citizen):
    theirs = make_idea()
    html = client.get(f"/ideas/{theirs.id}").get_data(as_text=True)
    assert f'action="/ideas/{theirs.id}/support"' in html
    assert "/edit" not in html and "/withdraw" not in html


def test_idea_page_hides_edit_when_window_passed(client, make_idea, citizen):
    old = make_idea(author=citizen, created_at=utcnow() - timedelta(hours=1))
    html = client.get(f"/ideas/{old.id}").get_data(as_text=True)
    assert "/edit" not in html
    assert f'action="/ideas/{old.id}/withdraw"' in html


def test_withdrawn_idea_page_keeps_a_notice(client, make_idea, citizen):
    idea = make_idea(status=IdeaStatus.WITHDRAWN.value, withdrawn_at=utcnow())
    response = client.get(f"/ideas/{idea.id}")
    assert response.status_code == 200
    assert "withdrawn by its author" in page_text(response)
    assert "/support" not in response.get_data(as_text=True)


def test_idea_of_draft_question_or_unknown_is_404(client, make_question, make_idea):
    idea = make_idea(question=make_question(status=QuestionStatus.DRAFT))
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    assert client.get("/ideas/9999").status_code == 404


# Edit


def test_author_edits_idea(client, citizen, make_idea):
    idea = make_idea(author=citizen, title="Old title", description="Old")
    form = client.get(f"/ideas/{idea.id}/edit")
    assert 'value="Old title"' in form.get_data(as_text=True)
    response = client.submit(
        f"/ideas/{idea.id}/edit", data={"title": " New title ", "description": "New"}
    )
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    idea = db.session.get(Idea, idea.id)
    assert (idea.title, idea.description) == ("New title", "New")
    assert idea.updated_at is not None


def test_edit_with_bad_input_keeps_what_was_typed(client, citizen, make_idea):
    idea = make_idea(author=citizen, title="Old title")
    response = client.submit(
        f"/ideas/{idea.id}/edit", data={"title": " ", "description": "Kept text"}
    )
    assert response.status_code == 200
    assert "\nKept text</textarea>" in response.get_data(as_text=True)
    assert db.session.get(Idea, idea.id).title == "Old title"


def test_other_user_cannot_edit(client, citizen, make_idea):
    idea = make_idea(title="Not yours")
    assert client.get(f"/ideas/{idea.id}/edit").status_code == 403
    response = client.submit(f"/ideas/{idea.id}/edit", data={"title": "Hijacked"})
    assert response.status_code == 403
    assert db.session.get(Idea, idea.id).title == "Not yours"


def test_anonymous_edit_redirects_to_login(client, make_idea):
    idea = make_idea()
    response = client.get(f"/ideas/{idea.id}/edit")
    assert response.headers["Location"].startswith("/login")


def test_edit_refused_after_window(client, app, citizen, make_idea):
    created = utcnow() - app.config["IDEA_EDIT_WINDOW"] - timedelta(minutes=1)
    idea = make_idea(author=citizen, title="Old title", created_at=created)
    for response in (
        client.get(f"/ideas/{idea.id}/edit"),
        client.submit(f"/ideas/{idea.id}/edit", data={"title": "Too late"}),
    ):
        assert response.status_code == 302
        assert response.headers["Location"] == f"/ideas/{idea.id}"
        assert "15 minutes" in flashes(client)[-1][1]
    assert db.session.get(Idea, idea.id).title == "Old title"


def test_edit_refused_after_first_support(client, citizen, make_idea, make_user):
    idea = make_idea(author=citizen, title="Old title", support_count=1)
    db.session.add(Support(idea_id=idea.id, user_id=make_user().id))
    db.session.commit()
    response = client.submit(f"/ideas/{idea.id}/edit", data={"title": "Changed"})
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert "supporters" in flashes(client)[-1][1]
    assert db.session.get(Idea, idea.id).title == "Old title"


def test_edit_unknown_idea_is_404(client, citizen):
    assert client.get("/ideas/9999/edit").status_code == 404


# Withdraw


def test_author_withdraws_idea(client, citizen, make_idea):
    idea = make_idea(author=citizen, title="Changed my mind")
    response = client.submit(f"/ideas/{idea.id}/withdraw")
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    idea = db.session.get(Idea, idea.id)
    assert idea.status == IdeaStatus.WITHDRAWN.value and idea.withdrawn_at
    assert "withdrawn by its author" in page_text(client.get(f"/ideas/{idea.id}"))
    listing = page_text(client.get(f"/questions/{idea.question_id}"))
    assert "Changed my mind" not in listing


def test_other_user_cannot_withdraw(client, citizen, make_idea):
    idea = make_idea()
    assert client.submit(f"/ideas/{idea.id}/withdraw").status_code == 403
    assert not db.session.get(Idea, idea.id).is_withdrawn


def test_withdraw_needs_login_post_and_csrf(client, make_user, make_idea):
    idea = make_idea()
    anonymous = client.submit(f"/ideas/{idea.id}/withdraw")
    assert anonymous.headers["Location"].startswith("/login")
    client.login(idea.author)
    assert client.get(f"/ideas/{idea.id}/withdraw").status_code == 405
    assert client.post(f"/ideas/{idea.id}/withdraw").status_code == 400
    assert client.submit("/ideas/9999/withdraw").status_code == 404
    assert not db.session.get(Idea, idea.id).is_withdrawn


# The listing under the question


def listed_titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<h3><a href="/ideas/\d+">([^<]*)</a></h3>', html)


def test_listing_shows_ideas_and_a_link_to_propose(client, make_question, make_idea):
    question = make_question()
    make_idea(question=question, title="Listed idea")
    make_idea(question=question, title="Gone idea", status=IdeaStatus.WITHDRAWN.value)
    make_idea(title="Idea of another question")
    response = client.get(f"/questions/{question.id}")
    assert listed_titles(response) == ["Listed idea"]
    assert f'href="/questions/{question.id}/ideas/new"' in response.get_data(
        as_text=True
    )


def test_listing_of_closed_question_has_no_propose_link(
    client, citizen, make_question, make_idea
):
    question = make_question(status=QuestionStatus.CLOSED)
    make_idea(question=question, title="Old idea")
    html = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Old idea" in html
    assert "/ideas/new" not in html and "/support" not in html


def test_listing_sorted_by_most_supported(client, make_question, make_idea):
    question = make_question()
    for title, count in [("Few", 1), ("Most", 9), ("None", 0), ("Some", 4)]:
        make_idea(question=question, title=title, support_count=count)
    response = client.get(f"/questions/{question.id}?sort=top")
    assert listed_titles(response) == ["Most", "Some", "Few", "None"]


def test_listing_sorted_by_newest(client, make_question, make_idea):
    question = make_question()
    now = utcnow()
    for title, age in [("Middle", 2), ("Newest", 1), ("Oldest", 3)]:
        make_idea(question=question, title=title, created_at=now - timedelta(hours=age))
    response = client.get(f"/questions/{question.id}?sort=new")
    assert listed_titles(response) == ["Newest", "Middle", "Oldest"]


@pytest.fixture
def many_ideas(app, make_question, make_idea, make_user):
    """A question with 36 ideas, shown 10 per page."""
    app.config["IDEAS_PER_PAGE"] = 10
    question, author = make_question(), make_user()
    titles = [f"Idea {n:02d}" for n in range(36)]
    for title in titles:
        make_idea(question=question, author=author, title=title)
    return question, titles


def all_pages(client, question, sort="random") -> list[list[str]]:
    return [
        listed_titles(client.get(f"/questions/{question.id}?sort={sort}&page={page}"))
        for page in range(1, 5)
    ]


def test_pagination(client, many_ideas):
    question, titles = many_ideas
    pages = all_pages(client, question, sort="new")
    assert [len(page) for page in pages] == [10, 10, 10, 6]
    assert sum(pages, []) == list(reversed(titles))
    text = page_text(client.get(f"/questions/{question.id}?sort=new&page=2"))
    assert "Page 2 of 4" in text
    assert listed_titles(client.get(f"/questions/{question.id}?page=9")) == []
    assert len(listed_titles(client.get(f"/questions/{question.id}?page=x"))) == 10


def test_random_order_is_the_default_and_stable_per_visitor(client, many_ideas):
    question, titles = many_ideas
    default = listed_titles(client.get(f"/questions/{question.id}"))
    first, again = all_pages(client, question), all_pages(client, question)
    assert first == again
    assert default == first[0]
    everything = sum(first, [])
    assert sorted(everything) == titles  # each idea once, on exactly one page
    assert everything not in (titles, list(reversed(titles)))


def test_random_order_differs_between_visitors(app, client, many_ideas):
    """Each visitor starts the random order at a place of their own: among ten
    visitors, not all see the same idea first (all alike: (1/36)**9)."""
    question, _titles = many_ideas
    firsts = {
        listed_titles(app.test_client().get(f"/questions/{question.id}"))[0]
        for _ in range(10)
    }
    assert len(firsts) > 1


def follow_pages(client, url: str, rel: str = "next") -> list[list[str]]:
    """The titles of each page from `url` on, following the pager's `rel` links."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(listed_titles(response))
        link = re.search(
            rf'rel="{rel}" href="([^"]*)"', response.get_data(as_text=True)
        )
        url = link.group(1).replace("&amp;", "&") if link else None
        assert len(pages) < 10, "the pager goes round in circles"
    return pages


@pytest.mark.parametrize("sort", ["random", "top", "new"])
def test_keyset_pages_list_every_idea_exactly_once(client, many_ideas, sort):
    """Following "Next" from the first page lists every idea once, in the order of
    the sort, and "Previous" from the last page walks the same pages back."""
    question, titles = many_ideas
    ideas = db.session.scalars(select(Idea).where(Idea.question_id == question.id))
    for n, idea in enumerate(ideas):
        idea.support_count = n % 4  # ties, broken by the id
    db.session.commit()
    forward = follow_pages(client, f"/questions/{question.id}?sort={sort}")
    assert [len(page) for page in forward] == [10, 10, 10, 6]
    everything = sum(forward, [])
    assert sorted(everything) == titles
    assert forward == all_pages(client, question, sort=sort)  # same as page=N
    last = re.search(
        r'rel="next" href="([^"]*)"',
        client.get(f"/questions/{question.id}?sort={sort}&page=3").get_data(
            as_text=True
        ),
    ).group(1)
    backward = follow_pages(client, last.replace("&amp;", "&"), rel="prev")
    assert backward == list(reversed(forward))


def test_a_cursor_that_is_not_one_shows_the_first_page(client, many_ideas):
    question, _titles = many_ideas
    first = listed_titles(client.get(f"/questions/{question.id}?sort=top"))
    for cursor in ("x", "1.2.3", "99999999999999999999.1", ""):
        url = f"/questions/{question.id}?sort=top&after={cursor}"
        assert listed_titles(client.get(url)) == first


def test_two_visitors_in_two_languages_each_get_their_own(app, make_question):
    """Translations are looked up once per request: never the previous request's."""
    question = make_question()
    portuguese, spanish = app.test_client(), app.test_client()
    portuguese.submit("/language", data={"language": "pt_BR"})
    spanish.submit("/language", data={"language": "es"})
    for _round in range(2):
        pt = page_text(portuguese.get(f"/questions/{question.id}"))
        es = page_text(spanish.get(f"/questions/{question.id}"))
        assert "Propor uma ideia" in pt and "Propor uma ideia" not in es
        assert "Proponer una idea" in es and "Proponer una idea" not in pt


def test_unknown_sort_falls_back_to_random(client, many_ideas):
    question, _titles = many_ideas
    random_page = listed_titles(client.get(f"/questions/{question.id}?sort=random"))
    bogus_page = listed_titles(client.get(f"/questions/{question.id}?sort=drop+table"))
    assert bogus_page == random_page


def test_listing_marks_the_ideas_the_visitor_supports(
    client, citizen, make_question, make_idea
):
    question = make_question()
    supported, other = make_idea(question=question), make_idea(question=question)
    db.session.add(Support(idea_id=supported.id, user_id=citizen.id))
    db.session.commit()
    html = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert f'action="/ideas/{supported.id}/unsupport"' in html
    assert f'action="/ideas/{other.id}/support"' in html
    assert f'action="/ideas/{supported.id}/support"' not in html


def test_listing_queries_do_not_grow_with_ideas(
    app, client, citizen, make_question, make_idea, make_user
):
    """No N+1: the same number of statements for 2 ideas as for 12."""

    def statements_for(question) -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            client.get(f"/questions/{question.id}")
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    small, large = make_question(), make_question()
    for question, size in ((small, 2), (large, 12)):
        for _n in range(size):
            idea = make_idea(question=question, author=make_user())
            db.session.add(Support(idea_id=idea.id, user_id=citizen.id))
    db.session.commit()
    assert statements_for(small) == statements_for(large)


def test_random_order_copes_with_the_largest_ids(client, make_question, make_idea):
    """The order's products must not overflow, even for the last integer id."""
    question = make_question()
    largest = 2**31 - 1
    for idea_id in (1, 2, largest - 1, largest):
        make_idea(question=question, id=idea_id, title=f"Idea {idea_id}")
    with client.session_transaction() as session:
        # The last seed: a, b, c and d all at the top of their ranges.
        session[SEED_SESSION_KEY] = (largest - 1) ** 2 * largest**2 - 1
    response = client.get(f"/questions/{question.id}?sort=random")
    assert response.status_code == 200
    assert sorted(listed_titles(response)) == sorted(
        f"Idea {n}" for n in (1, 2, largest - 1, largest)
    )
