"""Loading the shipped Polis conversations as demo questions, ideas and supports.

Everything is written with bulk INSERTs in the caller's transaction; the caller
commits once. Support counts are computed before the ideas are inserted, so each
idea's `support_count` equals its Support rows without a second pass.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import exists, func, insert, or_, select
from werkzeug.security import generate_password_hash

from ideation.auth.models import EmailPreference, User
from ideation.demo.polis import (
    Agreement,
    Conversation,
    idea_title,
    read_conversation,
    read_manifest,
)
from ideation.extensions import db
from ideation.ideas.counting import recount_statement
from ideation.ideas.models import Idea, Support
from ideation.proposals.models import (
    Phase,
    Proposal,
    ProposalCredit,
    ProposalIdea,
    QuestionCycle,
)
from ideation.questions.models import Question, QuestionStatus
from ideation.shared.db import utcnow
from ideation.shared.roles import Role

POLIS_SUBDIR = "polis"
EMAIL_DOMAIN = "demo.invalid"
DEMO_PASSWORD = "governor-asks-demo"
# (e-mail, display name, role); all three log in with DEMO_PASSWORD.
DEMO_LOGINS = (
    (f"admin@{EMAIL_DOMAIN}", "Demo Admin", Role.ADMIN),
    (f"official@{EMAIL_DOMAIN}", "Demo Official", Role.OFFICIAL),
    (f"citizen@{EMAIL_DOMAIN}", "Demo Citizen", Role.CITIZEN),
)
OFFICIAL_EMAIL = DEMO_LOGINS[1][0]
CITIZEN_EMAIL = DEMO_LOGINS[2][0]
CREDIT = (
    "*Demo data: statements and votes from the Polis conversation [{topic}]({url}). "
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is "
    "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy "
    "Project: <https://github.com/compdemocracy/openData>.*"
)


class DemoAlreadyLoaded(Exception):
    """The demo accounts or questions are already in the database."""


@dataclass
class ConversationReport:
    tag: str
    question_id: int
    title: str
    ideas: int
    supports: int
    accounts: int


@dataclass
class DemoReport:
    conversations: list[ConversationReport] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    accounts: int = 0
    seconds: float = 0.0
    voting_question_id: int | None = None


def any_question_exists() -> bool:
    """Whether the database holds any question at all."""
    return db.session.scalar(select(Question.id).limit(1)) is not None


def demo_data_exists(data_dir: Path) -> bool:
    """Whether demo logins or questions with the demo titles are already stored."""
    titles = [spec["title"] for spec in read_manifest(data_dir / POLIS_SUBDIR)]
    emails = [email for email, _, _ in DEMO_LOGINS]
    return db.session.scalar(
        select(
            or_(
                exists().where(User.email.in_(emails)),
                exists().where(Question.title.in_(titles)),
            )
        )
    )


def load_demo(data_dir: Path) -> DemoReport:
    """Create the demo logins and one open question per shipped Polis conversation."""
    if demo_data_exists(data_dir):
        raise DemoAlreadyLoaded("Demo data is already loaded.")
    started = time.perf_counter()
    polis_dir = data_dir / POLIS_SUBDIR
    report = DemoReport(logins=[(e, DEMO_PASSWORD, r.value) for e, _, r in DEMO_LOGINS])
    logins = _create_logins()
    for spec in read_manifest(polis_dir):
        conversation = read_conversation(polis_dir, spec)
        report.conversations.append(
            _load_conversation(
                conversation, logins[OFFICIAL_EMAIL], logins[CITIZEN_EMAIL]
            )
        )
    if report.conversations:
        report.voting_question_id = _start_vote(
            report.conversations[0].question_id, logins[OFFICIAL_EMAIL]
        )
    report.accounts = db.session.scalar(
        select(func.count(User.id)).where(User.email.endswith(f"@{EMAIL_DOMAIN}"))
    )
    report.seconds = time.perf_counter() - started
    return report


def _create_logins() -> dict[str, int]:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    rows = [
        {
            "email": email,
            "_display_name": name,  # the column: User.display_name is a hybrid
            "role": role.value,
            # One hash per account: each gets its own salt.
            "password_hash": generate_password_hash(DEMO_PASSWORD, method=method),
            "email_confirmed_at": utcnow(),
        }
        for email, name, role in DEMO_LOGINS
    ]
    ids = _insert_returning_ids(User, rows)
    return dict(zip([row["email"] for row in rows], ids, strict=True))


def _load_conversation(
    conversation: Conversation, official_id: int, citizen_id: int
) -> ConversationReport:
    question_id = _create_question(conversation, official_id)
    accounts = _create_participants(conversation, citizen_id)
    agreements = _countable_agreements(conversation)
    counts = Counter(agreement.comment_id for agreement in agreements)
    idea_ids = _create_ideas(conversation, question_id, accounts, counts)
    # One bulk INSERT, past the ORM's listener: the question's count is set here.
    db.session.execute(recount_statement(question_id))
    _create_supports(agreements, accounts, idea_ids)
    return ConversationReport(
        tag=conversation.tag,
        question_id=question_id,
        title=conversation.title,
        ideas=len(idea_ids),
        supports=len(agreements),
        accounts=len(set(accounts.values())),
    )


def _create_question(conversation: Conversation, official_id: int) -> int:
    # Published when the conversation started, so no idea predates its question.
    started = min(s.created_at for s in conversation.statements)
    credit = CREDIT.format(topic=conversation.topic, url=conversation.url)
    question = Question(
        title=conversation.title,
        context=f"{conversation.description}\n\n{credit}",
        region=conversation.region,
        status=QuestionStatus.PUBLISHED,
        author_id=official_id,
        created_at=started,
        published_at=started,
    )
    db.session.add(question)
    db.session.flush()
    return question.id


def _create_participants(conversation: Conversation, citizen_id: int) -> dict:
    """Polis participant id -> user id; the demo citizen plays one real voter."""
    stand_in = conversation.most_engaged_voter
    participants = [p for p in sorted(conversation.participants) if p != stand_in]
    rows = [
        {
            "email": f"p{p}.{conversation.slug}@{EMAIL_DOMAIN}",
            "_display_name": f"Participant {p} ({conversation.tag})",
            "role": Role.CITIZEN.value,
            "password_hash": None,  # cannot log in
            "created_at": conversation.participants[p],
            "email_confirmed_at": conversation.participants[p],
            # Their .invalid addresses take no mail: e-mail would only fail and retry.
            "email_preference": EmailPreference.OFF.value,
        }
        for p in participants
    ]
    accounts = dict(zip(participants, _insert_returning_ids(User, rows), strict=True))
    if stand_in is not None:
        accounts[stand_in] = citizen_id
    return accounts


def _countable_agreements(conversation: Conversation) -> list[Agreement]:
    # Polis lets authors agree with their own statements; the platform does not
    # (ideas/rules.py, ensure_supportable), so those votes are left out.
    authors = {s.comment_id: s.author_id for s in conversation.statements}
    return [a for a in conversation.agreements if authors[a.comment_id] != a.voter_id]


def _create_ideas(
    conversation: Conversation, question_id: int, accounts: dict, counts: Counter
) -> dict[int, int]:
    """Polis comment id -> idea id."""
    max_title = current_app.config["IDEA_TITLE_MAX"]
    rows = []
    for statement in conversation.statements:
        title, description = idea_title(statement.text, max_title)
        rows.append(
            {
                "question_id": question_id,
                "author_id": accounts[statement.author_id],
                "title": title,
                "description": description,
                "support_count": counts[statement.comment_id],
                "created_at": statement.created_at,
            }
        )
    ids = _insert_returning_ids(Idea, rows)
    return dict(zip([s.comment_id for s in conversation.statements], ids, strict=True))


def _create_supports(
    agreements: list[Agreement], accounts: dict, idea_ids: dict
) -> None:
    rows = [
        {
            "idea_id": idea_ids[a.comment_id],
            "user_id": accounts[a.voter_id],
            "created_at": a.created_at,
        }
        for a in agreements
    ]
    if rows:
        db.session.execute(insert(Support), rows)


# The demo's consultation cycle: the first conversation's most supported ideas,
# paired into proposals, are put to the pairwise vote.
DEMO_PROPOSALS = 12
IDEAS_PER_DEMO_PROPOSAL = 2


def _start_vote(question_id: int, official_id: int) -> int:
    """Put the question in its voting phase with proposals written from its most
    supported ideas (two each), crediting their authors."""
    ideas = db.session.scalars(
        select(Idea)
        .where(Idea.question_id == question_id)
        .order_by(Idea.support_count.desc(), Idea.id)
        .limit(DEMO_PROPOSALS * IDEAS_PER_DEMO_PROPOSAL)
    ).all()
    for start in range(0, len(ideas) - 1, IDEAS_PER_DEMO_PROPOSAL):
        sources = ideas[start : start + IDEAS_PER_DEMO_PROPOSAL]
        proposal = Proposal(
            question_id=question_id,
            title=sources[0].title[:140],
            body="\n\n".join(idea.title for idea in sources)[:5000],
            sub_theme="",
            created_by_id=official_id,
        )
        db.session.add(proposal)
        db.session.flush()
        db.session.add_all(
            ProposalIdea(proposal_id=proposal.id, idea_id=idea.id) for idea in sources
        )
        db.session.add_all(
            ProposalCredit(proposal_id=proposal.id, user_id=author_id)
            for author_id in dict.fromkeys(idea.author_id for idea in sources)
        )
    db.session.add(QuestionCycle(question_id=question_id, phase=Phase.VOTING))
    db.session.flush()
    return question_id


def _insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """One bulk INSERT; the new ids come back in the order of `rows`."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))
