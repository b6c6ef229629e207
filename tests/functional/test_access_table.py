"""Every route × every role: the status each must get.

The table is checked against the app's url_map, so a new route without an entry
fails the suite until someone decides who may use it.
"""

import pytest

from ideation.extensions import db
from ideation.proposals.models import Phase
from ideation.questions.models import QuestionStatus
from ideation.shared.roles import Role
from ideation.voting.models import VotePair
from tests.helpers import (
    create_governor_question,
    create_measure,
    create_proposals,
    create_response,
    start_cycle,
)

ROLES = ("anonymous", "citizen", "moderator", "official", "admin")
LOGIN = 302  # anonymous users are sent to the login page


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=LOGIN):
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], status)}


def at_least(role: str, status=200):
    """`status` for `role` and the roles above it, 403 below, login for anonymous."""
    rank = ROLES.index(role)
    return {
        name: (LOGIN if name == "anonymous" else status if i >= rank else 403)
        for i, name in enumerate(ROLES)
    }


def anonymous_only():
    return {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}


# endpoint: (method, url with {placeholders} from the world fixture, statuses)
TABLE = {
    "static": ("GET", "/static/style.css", everyone(200)),
    "main.index": ("GET", "/", everyone(200)),
    "main.about": ("GET", "/about", everyone(200)),
    "main.set_language": ("POST", "/language", everyone(302)),
    "auth.register": ("GET", "/register", anonymous_only()),
    "auth.login": ("GET", "/login", anonymous_only()),
    "auth.logout": ("POST", "/logout", everyone(302)),
    "auth.account": ("GET", "/account", signed_in(200)),
    "auth.password": ("POST", "/account/password", signed_in(200)),
    # Without a choice the account page comes back with the form's error.
    "auth.email_notifications": (
        "POST",
        "/account/email-notifications",
        signed_in(200),
    ),
    # A broken link: to the page that sends a new one (login first when anonymous).
    "auth.confirm_email": ("GET", "/confirm/not-a-token", everyone(302)),
    "auth.resend_confirmation": ("GET", "/confirm/resend", signed_in(200)),
    "auth.forgot_password": ("GET", "/password/forgot", anonymous_only()),
    # A broken link: back to the page that asks for a new one.
    "auth.reset_password": ("GET", "/password/reset/not-a-token", everyone(302)),
    "privacy.privacy": ("GET", "/privacy", everyone(200)),
    "privacy.terms": ("GET", "/terms", everyone(200)),
    "privacy.data_rights": ("GET", "/account/data", signed_in(200)),
    # Without an address and password the page comes back with the form's errors.
    "privacy.email_change": ("POST", "/account/email", signed_in(200)),
    # A broken link: to the data page (the login page when anonymous).
    "privacy.confirm_email_change": (
        "GET",
        "/account/email/not-a-token",
        everyone(302),
    ),
    "privacy.export": ("POST", "/account/export", signed_in(200)),
    # Without the password and the tick the page comes back with its errors.
    "privacy.delete": ("POST", "/account/delete", signed_in(200)),
    "admin.users": ("GET", "/admin/users", at_least("admin")),
    # Without a role and reason the form comes back with its errors.
    "admin.change_role": ("POST", "/admin/users/{user}/role", at_least("admin")),
    "jobs.index": ("GET", "/admin/jobs", at_least("admin")),
    # No such job: an admin gets 404.
    "jobs.retry": ("POST", "/admin/jobs/999999/retry", at_least("admin", 404)),
    "questions.index": ("GET", "/questions/", everyone(200)),
    "ideas.question": ("GET", "/questions/{question}", everyone(200)),
    "questions.manage": ("GET", "/questions/manage", at_least("official")),
    "questions.new": ("GET", "/questions/new", at_least("official")),
    "questions.edit": ("GET", "/questions/{draft}/edit", at_least("official")),
    "questions.preview": ("GET", "/questions/{draft}/preview", at_least("official")),
    "questions.publish": (
        "POST",
        "/questions/{draft}/publish",
        at_least("official", 302),
    ),
    "questions.close": (
        "POST",
        "/questions/{question}/close",
        at_least("official", 302),
    ),
    "ideas.new": ("GET", "/questions/{question}/ideas/new", signed_in(200)),
    "ideas.show": ("GET", "/ideas/{idea}", everyone(200)),
    # Only an idea's author may edit or withdraw it; the world's idea is someone else's.
    "ideas.edit": ("GET", "/ideas/{idea}/edit", signed_in(403)),
    "ideas.withdraw": ("POST", "/ideas/{idea}/withdraw", signed_in(403)),
    "ideas.support": ("POST", "/ideas/{idea}/support", signed_in(302)),
    "ideas.unsupport": ("POST", "/ideas/{idea}/unsupport", signed_in(302)),
    # Visitors may browse similar ideas too (rate-limited: each runs the model).
    "similar.ideas": (
        "GET",
        "/questions/{question}/similar?text=evening+clinics",
        everyone(200),
    ),
    "themes.overview": ("GET", "/questions/{question}/themes", at_least("official")),
    "duplicates.index": ("GET", "/duplicates/", at_least("moderator")),
    "duplicates.inbox": (
        "GET",
        "/questions/{question}/duplicates",
        at_least("moderator"),
    ),
    # A target without ideas to merge into it: back to the inbox with a message.
    "duplicates.merge": (
        "GET",
        "/questions/{question}/duplicates/merge?target={idea}",
        at_least("moderator", 302),
    ),
    # Without the pair: back to the inbox with a message.
    "duplicates.dismiss": (
        "POST",
        "/questions/{question}/duplicates/dismiss",
        at_least("moderator", 302),
    ),
    # Admins only; the world has no merge, so an admin gets 404.
    "duplicates.undo": ("GET", "/merges/999999/undo", at_least("admin", 404)),
    "notifications.index": ("GET", "/notifications/", signed_in(200)),
    # Nobody's notification (someone else's is 404 too: see test_notifications).
    "notifications.read": ("POST", "/notifications/999999/read", signed_in(404)),
    "notifications.read_all": ("POST", "/notifications/read-all", signed_in(302)),
    # A broken link: to the home page with a message (the token is the credential).
    "notifications.unsubscribe_page": (
        "GET",
        "/notifications/unsubscribe/not-a-token",
        everyone(302),
    ),
    "notifications.unsubscribe_now": (
        "POST",
        "/notifications/unsubscribe/not-a-token",
        everyone(302),
    ),
    "governor.index": ("GET", "/governor", everyone(200)),
    "governor.questions": ("GET", "/governor/questions", everyone(200)),
    "governor.show": ("GET", "/governor/questions/{governor_question}", everyone(200)),
    "governor.ask": ("GET", "/governor/ask", signed_in(200)),
    # The world's question is someone else's and open: support and back.
    "governor.support": (
        "POST",
        "/governor/questions/{governor_question}/support",
        signed_in(302),
    ),
    "governor.unsupport": (
        "POST",
        "/governor/questions/{governor_question}/unsupport",
        signed_in(302),
    ),
    "governor.manage": ("GET", "/governor/manage", at_least("official")),
    "governor.closed": ("GET", "/governor/closed", everyone(200)),
    "governor.close": (
        "GET",
        "/governor/questions/{governor_question}/close",
        at_least("official"),
    ),
    "governor.answer": (
        "GET",
        "/governor/questions/{governor_question}/answer",
        at_least("official"),
    ),
    "moderation.flag": ("GET", "/flag/idea/{idea}", signed_in(200)),
    "moderation.queue": ("GET", "/moderation", at_least("moderator")),
    "moderation.hide_now": (
        "GET",
        "/moderation/idea/{idea}/hide-now",
        at_least("moderator"),
    ),
    # Without a reason the queue comes back with the form's errors.
    "moderation.hide": ("POST", "/moderation/idea/{idea}/hide", at_least("moderator")),
    "moderation.restore": (
        "POST",
        "/moderation/idea/{idea}/restore",
        at_least("moderator"),
    ),
    # The world's idea has no reports: the queue comes back with a message.
    "moderation.dismiss": (
        "POST",
        "/moderation/idea/{idea}/dismiss",
        at_least("moderator"),
    ),
    "moderation.block": (
        "POST",
        "/moderation/users/{user}/block",
        at_least("moderator"),
    ),
    "moderation.unblock": (
        "POST",
        "/moderation/users/{user}/unblock",
        at_least("moderator"),
    ),
    "audit.index": ("GET", "/admin/audit", at_least("admin")),
    "audit.export": ("GET", "/admin/audit/export.csv", at_least("admin")),
    "measures.index": ("GET", "/measures", everyone(200)),
    "measures.show": ("GET", "/measures/{measure}", everyone(200)),
    # The world's idea is not selected: officials go back to it with a message
    # (the form itself, per role, is in test_measure_accountability).
    "measures.new": ("GET", "/measures/new?idea={idea}", at_least("official", 302)),
    # Without a note the page comes back with the form's errors.
    "measures.add_update": (
        "POST",
        "/measures/{measure}/updates",
        at_least("official"),
    ),
    "responses.respond": ("GET", "/ideas/{idea}/respond", at_least("official")),
    "responses.correct": ("GET", "/responses/{response}/correct", at_least("official")),
    # The world's idea is in no duplicate group: the page says no idea is left.
    "responses.respond_group": (
        "GET",
        "/questions/{question}/respond?group={idea}",
        at_least("official"),
    ),
    "impact.dashboard": ("GET", "/impact/", everyone(200)),
    "impact.chart_csv": ("GET", "/impact/participation.csv", everyone(200)),
    "impact.official": ("GET", "/impact/official", at_least("official")),
    "impact.official_chart_csv": (
        "GET",
        "/impact/official/hidden.csv",
        at_least("official"),
    ),
    "impact.ledger_page": ("GET", "/questions/{question}/answers", everyone(200)),
    "impact.summary": ("GET", "/answers", everyone(200)),
    "shortlist.board": ("GET", "/questions/{question}/board", at_least("official")),
    "shortlist.board_csv": (
        "GET",
        "/questions/{question}/board.csv",
        at_least("official"),
    ),
    "shortlist.add": (
        "POST",
        "/questions/{question}/board/shortlist/{idea}/add",
        at_least("official", 302),
    ),
    # Not on the shortlist: back to the board with a message.
    "shortlist.remove": (
        "POST",
        "/questions/{question}/board/shortlist/{idea}/remove",
        at_least("official", 302),
    ),
    # The world's idea is not on the shortlist, so it has no note: 404.
    "shortlist.note": (
        "GET",
        "/questions/{question}/board/shortlist/{idea}/note",
        at_least("official", 404),
    ),
    # Admins only; without ideas and a reason the board comes back with errors.
    "shortlist.decide": (
        "POST",
        "/questions/{question}/board/decision",
        at_least("admin"),
    ),
    # Without a comment the idea's page comes back with the form's error.
    "comments.post": ("POST", "/ideas/{idea}/comments", signed_in(200)),
    "comments.show": ("GET", "/comments/999999", everyone(404)),
    # No such theme: an official gets 404.
    "themes.rename": (
        "POST",
        "/questions/{question}/themes/999999/rename",
        at_least("official", 404),
    ),
    "search.everywhere": ("GET", "/search?q=idea", everyone(200)),
    "search.in_question": (
        "GET",
        "/questions/{question}/search?q=idea",
        everyone(200),
    ),
    # Open data: public, read-only, the same for every role.
    **{
        f"opendata.{name}_list": ("GET", f"/api/v1/{path}", everyone(200))
        for name, path in (
            ("questions", "questions"),
            ("ideas", "ideas"),
            ("responses", "responses"),
            ("measures", "measures"),
            ("governor_questions", "governor-questions"),
        )
    },
    "opendata.questions_item": ("GET", "/api/v1/questions/{question}", everyone(200)),
    "opendata.ideas_item": ("GET", "/api/v1/ideas/{idea}", everyone(200)),
    "opendata.responses_item": ("GET", "/api/v1/responses/999999", everyone(404)),
    "opendata.measures_item": ("GET", "/api/v1/measures/{measure}", everyone(200)),
    "opendata.governor_questions_item": (
        "GET",
        "/api/v1/governor-questions/{governor_question}",
        everyone(200),
    ),
    "opendata.question_ideas_csv": (
        "GET",
        "/api/v1/questions/{question}/ideas.csv",
        everyone(200),
    ),
    # A draft question is not public data.
    "opendata.openapi_document": ("GET", "/api/v1/openapi.json", everyone(200)),
    # Design sessions (the world has none: per-role checks on real sessions are in
    # test_sessions).
    "sessions.manage": ("GET", "/sessions/manage", at_least("official")),
    "sessions.new": ("GET", "/sessions/new", at_least("official")),
    "sessions.invitations": ("GET", "/sessions/invitations", signed_in(200)),
    "sessions.show": ("GET", "/sessions/999999", everyone(404)),
    "sessions.calendar": ("GET", "/sessions/999999.ics", everyone(404)),
    "sessions.rsvp": ("POST", "/sessions/999999/rsvp", signed_in(404)),
    # A broken link: to the invitations page with a message (login when anonymous).
    "sessions.rsvp_link": ("GET", "/rsvp/not-a-token", everyone(302)),
    "sessions.attendance": (
        "POST",
        "/sessions/999999/attendance",
        at_least("official", 404),
    ),
    "sessions.outcome": (
        "POST",
        "/sessions/999999/outcome",
        at_least("official", 404),
    ),
    "sessions.cancel": ("POST", "/sessions/999999/cancel", at_least("official", 404)),
    # The consultation cycle and proposals (the world's "voting" question is in its
    # voting phase with two proposals; the plain question has no cycle).
    "proposals.cycle": ("GET", "/questions/{question}/cycle", at_least("official")),
    # No cycle to move on: back to the cycle page with a message.
    "proposals.advance": (
        "POST",
        "/questions/{question}/cycle/advance",
        at_least("official", 302),
    ),
    "proposals.synthesis": (
        "GET",
        "/questions/{voting}/synthesis",
        at_least("official"),
    ),
    "proposals.new": (
        "GET",
        "/questions/{voting}/proposals/new?idea={voting_idea}",
        at_least("official"),
    ),
    "proposals.index": ("GET", "/questions/{voting}/proposals", everyone(200)),
    "proposals.show": ("GET", "/proposals/{proposal}", everyone(200)),
    # Pairwise voting: the page issues a pair to whoever is signed in.
    "voting.vote": ("GET", "/questions/{voting}/vote", signed_in(200)),
    # The world's pair was issued to someone else.
    "voting.answer": ("POST", "/questions/{voting}/vote/{pair}", signed_in(403)),
    # While voting goes on, only officials see the results (others: a notice).
    "voting.results": ("GET", "/questions/{voting}/results", everyone(200)),
    "voting.results_csv": (
        "GET",
        "/questions/{voting}/results.csv",
        {**at_least("official"), "anonymous": 404, "citizen": 404, "moderator": 404},
    ),
    "voting.results_json": (
        "GET",
        "/questions/{voting}/results.json",
        {**at_least("official"), "anonymous": 404, "citizen": 404, "moderator": 404},
    ),
    "voting.recompute": (
        "POST",
        "/questions/{voting}/results/recompute",
        at_least("official", 302),
    ),
    # Without the form's fields the page comes back with its errors.
    "voting.meeting": ("POST", "/questions/{voting}/meeting", at_least("official")),
    # No scores yet: back to the meeting page with a message.
    "voting.shortlist": (
        "POST",
        "/questions/{voting}/meeting/shortlist",
        at_least("official", 302),
    ),
}


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - TABLE.keys() == set(), "routes missing from the access table"
    assert TABLE.keys() - endpoints == set(), "table entries for routes that are gone"


@pytest.fixture
def world(make_user, make_question, make_idea):
    question = make_question()
    idea = make_idea(question=question)
    voting = make_question()
    ideas = [make_idea(question=voting) for _ in range(2)]
    proposals = create_proposals(voting, [[idea] for idea in ideas])
    start_cycle(voting, Phase.VOTING)
    # A pair issued to nobody of the test: every role's answer is someone else's.
    pair = VotePair(
        question_id=voting.id,
        voter_id=make_user().id,
        low_id=proposals[0].id,
        high_id=proposals[1].id,
    )
    db.session.add(pair)
    db.session.commit()
    return {
        "voting": voting.id,
        "voting_idea": ideas[0].id,
        "proposal": proposals[0].id,
        "pair": pair.id,
        "question": question.id,
        "draft": make_question(status=QuestionStatus.DRAFT).id,
        "idea": idea.id,
        "user": make_user().id,
        "governor_question": create_governor_question(make_user).id,
        "measure": create_measure(make_user).id,
        "response": create_response(make_user, idea).id,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_route_status_for_role(client, make_user, world, endpoint, role):
    method, url, expected = TABLE[endpoint]
    if role != "anonymous":
        client.login(make_user(Role(role)))
    url = url.format(**world)
    response = client.get(url) if method == "GET" else client.submit(url)
    assert response.status_code == expected[role], f"{method} {url} as {role}"
