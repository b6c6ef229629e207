"""The shortlist board through the client: signals, filters, shortlist and private
notes, the CSV export, the governor's office's decision."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.duplicates.models import DuplicateCandidate
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.shared.roles import Role
from ideation.shortlist.models import ShortlistDecision, ShortlistEntry
from ideation.themes.models import IdeaTheme, Theme
from tests.conftest import page_text

NOTE = "Secret: the budget office already said no."
REASON = "Most supported, and ready to start in June."


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def supported_by(idea, users):
    for user in users:
        db.session.add(Support(idea_id=idea.id, user_id=user.id))
    idea.support_count = len(users)
    db.session.commit()


def titles_on(response) -> list[str]:
    """The idea titles of the board's rows, in order."""
    html = response.get_data(as_text=True)
    return re.findall(r'<th scope="row">\s*<a href="/ideas/\d+">([^<]+)</a>', html)


def csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def world(make_question, make_idea, make_user):
    """A question (region Serra) with five ideas: supports 5, 3, 1, 0, 0; two in
    a duplicate group; two in a theme; one idea with an accented, formula title."""
    question = make_question(title="Public health", region="Serra")
    voters = [make_user() for _ in range(5)]
    specs = [
        ("Evening clinics", 5),
        ("Night buses to clinics", 3),
        ("Mobile dentists", 1),
        ('=HYPERLINK("http://evil.example","Saúde já: ação, niño")', 0),
        ("Open data on waiting times", 0),
    ]
    ideas = []
    for title, supports in specs:
        idea = make_idea(
            question=question, title=title, description="", author=make_user()
        )
        supported_by(idea, voters[:supports])
        ideas.append(idea)
    clinics, buses, dentists, formula, data = ideas
    db.session.add(
        DuplicateCandidate(
            question_id=question.id,
            idea_a_id=min(clinics.id, buses.id),
            idea_b_id=max(clinics.id, buses.id),
            similarity=0.9,
        )
    )
    theme = Theme(
        question_id=question.id,
        number=0,
        keywords=["clinics", "evening"],
        size=2,
        model="fake",
    )
    db.session.add(theme)
    db.session.flush()
    for idea in (clinics, dentists):
        db.session.add(IdeaTheme(idea_id=idea.id, theme_id=theme.id))
    dentists.status = "under_review"
    db.session.commit()
    return {
        "question": question,
        "theme": theme,
        "clinics": clinics,
        "buses": buses,
        "dentists": dentists,
        "formula": formula,
        "data": data,
    }


def board_url(world, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/questions/{world['question'].id}/board" + (f"?{query}" if query else "")


def shortlist_url(world, idea, action) -> str:
    return f"/questions/{world['question'].id}/board/shortlist/{idea.id}/{action}"


@pytest.fixture
def official(client, make_user):
    user = make_user(Role.OFFICIAL, name="Olga Official")
    client.login(user)
    return user


# -- the board -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.ADMIN])
def test_the_board_shows_every_listed_idea_with_its_signals(
    client, make_user, world, role
):
    client.login(make_user(role))
    response = client.get(board_url(world))
    assert response.status_code == 200
    assert titles_on(response)[:3] == [
        "Evening clinics",
        "Night buses to clinics",
        "Mobile dentists",
    ]
    text = page_text(response)
    assert "Region: Serra" in text
    assert "5 ideas" in text
    html = response.get_data(as_text=True)
    row = html[html.index(f'id="idea-{world["clinics"].id}"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r"<td>5</td>", row)  # supports
    assert re.search(r"<td>\s*2\b", row)  # duplicate group: itself and the buses
    assert "clinics, evening" in row
    assert "Submitted" in row
    group = f"{world['clinics'].id}-{world['buses'].id}"
    assert f"/respond?group={group}" in row


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_the_board_is_refused_to_others(client, make_user, world, role):
    client.login(make_user(Role(role)))
    assert client.get(board_url(world)).status_code == 403
    assert client.get(board_url(world).replace("board", "board.csv")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in (board_url(world), board_url(world).replace("board", "board.csv")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_a_draft_question_has_no_board(client, make_question, official):
    draft = make_question(status="draft")
    assert client.get(f"/questions/{draft.id}/board").status_code == 404


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"status": "under_review"}, ["Mobile dentists"]),
        ({"min_supports": "3"}, ["Evening clinics", "Night buses to clinics"]),
        ({"q": "CLINICS"}, ["Evening clinics", "Night buses to clinics"]),
        ({"q": "100%25"}, []),  # a literal %, not a wildcard
        (
            {"sort": "newest"},
            [
                "Open data on waiting times",
                '=HYPERLINK("http://evil.example","Saúde já: ação, niño")',
                "Mobile dentists",
                "Night buses to clinics",
                "Evening clinics",
            ],
        ),
    ],
)
def test_filters_and_orders(client, world, official, args, expected):
    assert titles_on(client.get(board_url(world, **args))) == [
        t.replace('"', "&#34;") for t in expected
    ]


def test_the_theme_filter_offers_a_response_to_the_whole_theme(client, world, official):
    response = client.get(board_url(world, theme=world["theme"].id))
    assert titles_on(response) == ["Evening clinics", "Mobile dentists"]
    assert f"/respond?theme={world['theme'].id}" in response.get_data(as_text=True)


def test_the_group_order_puts_large_duplicate_groups_first(client, world, official):
    titles = titles_on(client.get(board_url(world, sort="group")))
    assert titles[:3] == [
        "Evening clinics",
        "Night buses to clinics",
        "Mobile dentists",
    ]


def test_filter_values_that_make_no_sense_are_reported_and_ignored(
    client, world, official
):
    response = client.get(board_url(world, min_supports="lots", theme="999999"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Enter a whole number, 0 or more." in text
    assert "That theme no longer exists" in text
    assert 'value="lots"' in response.get_data(as_text=True)  # what was typed
    assert len(titles_on(response)) == 5


def test_pages_keep_the_filters(app, client, world, official):
    app.config["BOARD_IDEAS_PER_PAGE"] = 1
    first = client.get(board_url(world, min_supports="1"))
    assert titles_on(first) == ["Evening clinics"]
    html = first.get_data(as_text=True)
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    assert "min_supports=1" in next_link
    second = client.get(next_link.replace("&amp;", "&"))
    assert titles_on(second) == ["Night buses to clinics"]


# -- the shortlist and its private notes -----------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.ADMIN])
def test_add_and_remove(client, make_user, world, role):
    client.login(make_user(role))
    idea = world["clinics"]
    back = board_url(world, min_supports="1")
    response = client.submit(shortlist_url(world, idea, "add"), data={"next": back})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(back)
    assert db.session.scalars(select(ShortlistEntry.idea_id)).all() == [idea.id]
    assert titles_on(client.get(board_url(world, shortlisted="y"))) == [idea.title]

    response = client.submit(shortlist_url(world, idea, "remove"))
    assert response.status_code == 302
    assert count(ShortlistEntry) == 0
    assert [a for (a,) in db.session.execute(select(AuditLog.action))] == [
        "shortlist.added",
        "shortlist.removed",
    ]


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_the_shortlist_is_refused_to_others(client, make_user, world, role):
    idea = world["clinics"]
    entry = ShortlistEntry(question_id=idea.question_id, idea_id=idea.id, note=NOTE)
    db.session.add(entry)
    db.session.commit()
    client.login(make_user(Role(role)))
    for action in ("add", "remove", "note"):
        response = client.submit(shortlist_url(world, idea, action), data={"note": ""})
        assert response.status_code == 403, action
    assert client.get(shortlist_url(world, idea, "note")).status_code == 403
    assert db.session.scalar(select(ShortlistEntry.note)) == NOTE


def test_anonymous_visitors_cannot_touch_the_shortlist(client, world):
    response = client.submit(shortlist_url(world, world["clinics"], "add"))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert count(ShortlistEntry) == 0


def test_an_idea_of_another_question_is_not_found(client, make_idea, world, official):
    other = make_idea()
    assert client.submit(shortlist_url(world, other, "add")).status_code == 404
    assert count(ShortlistEntry) == 0


def test_a_note_is_saved_and_a_too_long_one_comes_back_as_typed(
    app, client, world, official
):
    idea = world["clinics"]
    client.submit(shortlist_url(world, idea, "add"))
    response = client.submit(shortlist_url(world, idea, "note"), data={"note": NOTE})
    assert response.status_code == 302
    assert db.session.scalar(select(ShortlistEntry.note)) == NOTE
    assert NOTE in page_text(client.get(board_url(world)))

    app.config["SHORTLIST_NOTE_MAX"] = 10
    response = client.submit(
        shortlist_url(world, idea, "note"),
        data={"note": "A much longer second thought", "next": board_url(world)},
    )
    assert response.status_code == 200
    assert "Use at most 10 characters" in page_text(response)
    html = response.get_data(as_text=True)
    assert "A much longer second thought" in html
    assert f'name="next" value="{board_url(world)}"' in html
    assert db.session.scalar(select(ShortlistEntry.note)) == NOTE


def test_the_note_page_of_an_idea_off_the_shortlist_is_not_found(
    client, world, official
):
    assert client.get(shortlist_url(world, world["clinics"], "note")).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "citizen", "moderator", "official"])
def test_notes_never_show_on_public_pages(client, make_user, world, role):
    idea = world["clinics"]
    db.session.add(
        ShortlistEntry(question_id=idea.question_id, idea_id=idea.id, note=NOTE)
    )
    db.session.commit()
    if role != "anonymous":
        client.login(make_user(Role(role)))
    for url in (
        f"/ideas/{idea.id}",
        f"/questions/{idea.question_id}",
        "/questions/",
        "/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "budget office" not in response.get_data(as_text=True), url


# -- the CSV export --------------------------------------------------------------------


def test_the_csv_has_exactly_the_filtered_rows_of_every_page(
    app, client, world, official
):
    app.config["BOARD_IDEAS_PER_PAGE"] = 1
    client.submit(shortlist_url(world, world["buses"], "add"))
    client.submit(
        shortlist_url(world, world["buses"], "note"),
        data={"note": "=cmd|' /C calc'!A0"},
    )
    response = client.get(
        board_url(world, min_supports="1", sort="newest").replace("board", "board.csv")
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Rank",
        "Idea ID",
        "Title",
        "Author",
        "Proposed on",
        "Supports",
        "Duplicate group size",
        "Theme",
        "Status",
        "Region",
        "On the shortlist",
        "Private note",
        "Link",
    ]
    body = rows[1:]
    assert [r[2] for r in body] == [
        "Mobile dentists",
        "Night buses to clinics",
        "Evening clinics",
    ]
    buses = body[1]
    assert buses[0] == "2"
    assert buses[5] == "3"
    assert buses[6] == "2"
    assert buses[9] == "Serra"
    assert buses[10] == "yes"
    assert buses[11] == "'=cmd|' /C calc'!A0"
    assert buses[12] == f"http://localhost/ideas/{world['buses'].id}"
    assert body[0][8] == "Under review"
    assert body[2][7] == "clinics, evening"


def test_the_csv_neutralises_formulas_and_keeps_accents(client, world, official):
    response = client.get(
        board_url(world, q="Sa%C3%BAde").replace("board", "board.csv")
    )
    rows = csv_rows(response)
    assert len(rows) == 2
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","Saúde já: ação, niño")'
    assert "ç".encode() in response.get_data()
    assert "ñ".encode() in response.get_data()


def test_the_csv_quotes_every_field(client, world, official):
    response = client.get(board_url(world).replace("board", "board.csv"))
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    quoted = re.compile(r'"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*')
    assert len(lines) == 6
    assert [line for line in lines if not quoted.fullmatch(line)] == []


# -- the decision ----------------------------------------------------------------------


def decision_url(world) -> str:
    return f"/questions/{world['question'].id}/board/decision"


@pytest.fixture
def on_shortlist(world, make_user):
    for name in ("clinics", "buses", "dentists"):
        idea = world[name]
        db.session.add(ShortlistEntry(question_id=idea.question_id, idea_id=idea.id))
    db.session.commit()
    return [world["clinics"], world["buses"], world["dentists"]]


def test_the_governors_office_records_the_decision(
    client, make_user, world, on_shortlist
):
    governor = make_user(Role.ADMIN, name="Gabinete do Governador")
    client.login(governor)
    chosen = on_shortlist[:2]
    response = client.submit(
        decision_url(world),
        data={"ideas": [i.id for i in chosen], "reason": REASON, "department": "x"},
    )
    assert response.status_code == 302
    decision = db.session.scalars(select(ShortlistDecision)).one()
    assert decision.decided_by_id == governor.id
    assert decision.reason == REASON
    assert decision.idea_ids == sorted(i.id for i in chosen)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "shortlist.decided")
        )
        == 1
    )
    text = page_text(client.get(board_url(world)))
    assert "by Gabinete do Governador" in text
    assert f"Why: {REASON}" in text

    # Officials see it too, without the form.
    client.submit("/logout")
    client.login(make_user(Role.OFFICIAL))
    html = client.get(board_url(world)).get_data(as_text=True)
    assert REASON in html
    assert "/board/decision" not in html


def test_the_decision_may_select_the_ideas_publicly(
    client, make_user, world, on_shortlist
):
    chosen = on_shortlist[:2]
    for idea in chosen:
        idea.status = "shortlisted"
    db.session.commit()
    client.login(make_user(Role.ADMIN))
    response = client.submit(
        decision_url(world),
        data={
            "ideas": [i.id for i in chosen],
            "reason": REASON,
            "select": "y",
            "body": "Chosen for design with the authors.",
            "department": "Office of the Governor",
        },
    )
    assert response.status_code == 302
    statuses = db.session.scalars(
        select(Idea.status).where(Idea.id.in_([i.id for i in chosen]))
    ).all()
    assert statuses == ["selected", "selected"]
    client.submit("/logout")
    assert "Chosen for design" in page_text(client.get(f"/ideas/{chosen[0].id}"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Say why these ideas were chosen"),
        ({"ideas": []}, "Tick the ideas the decision chooses."),
        ({"select": "y", "body": ""}, "Write the public response the chosen ideas"),
        # Selecting needs shortlisted ideas: these are submitted.
        ({"select": "y"}, "Nothing was changed"),
    ],
)
def test_bad_decisions_come_back_with_everything_typed(
    client, make_user, world, on_shortlist, data, message
):
    client.login(make_user(Role.ADMIN))
    form = {
        "ideas": [on_shortlist[0].id, on_shortlist[2].id],
        "reason": "Because they are ready.",
        "body": "Selected, see you in design.",
        "department": "Casa Civil",
        **data,
    }
    response = client.submit(decision_url(world) + "?min_supports=1", data=form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in page_text(response)
    for key in ("reason", "body", "department"):
        if form[key]:
            assert form[key] in html
    for idea in on_shortlist:
        checked = re.search(
            rf'<input type="checkbox" id="decision-idea-{idea.id}"[^>]*>', html
        ).group(0)
        assert ("checked" in checked) == (idea.id in form["ideas"])
    assert titles_on(response) == [
        "Evening clinics",
        "Night buses to clinics",
        "Mobile dentists",
    ]
    # The row buttons come back to the board, not to the POST-only decision.
    board = board_url(world, min_supports="1")
    assert f'name="next" value="{board}#idea-' in html
    assert not re.search(r'name="next" value="[^"]*/decision[^"]*#idea-', html)
    assert count(ShortlistDecision) == 0


@pytest.mark.parametrize("role", ["citizen", "moderator", "official"])
def test_only_admins_decide(client, make_user, world, on_shortlist, role):
    client.login(make_user(Role(role)))
    response = client.submit(
        decision_url(world), data={"ideas": [on_shortlist[0].id], "reason": REASON}
    )
    assert response.status_code == 403
    assert count(ShortlistDecision) == 0


def test_anonymous_visitors_cannot_decide(client, world, on_shortlist):
    response = client.submit(
        decision_url(world), data={"ideas": [on_shortlist[0].id], "reason": REASON}
    )
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert count(ShortlistDecision) == 0


@pytest.mark.parametrize("sort", ["supports", "newest", "group"])
def test_board_pages_rank_every_idea_once_in_order(app, client, world, make_user, sort):
    """Only a page of rows is loaded; the pages still rank every idea once, as
    the whole list (the CSV) ranks them."""
    question = world["question"]
    app.config["BOARD_IDEAS_PER_PAGE"] = 2
    client.login(make_user(Role.OFFICIAL))
    pages = [
        titles_on(client.get(f"/questions/{question.id}/board?sort={sort}&page={n}"))
        for n in (1, 2, 3, 4)
    ]
    assert [len(page) for page in pages] == [2, 2, 1, 0]
    export = csv_rows(client.get(f"/questions/{question.id}/board.csv?sort={sort}"))
    assert [t.replace("&#34;", '"') for t in sum(pages, [])] == [
        row[2].removeprefix("'") for row in export[1:]
    ]
    ranks = re.findall(
        r'<tr id="idea-\d+">\s*<td>(\d+)</td>',
        client.get(f"/questions/{question.id}/board?sort={sort}&page=2").get_data(
            as_text=True
        ),
    )
    assert ranks == ["3", "4"]
