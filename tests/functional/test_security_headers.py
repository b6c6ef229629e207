"""Security headers: a content security policy on every page, no MIME sniffing, a
referrer policy, HSTS where configured, and nothing personal kept in caches."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.sessions.models import Invitation
from ideation.sessions.scheduling import schedule_session
from ideation.sessions.tokens import make_rsvp_token
from ideation.shared.roles import Role
from tests.helpers import create_governor_question, fields

TEMPLATES = Path(__file__).resolve().parents[2] / "ideation" / "templates"


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy header as {directive: sources}."""
    header = response.headers["Content-Security-Policy"]
    return dict(
        (part.strip().partition(" ")[0], part.strip().partition(" ")[2])
        for part in header.split(";")
    )


@pytest.mark.parametrize(
    "url", ["/", "/login", "/questions/", "/governor", "/nowhere", "/static/app.js"]
)
def test_every_response_has_the_headers(client, url):
    response = client.get(url)
    csp = policy(response)
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["form-action"] == "'self'"
    assert "frame-src" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # testing: no HSTS


def test_the_video_page_adds_only_its_player(client, make_user):
    question = create_governor_question(make_user)
    client.login(make_user(Role.OFFICIAL))
    client.submit(
        f"/governor/questions/{question.id}/answer",
        data={
            "body": "See the video.",
            "department": "Office of the Governor",
            "video_url": "https://youtu.be/dQw4w9WgXcQ",
            "transcript": "Words.",
        },
    )
    csp = policy(client.get(f"/governor/questions/{question.id}"))
    assert csp["frame-src"] == "https://www.youtube-nocookie.com"
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"


def test_hsts_when_configured(app, client):
    app.config["HSTS_MAX_AGE"] = 31536000
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def _no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def test_pages_of_a_signed_in_person_are_not_stored(client, make_user):
    assert not _no_store(client.get("/"))
    client.login(make_user())
    for url in ("/", "/account", "/notifications/", "/sessions/invitations"):
        assert _no_store(client.get(url)), url
    assert not _no_store(client.get("/static/style.css"))


def test_private_exports_and_links_with_tokens_are_not_stored(
    client, make_user, make_idea
):
    author = make_user()
    idea = make_idea(author=author, status=IdeaStatus.SHORTLISTED.value)
    official = make_user(Role.OFFICIAL)
    session = schedule_session(official, [idea], fields(), [])
    db.session.commit()
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.session_id == session.id)
    ).one()
    # A link e-mailed to someone: the page holds the token, signed in or not.
    assert _no_store(client.get(f"/rsvp/{make_rsvp_token(invitation, 'accept')}"))
    client.login(official)
    export = client.get(f"/questions/{idea.question_id}/board.csv")
    assert export.status_code == 200 and _no_store(export)


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|=[\"']?javascript:",
    re.IGNORECASE,
)


def test_pages_have_no_inline_script_or_style_the_policy_would_block():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        if "mail" not in path.relative_to(TEMPLATES).parts  # e-mails: no policy
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []
