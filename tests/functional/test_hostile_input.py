"""Input nobody types by accident: huge ids and page numbers, NUL bytes and other
control characters, extreme dates. Each gets an answer, never a 500."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.jobs import queue as jobs
from ideation.notifications.email import queue_email
from ideation.shared.roles import Role
from tests.conftest import PASSWORD, page_text

# Past what a 32-bit (PostgreSQL INTEGER) and a 64-bit (SQLite) column hold.
HUGE = [2**31, 2**63, 10**30]
NUMERIC_ARGS = ("page", "theme", "min_supports", "exclude", "question", "idea")


def _urls(app, number: int, methods: set[str]) -> list[tuple[str, str]]:
    """(endpoint, url) of every route with an int argument, each set to `number`."""
    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        ints = [
            name
            for name, converter in rule._converters.items()
            if isinstance(converter, IntegerConverter)
        ]
        if not ints or not (rule.methods & methods):
            continue
        values = dict.fromkeys(ints, number)
        if "target_type" in rule.arguments:
            values["target_type"] = "idea"
        urls.append((rule.endpoint, adapter.build(rule.endpoint, values)))
    return urls


@pytest.mark.parametrize("number", HUGE)
def test_huge_ids_in_paths_are_not_found(app, client, make_user, number):
    client.login(make_user(Role.ADMIN))
    answers = {}
    for endpoint, url in _urls(app, number, {"GET"}):
        answers[endpoint] = client.get(url).status_code
    for endpoint, url in _urls(app, number, {"POST"}):
        answers[endpoint + " (POST)"] = client.submit(url).status_code
    assert len(answers) > 30
    assert {endpoint: s for endpoint, s in answers.items() if s != 404} == {}


def _listing_urls(app) -> list[str]:
    """Every GET page without path arguments but static's."""
    return [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    ]


@pytest.mark.parametrize("number", HUGE + [-(2**63), 0])
def test_huge_page_numbers_and_numeric_filters(
    app, client, make_user, make_question, make_idea, number
):
    question = make_question()
    idea = make_idea(question=question)
    client.login(make_user(Role.ADMIN))
    query = "&".join(f"{name}={number}" for name in NUMERIC_ARGS)
    urls = _listing_urls(app) + [
        f"/questions/{question.id}",
        f"/questions/{question.id}/board",
        f"/questions/{question.id}/board.csv",
        f"/questions/{question.id}/duplicates",
        f"/questions/{question.id}/themes",
        f"/questions/{question.id}/similar",
        f"/questions/{question.id}/duplicates/merge?target={idea.id}&ideas={number}",
        f"/questions/{question.id}/respond?group={number}",
    ]
    answers = {
        url: client.get(f"{url}{'&' if '?' in url else '?'}{query}") for url in urls
    }
    assert {u: r.status_code for u, r in answers.items() if r.status_code >= 500} == {}
    assert answers[f"/questions/{question.id}"].status_code == 200


# -- characters nobody types -------------------------------------------------------


def test_a_nul_byte_in_the_login_form_is_refused_on_the_form(client, make_user):
    make_user(email="ana@example.org")
    response = client.submit(
        "/login", data={"email": "ana@example.org\x00", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "U+0000" in page_text(response)
    assert 'value="ana@example.org' in response.get_data(as_text=True)


def test_a_nul_byte_in_registration_is_refused_and_nothing_is_lost(client):
    data = {
        "display_name": "Ana\x00Silva",
        "email": "ana@example.org",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    response = client.submit("/register", data=data)
    assert response.status_code == 200
    assert "U+0000 at character 4" in page_text(response)
    assert 'value="ana@example.org"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize(
    "title, message",
    [
        ("Clinics\x00open late", "U+0000"),
        ("Clinics\u2028open late", "U+2028"),
        ("Clinics\x85open late", "U+0085"),
        ("Clinics\x0bopen late", "U+000B"),
        ("\u200b\u200b\u200b", "only spaces or invisible characters"),
        ("\u3164", "only spaces or invisible characters"),
    ],
)
def test_idea_titles_take_one_visible_line(
    client, make_user, make_question, title, message
):
    question = make_question()
    client.login(make_user())
    description = "Keep them open\nuntil ten."
    response = client.submit(
        f"/questions/{question.id}/ideas/new",
        data={"title": title, "description": description},
    )
    assert response.status_code == 200
    assert message in page_text(response)
    assert "Keep them open\nuntil ten." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_descriptions_keep_line_breaks_but_no_nul(client, make_user, make_question):
    question = make_question()
    client.login(make_user())
    url = f"/questions/{question.id}/ideas/new"
    refused = client.submit(
        url, data={"title": "Clinics open late", "description": "a\x00b"}
    )
    assert refused.status_code == 200
    assert "U+0000" in page_text(refused)
    data = {"title": "Clinics open late", "description": "One\r\nTwo\tthree"}
    data["confirmed_different"] = "1"
    assert client.submit(url, data=data).status_code == 302
    assert db.session.scalar(select(Idea.description)) == "One\r\nTwo\tthree"


def test_a_nul_byte_in_the_governor_question_is_refused(client, make_user):
    client.login(make_user())
    response = client.submit(
        "/governor/ask", data={"title": "Why\x00?", "body": "Because."}
    )
    assert response.status_code == 200
    assert "U+0000" in page_text(response)


@pytest.mark.parametrize(
    "role, url",
    [
        (Role.MODERATOR, "/moderation?q=ana%00"),
        (Role.ADMIN, "/admin/users?q=ana%00"),
        (Role.ADMIN, "/admin/audit?actor=ana%00&text=%00"),
    ],
)
def test_a_nul_byte_in_a_search_box_searches_without_it(client, make_user, role, url):
    make_user(name="Ana Silva", email="ana@example.org")
    client.login(make_user(role))
    response = client.get(url)
    assert response.status_code == 200


def test_a_nul_byte_in_the_board_search_is_reported_on_its_field(
    client, make_user, make_question, make_idea
):
    question = make_question()
    make_idea(question=question, title="Evening clinics")
    client.login(make_user(Role.OFFICIAL))
    response = client.get(f"/questions/{question.id}/board?q=clinics%00")
    assert response.status_code == 200
    assert "U+0000" in page_text(response)
    assert "Evening clinics" in page_text(response)  # the search is left out


def test_a_value_the_database_refuses_is_a_bad_request(app, client):
    def broken():
        raise DataError("SELECT 1", {}, ValueError("NUL"))

    app.add_url_rule("/broken", "broken", broken)
    response = client.get("/broken")
    assert response.status_code == 400
    assert "Bad request" in page_text(response)


def test_a_line_separator_in_an_old_title_leaves_the_session_title_on_one_line(
    client, make_user, make_idea
):
    # Stored before titles were checked.
    idea = make_idea(title="Evening\u2028clinics\x85for all")
    client.login(make_user(Role.OFFICIAL))
    html = client.get(f"/sessions/new?idea={idea.id}").get_data(as_text=True)
    assert 'value="Design session: Evening clinics for all"' in html


def test_e_mail_subjects_are_one_line(app, make_user, smtp_server):
    user = make_user()
    queue_email(
        user,
        "test",
        "Invitation to “Evening\u2028clinics\r\nBcc: x@example.org”",
        "password_reset",
        link="http://x",
        forgot_url="http://x",
        max_age=timedelta(hours=1),
        format_timedelta=str,
    )
    db.session.commit()
    jobs.run_pending()
    [message] = smtp_server.messages
    assert message["Subject"] == ("Invitation to “Evening clinics Bcc: x@example.org”")
    assert message["Bcc"] is None


# -- extreme dates -----------------------------------------------------------------


@pytest.mark.parametrize("zone", ["UTC", "America/Sao_Paulo", "Asia/Tokyo"])
@pytest.mark.parametrize(
    "query",
    [
        "date_to=9999-12-31",
        "date_from=9999-12-31",
        "date_from=0001-01-01",
        "date_from=0001-01-01&date_to=9999-12-31",
    ],
)
def test_extreme_dates_in_the_audit_filter(app, client, make_user, zone, query):
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    client.login(make_user(Role.ADMIN))
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    assert "Enter a date between" in page_text(response)


@pytest.mark.parametrize("zone", ["America/Sao_Paulo", "Asia/Tokyo"])
@pytest.mark.parametrize(
    "opens, closes",
    [
        ("", "9999-12-31T23:59"),
        ("0001-01-01T00:00", ""),
        ("0001-01-01T00:00", "0001-01-02T00:00"),
    ],
)
def test_extreme_dates_of_a_question(app, client, make_user, zone, opens, closes):
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    client.login(make_user(Role.OFFICIAL))
    data = {"title": "Health?", "context": "", "region": "", "opens_at": opens}
    response = client.submit("/questions/new", data={**data, "closes_at": closes})
    assert response.status_code == 200
    assert "Enter a date between" in page_text(response)


@pytest.mark.parametrize("zone", ["America/Sao_Paulo", "Asia/Tokyo"])
def test_extreme_dates_of_a_design_session(app, client, make_user, make_idea, zone):
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    idea = make_idea()
    client.login(make_user(Role.OFFICIAL))
    data = {
        "ideas": [idea.id],
        "title": "Designing evening clinics",
        "starts_at": "9999-12-31T22:00",
        "ends_at": "9999-12-31T23:59",
        "capacity": "12",
    }
    response = client.submit(f"/sessions/new?idea={idea.id}", data=data)
    assert response.status_code == 200
    assert "Enter a date between" in page_text(response)


def test_extreme_target_date_of_a_measure(app, client, make_user):
    from tests.helpers import create_governor_question

    question = create_governor_question(make_user)
    client.login(make_user(Role.OFFICIAL))
    data = {
        "body": "We will.",
        "department": "Health",
        "measure_title": "More clinics",
        "measure_description": "Ten of them.",
        "measure_target_date": "9999-12-31",
    }
    response = client.submit(f"/governor/questions/{question.id}/answer", data=data)
    assert response.status_code == 200
    assert "Enter a date between" in page_text(response)
