"""Plain helpers shared by test modules (fixtures live in conftest.py).

Test modules import from here or from conftest, never from one another
(tests/test_layout.py checks that).
"""

import re
from datetime import date, timedelta

from ideation.extensions import db
from ideation.governor.models import GovernorQuestion, GovernorQuestionSupport
from ideation.jobs import queue as jobs
from ideation.measures.models import Measure
from ideation.responses.models import IdeaResponse
from ideation.sessions.scheduling import SessionFields
from ideation.shared.db import utcnow
from ideation.shared.roles import Role

# Password reset links arrive by e-mail under this PUBLIC_URL.
PUBLIC_URL = "https://participa.example.gov.br/app"
RESET_LINK = re.compile(re.escape(PUBLIC_URL) + r"(/password/reset/[\w.-]+)")
NEW_PASSWORD = "a brand new passphrase"


def body(message) -> str:
    """The plain-text part of an e-mail."""
    return message.get_body(preferencelist=("plain",)).get_content()


def create_governor_question(make_user, author=None, supporters=(), **fields):
    """A question to the governor, by a new citizen unless `author` is given."""
    fields.setdefault("title", "When will the clinic in Vila Nova reopen?")
    fields.setdefault("body", "It has been closed since March.")
    question = GovernorQuestion(author=author or make_user(), **fields)
    db.session.add(question)
    db.session.flush()
    for user in supporters:
        db.session.add(
            GovernorQuestionSupport(question_id=question.id, user_id=user.id)
        )
    question.support_count = len(supporters)
    db.session.commit()
    return question


def create_response(make_user, idea, status_to="under_review", **fields):
    """An official's published response moving `idea` (from its status)."""
    fields.setdefault("body", "We are studying it with the health department.")
    fields.setdefault("department", "Department of Health")
    response = IdeaResponse(
        idea_id=idea.id,
        status_from=idea.status,
        status_to=status_to,
        actor_id=make_user(Role.OFFICIAL).id,
        **fields,
    )
    idea.status = status_to
    db.session.add(response)
    db.session.commit()
    return response


def create_measure(make_user, question=None, official=None, **fields):
    """A measure announced in the answer to a (new) question, by an official."""
    question = question or create_governor_question(make_user)
    fields.setdefault("title", "Reopen the Vila Nova clinic")
    fields.setdefault("description", "Hire two doctors and repair the roof.")
    fields.setdefault("target_date", date.today() + timedelta(days=90))
    if fields.get("status") == "done":
        fields.setdefault("progress", 100)  # a CHECK: done is done in full
    measure = Measure(
        governor_question=question,
        created_by=official or make_user(Role.OFFICIAL),
        **fields,
    )
    db.session.add(measure)
    db.session.commit()
    return measure


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def ask_for_link(client, email: str):
    return client.submit("/password/forgot", data={"email": email})


def reset_path(smtp_server, to: str) -> str:
    """Deliver the outbox, then the path (without PUBLIC_URL) of the reset link."""
    jobs.run_pending()
    [message] = [m for m in smtp_server.messages if m["To"] == to]
    assert message["Subject"] == "Choose a new password"
    return RESET_LINK.search(body(message)).group(1)


def choose(client, path: str, password=NEW_PASSWORD, confirm=None):
    return client.submit(
        path,
        data={
            "new_password": password,
            "new_password_confirm": password if confirm is None else confirm,
        },
    )


def fields(**overrides) -> SessionFields:
    """Valid fields for a session a week ahead; override any of them."""
    start = overrides.pop("starts_at", utcnow() + timedelta(days=7))
    values = {
        "title": "Evening clinics: first design session",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "capacity": 10,
        "agenda": "1. Welcome\n2. **Sketch** the clinic hours",
        "place": "Palácio Piratini, Sala 3",
        "online_url": None,
    }
    values.update(overrides)
    return SessionFields(**values)


def create_proposals(question, ideas_per_proposal, official=None, sub_themes=()):
    """Proposals of `question`, one per list of ideas, crediting their authors
    (written straight to the tables: the operation is tested on its own)."""
    from ideation.proposals.models import Proposal, ProposalCredit, ProposalIdea

    proposals = []
    for n, ideas in enumerate(ideas_per_proposal):
        proposal = Proposal(
            question_id=question.id,
            title=f"Proposal {n + 1}: {ideas[0].title}",
            body="Condensed from the citizens' ideas.",
            sub_theme=sub_themes[n % len(sub_themes)] if sub_themes else "",
            created_by_id=official.id if official else None,
        )
        db.session.add(proposal)
        db.session.flush()
        for idea in ideas:
            db.session.add(ProposalIdea(proposal_id=proposal.id, idea_id=idea.id))
        for author_id in dict.fromkeys(idea.author_id for idea in ideas):
            db.session.add(ProposalCredit(proposal_id=proposal.id, user_id=author_id))
        proposals.append(proposal)
    db.session.commit()
    return proposals


def start_cycle(question, phase):
    """Give `question` a consultation cycle in `phase` (no dates)."""
    from ideation.proposals.models import QuestionCycle

    db.session.add(QuestionCycle(question_id=question.id, phase=phase))
    db.session.commit()
