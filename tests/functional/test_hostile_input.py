"""Input nobody types by accident: huge ids and page numbers, NUL bytes and other
control characters, extreme dates. Each gets an answer, never a 500."""

import pytest
from werkzeug.routing import IntegerConverter

from ideation.shared.roles import Role

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
