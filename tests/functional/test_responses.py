"""Officials' responses through the client: one idea, a duplicate group, a theme;
the public timeline."""

import re

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.duplicates.models import DuplicateCandidate
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.notifications.models import Notification
from ideation.responses.models import IdeaResponse
from ideation.shared.roles import Role
from ideation.themes.models import IdeaTheme, Theme
from tests.conftest import page_text
from tests.helpers import create_response

DEPARTMENT = "Department of Health"
TEXT = "We will open **three clinics** in the evening from June."


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def status_of(idea) -> str:
    return db.session.scalar(select(Idea.status).where(Idea.id == idea.id))


def statuses(*ideas) -> list[str]:
    return [status_of(idea) for idea in ideas]


def nothing_written():
    assert count(IdeaResponse) == 0
    assert count(Notification) == 0
    assert count(AuditLog) == 0


def status_options(html: str) -> list[str]:
    select_html = re.search(r'<select[^>]*name="status".*?</select>', html, re.S)
    return re.findall(r'<option[^>]*value="([^"]*)"', select_html.group(0))


def selected_status(html: str) -> str | None:
    found = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"', html) or re.search(
        r'<option[^>]*value="([^"]*)"[^>]*selected', html
    )
    return found.group(1) if found else None


def ticked(html: str) -> set[int]:
    boxes = re.findall(r'<input type="checkbox"[^>]*name="ideas"[^>]*>', html)
    return {
        int(re.search(r'value="(\d+)"', box).group(1))
        for box in boxes
        if "checked" in box
    }


def boxes(html: str) -> set[int]:
    return {
        int(v)
        for v in re.findall(
            r'<input type="checkbox"[^>]*name="ideas" value="(\d+)"', html
        )
    }


@pytest.fixture
def question(make_question):
    return make_question(title="How can we improve access to public health?")


@pytest.fixture
def idea(make_idea, make_user, question):
    return make_idea(
        question=question, title="Evening clinics", author=make_user(name="Ana")
    )


def login_as(client, make_user, role):
    if role == "anonymous":
        return None
    user = make_user(Role(role))
    client.login(user)
    return user


# -- one idea --------------------------------------------------------------------------


def test_officials_see_the_form_with_only_the_allowed_moves(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL))
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'action="/ideas/{idea.id}/respond"' in html
    assert status_options(html) == ["", "update", "under_review", "declined"]
    assert 'value="Office of the Governor"' in html  # the default department


@pytest.mark.parametrize("role", ["anonymous", "citizen", "moderator"])
def test_others_see_no_form(client, make_user, idea, role):
    login_as(client, make_user, role)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "/respond" not in html
    assert "Status and responses" in html
    assert "Officials have not responded yet" in html


@pytest.mark.parametrize("role", ["official", "admin"])
def test_a_response_changes_the_status_and_shows_on_the_timeline(
    client, make_user, idea, role
):
    login_as(client, make_user, role)
    response = client.submit(
        f"/ideas/{idea.id}/respond",
        data={"status": "under_review", "body": TEXT, "department": DEPARTMENT},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}#responses")
    assert status_of(idea) == "under_review"
    assert count(IdeaResponse) == 1
    assert count(Notification) == 1  # the author

    client.submit("/logout")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<strong>three clinics</strong>" in html
    assert f"Signed by {DEPARTMENT}" in page_text(client.get(f"/ideas/{idea.id}"))
    assert "badge-idea-under-review" in html


def test_the_department_is_prefilled_with_the_last_one_used(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL))
    client.submit(
        f"/ideas/{idea.id}/respond",
        data={"status": "under_review", "body": TEXT, "department": "Roads Agency"},
    )
    html = client.get(f"/ideas/{idea.id}/respond").get_data(as_text=True)
    assert 'value="Roads Agency"' in html
    assert status_options(html) == ["", "update", "shortlisted", "declined"]


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_citizens_and_moderators_are_refused(client, make_user, idea, role):
    login_as(client, make_user, role)
    assert client.get(f"/ideas/{idea.id}/respond").status_code == 403
    response = client.submit(
        f"/ideas/{idea.id}/respond",
        data={"status": "declined", "body": TEXT, "department": DEPARTMENT},
    )
    assert response.status_code == 403
    assert status_of(idea) == "submitted"
    nothing_written()


def test_anonymous_visitors_are_sent_to_log_in(client, idea):
    response = client.get(f"/ideas/{idea.id}/respond")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    response = client.submit(
        f"/ideas/{idea.id}/respond",
        data={"status": "declined", "body": TEXT, "department": DEPARTMENT},
    )
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert status_of(idea) == "submitted"
    nothing_written()


def test_declining_without_a_reason_keeps_what_was_typed(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL))
    response = client.submit(
        f"/ideas/{idea.id}/respond",
        data={"status": "declined", "body": "   ", "department": "Roads Agency"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Give the public reason for declining" in html
    assert 'value="Roads Agency"' in html
    assert selected_status(html) == "declined"
    assert status_of(idea) == "submitted"
    nothing_written()


def test_a_move_the_idea_cannot_make_is_refused_with_the_text_kept(
    client, make_user, idea
):
    client.login(make_user(Role.OFFICIAL))
    response = client.submit(
        f"/ideas/{idea.id}/respond",
        data={"status": "selected", "body": TEXT, "department": DEPARTMENT},
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Nothing was changed" in text
    assert "“Evening clinics” is Submitted" in text
    assert "We will open **three clinics**" in response.get_data(as_text=True)
    assert status_of(idea) == "submitted"
    nothing_written()


def test_a_missing_department_is_refused(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL))
    response = client.submit(
        f"/ideas/{idea.id}/respond",
        data={"status": "under_review", "body": TEXT, "department": ""},
    )
    assert response.status_code == 200
    assert "Say which department signs the response" in page_text(response)
    assert "We will open **three clinics**" in response.get_data(as_text=True)
    nothing_written()


def test_a_script_in_a_response_never_reaches_the_page_as_a_tag(
    client, make_user, idea
):
    client.login(make_user(Role.OFFICIAL))
    client.submit(
        f"/ideas/{idea.id}/respond",
        data={
            "status": "declined",
            "body": 'Not now.<script>alert("x")</script>\n\n'
            "<img src=x onerror=alert(1)>\n\n[link](javascript:alert(2))",
            "department": "<b>Health</b>",
        },
    )
    assert status_of(idea) == "declined"
    client.submit("/logout")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<b>Health</b>" not in html
    assert "&lt;b&gt;Health&lt;/b&gt;" in html  # plain text, escaped
    assert "Not now." in html


def test_the_timeline_lists_every_response_in_order(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL))
    for status, body in (
        ("under_review", "First we read it."),
        ("shortlisted", "Then we shortlisted it."),
    ):
        client.submit(
            f"/ideas/{idea.id}/respond",
            data={"status": status, "body": body, "department": DEPARTMENT},
        )
    client.submit("/logout")
    text = page_text(client.get(f"/ideas/{idea.id}"))
    assert text.index("The idea was proposed.") < text.index("First we read it.")
    assert text.index("First we read it.") < text.index("Then we shortlisted it.")
    assert "Current status: Shortlisted" in text


# -- a duplicate group -----------------------------------------------------------------


@pytest.fixture
def group(make_idea, make_user, question):
    """Three ideas connected by suggested pairs, one idea alone."""
    ideas = [
        make_idea(question=question, title=title, author=make_user())
        for title in ("Night buses", "Buses at night", "Late buses", "Open data")
    ]
    a, b, c, _alone = ideas
    for x, y in ((a, b), (b, c)):
        db.session.add(
            DuplicateCandidate(
                question_id=question.id,
                idea_a_id=min(x.id, y.id),
                idea_b_id=max(x.id, y.id),
                similarity=0.93,
            )
        )
    db.session.commit()
    return ideas


def id_of(idea) -> int:
    return idea.id


def group_url(question, ideas) -> str:
    key = "-".join(str(i.id) for i in ideas)
    return f"/questions/{question.id}/respond?group={key}"


def test_the_group_page_lists_the_group_all_ticked(client, make_user, question, group):
    a, b, c, alone = group
    client.login(make_user(Role.OFFICIAL))
    # A key from the inbox with only some of the ideas still finds the whole group.
    html = client.get(group_url(question, [a, b])).get_data(as_text=True)
    assert boxes(html) == {a.id, b.id, c.id}
    assert ticked(html) == {a.id, b.id, c.id}
    assert alone.title not in html


def test_a_group_response_applies_to_every_ticked_idea(
    client, make_user, question, group
):
    a, b, c, alone = group
    official = make_user(Role.OFFICIAL)
    client.login(official)
    data = {
        "ideas": [a.id, c.id],
        "status": "under_review",
        "body": TEXT,
        "department": DEPARTMENT,
    }
    # First the page lists exactly the ideas the response will reach, writing nothing.
    response = client.submit(group_url(question, [a, b, c]), data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    listed = html.split('class="confirm-reach-list">')[1].split("</ul>")[0]
    assert a.title in listed and c.title in listed and b.title not in listed
    assert f'name="confirmed" value="{a.id}-{c.id}"' in html
    nothing_written()
    # Confirming another set than the one shown asks again.
    changed = {**data, "ideas": [a.id, b.id, c.id], "confirmed": f"{a.id}-{c.id}"}
    response = client.submit(group_url(question, [a, b, c]), data=changed)
    assert response.status_code == 200
    nothing_written()
    response = client.submit(
        group_url(question, [a, b, c]), data={**data, "confirmed": f"{a.id}-{c.id}"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/questions/{question.id}/board")
    assert statuses(a, b, c, alone) == [
        "under_review",
        "submitted",
        "under_review",
        "submitted",
    ]
    rows = db.session.scalars(select(IdeaResponse).order_by(IdeaResponse.idea_id))
    rows = rows.all()
    assert [r.idea_id for r in rows] == [a.id, c.id]
    assert rows[0].group_key and rows[0].group_key == rows[1].group_key
    assert count(Notification) == 2  # each author
    text = page_text(client.get(f"/ideas/{a.id}"))
    assert "The same response answered 1 similar idea." in text


def test_a_group_response_with_bad_input_keeps_everything(
    client, make_user, question, group
):
    a, b, c, _alone = group
    client.login(make_user(Role.OFFICIAL))
    response = client.submit(
        group_url(question, [a, b, c]),
        data={
            "ideas": [a.id, b.id],
            "status": "declined",
            "body": "",
            "department": "Roads Agency",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Give the public reason for declining" in html
    assert ticked(html) == {a.id, b.id}
    assert boxes(html) == {a.id, b.id, c.id}
    assert 'value="Roads Agency"' in html
    assert selected_status(html) == "declined"
    assert statuses(a, b, c) == ["submitted"] * 3
    nothing_written()


def test_a_group_response_with_nothing_ticked_says_so(
    client, make_user, question, group
):
    a, b, c, _alone = group
    client.login(make_user(Role.OFFICIAL))
    response = client.submit(
        group_url(question, [a, b, c]),
        data={"status": "under_review", "body": TEXT, "department": DEPARTMENT},
    )
    assert response.status_code == 200
    assert "Tick at least one idea to respond to." in page_text(response)
    assert ticked(response.get_data(as_text=True)) == set()
    assert "We will open **three clinics**" in response.get_data(as_text=True)
    nothing_written()


def test_one_idea_that_cannot_move_stops_the_whole_group(
    client, make_user, question, group
):
    a, b, c, _alone = group
    a.status = "under_review"
    db.session.commit()
    client.login(make_user(Role.OFFICIAL))
    response = client.submit(
        group_url(question, [a, b, c]),
        data={
            "ideas": [a.id, b.id, c.id],
            "status": "shortlisted",
            "body": TEXT,
            "department": DEPARTMENT,
            "confirmed": "-".join(str(i.id) for i in sorted((a, b, c), key=id_of)),
        },
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Nothing was changed" in text
    assert "“Buses at night” is Submitted" in text
    assert "“Late buses” is Submitted" in text
    assert ticked(response.get_data(as_text=True)) == {a.id, b.id, c.id}
    assert statuses(a, b, c) == ["under_review", "submitted", "submitted"]
    nothing_written()


def test_a_stale_group_shows_no_form(client, make_user, question, group):
    *_, alone = group
    client.login(make_user(Role.OFFICIAL))
    response = client.get(group_url(question, [alone]))
    assert response.status_code == 200
    assert "No listed idea is left here" in page_text(response)
    assert boxes(response.get_data(as_text=True)) == set()


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_the_group_page_is_for_officials(client, make_user, question, group, role):
    login_as(client, make_user, role)
    url = group_url(question, group[:3])
    assert client.get(url).status_code == 403
    response = client.submit(
        url,
        data={
            "ideas": [i.id for i in group[:3]],
            "status": "declined",
            "body": TEXT,
            "department": DEPARTMENT,
        },
    )
    assert response.status_code == 403
    nothing_written()


def test_the_group_page_sends_anonymous_visitors_to_log_in(client, question, group):
    response = client.get(group_url(question, group[:3]))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# -- a theme ---------------------------------------------------------------------------


@pytest.fixture
def theme(make_idea, make_user, question):
    theme = Theme(
        question_id=question.id,
        number=0,
        keywords=["clinics", "evening"],
        size=3,
        model="fake",
    )
    db.session.add(theme)
    db.session.flush()
    ideas = [
        make_idea(question=question, title=title, author=make_user())
        for title in ("Clinics at night", "Evening doctors")
    ]
    gone = make_idea(question=question, title="Withdrawn clinic", status="withdrawn")
    for idea in (*ideas, gone):
        db.session.add(IdeaTheme(idea_id=idea.id, theme_id=theme.id))
    db.session.commit()
    return theme, ideas, gone


def test_a_theme_response_covers_its_listed_ideas(client, make_user, question, theme):
    theme, ideas, gone = theme
    client.login(make_user(Role.OFFICIAL))
    url = f"/questions/{question.id}/respond?theme={theme.id}"
    html = client.get(url).get_data(as_text=True)
    assert "clinics, evening" in html
    assert ticked(html) == {i.id for i in ideas}
    assert gone.title not in html

    response = client.submit(
        url,
        data={
            "ideas": [i.id for i in ideas],
            "status": "declined",
            "body": "The state cannot fund this now.",
            "department": DEPARTMENT,
            "confirmed": "-".join(str(i) for i in sorted(i.id for i in ideas)),
        },
    )
    assert response.status_code == 302
    assert f"theme={theme.id}" in response.headers["Location"]
    assert statuses(*ideas, gone) == ["declined", "declined", "withdrawn"]


def test_an_idea_outside_the_scope_is_never_answered(
    client, make_user, make_idea, question, theme
):
    theme, ideas, _gone = theme
    outsider = make_idea(question=question, title="Not in the theme")
    client.login(make_user(Role.OFFICIAL))
    client.submit(
        f"/questions/{question.id}/respond?theme={theme.id}",
        data={
            "ideas": [ideas[0].id, outsider.id],
            "status": "under_review",
            "body": TEXT,
            "department": DEPARTMENT,
            "confirmed": str(ideas[0].id),  # the outsider is not even listed
        },
    )
    assert statuses(ideas[0], ideas[1], outsider) == [
        "under_review",
        "submitted",
        "submitted",
    ]


def test_a_theme_of_another_question_or_no_scope_is_not_found(
    client, make_user, make_question, question, theme
):
    theme, _ideas, _gone = theme
    client.login(make_user(Role.OFFICIAL))
    other = make_question()
    assert client.get(
        f"/questions/{other.id}/respond?theme={theme.id}"
    ).status_code == (404)
    assert client.get(f"/questions/{question.id}/respond").status_code == 404
    assert client.get(f"/questions/{question.id}/respond?theme=x").status_code == 404


# -- updates and corrections -----------------------------------------------------------


def test_an_update_keeps_the_status_and_shows_as_an_update(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL))
    response = client.submit(
        f"/ideas/{idea.id}/respond",
        data={
            "status": "update",
            "body": "We met the clinics.",
            "department": DEPARTMENT,
        },
    )
    assert response.status_code == 302
    assert status_of(idea) == "submitted"
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "badge-update" in html and "We met the clinics." in html


def test_an_official_corrects_a_response_and_the_old_wording_stays(
    client, make_user, idea
):
    official = make_user(Role.OFFICIAL)
    client.login(official)
    client.submit(
        f"/ideas/{idea.id}/respond",
        data={
            "status": "under_review",
            "body": "Three clinics.",
            "department": DEPARTMENT,
        },
    )
    published = db.session.scalars(select(IdeaResponse)).one()
    form = client.get(f"/responses/{published.id}/correct").get_data(as_text=True)
    assert "Three clinics." in form  # prefilled with the published wording

    response = client.submit(
        f"/responses/{published.id}/correct",
        data={"body": "Four clinics.", "department": DEPARTMENT},
    )

    assert response.status_code == 302
    client.submit("/logout")
    text = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Four clinics." in text
    assert "Corrected on" in text and "Three clinics." in text  # the history
    assert "Correct this response" not in text  # officials only


def test_a_bad_correction_keeps_what_was_typed(client, make_user, idea):
    client.login(make_user(Role.OFFICIAL))
    client.submit(
        f"/ideas/{idea.id}/respond",
        data={
            "status": "under_review",
            "body": "Three clinics.",
            "department": DEPARTMENT,
        },
    )
    published = db.session.scalars(select(IdeaResponse)).one()
    response = client.submit(
        f"/responses/{published.id}/correct",
        data={"body": "Four clinics, at last.", "department": ""},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Four clinics, at last." in html
    assert "Say which department signs the response" in html
    db.session.refresh(published)
    assert published.body == "Three clinics." and published.edited_at is None


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_below_officials_cannot_correct(client, make_user, idea, role):
    published = create_response(make_user, idea)
    login_as(client, make_user, role)
    response = client.submit(
        f"/responses/{published.id}/correct",
        data={"body": "Hacked", "department": DEPARTMENT},
    )
    assert response.status_code == 403
    db.session.refresh(published)
    assert published.body != "Hacked"
