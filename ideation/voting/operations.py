"""Writes of the pairwise vote: issuing a pair, answering it, storing the scores,
and the meeting of the top proposals. They flush, never commit."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select, union_all, update
from sqlalchemy.orm import joinedload

from ideation.audit.operations import record_action
from ideation.auth.rules import ensure_email_confirmed, ensure_not_blocked
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job, JobStatus
from ideation.proposals.models import Phase, Proposal
from ideation.proposals.queries import (
    contributing_ideas,
    credited_users,
    current_phase,
)
from ideation.questions.models import Question
from ideation.sessions.models import DesignSession
from ideation.sessions.scheduling import SessionFields, schedule_session
from ideation.shared.db import dialect_insert, utcnow
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import Role, ensure_role
from ideation.shortlist.operations import add_to_shortlist
from ideation.voting.models import (
    Choice,
    ProposalScore,
    UndecidedReason,
    Vote,
    VotePair,
)
from ideation.voting.pairing import choose_pair
from ideation.voting.scoring import MODEL, Fitted

SCORE_JOB = "recompute_proposal_scores"
NO_DELAY = timedelta()
# What the vote form sends: the proposal shown first, the other, or neither.
FIRST, SECOND, UNDECIDED = "first", "second", "undecided"


class VotingError(DomainError):
    """A refused vote; says why."""


def ensure_voting(question: Question, now: datetime | None = None) -> None:
    """Raise VotingError unless the question is in its voting phase."""
    if not question.is_public() or current_phase(question, now) != Phase.VOTING:
        raise VotingError(_("Voting on this question's proposals is not open."))


def ensure_voter(voter) -> None:
    """One confirmed mailbox behind each voter, as behind each support; a blocked
    account may read, not vote."""
    ensure_not_blocked(voter)
    ensure_email_confirmed(voter)


def issue_pair(
    question: Question, voter, now: datetime | None = None, rng=None
) -> VotePair | None:
    """The pair the voter answers next: the oldest issued and not yet answered.
    When none is left, the next VOTE_PAIRS_AHEAD pairs are chosen at once (see
    pairing.choose_pair), so that most answers only read the next one. None when
    the voter has compared every pair."""
    ensure_voter(voter)
    ensure_voting(question, now)
    pending = _oldest_pending(question, voter)
    if pending is not None:
        return pending
    proposal_ids = list(
        db.session.scalars(
            select(Proposal.id).where(Proposal.question_id == question.id)
        )
    )
    used = {
        (low, high)
        for low, high in db.session.execute(
            select(VotePair.low_id, VotePair.high_id).where(
                VotePair.question_id == question.id, VotePair.voter_id == voter.id
            )
        )
    }
    rng = rng or random.Random()
    shown = shown_counts(question)
    rows = []
    for _ahead in range(current_app.config["VOTE_PAIRS_AHEAD"]):
        chosen = choose_pair(proposal_ids, shown, used, rng)
        if chosen is None:
            break
        used.add(chosen)
        for member in chosen:
            shown[member] = shown.get(member, 0) + 1
        rows.append(
            {
                "question_id": question.id,
                "voter_id": voter.id,
                "low_id": chosen[0],
                "high_id": chosen[1],
                "high_first": rng.random() < 0.5,
                "issued_at": now or utcnow(),
            }
        )
    if not rows:
        return None
    # The same voter in two tabs may race to the same pairs: one row each, either way.
    db.session.execute(
        dialect_insert(VotePair).on_conflict_do_nothing(
            index_elements=["voter_id", "low_id", "high_id"]
        ),
        rows,
    )
    return _oldest_pending(question, voter)


def _oldest_pending(question: Question, voter) -> VotePair | None:
    return db.session.scalars(
        select(VotePair)
        .options(joinedload(VotePair.low), joinedload(VotePair.high))
        .where(
            VotePair.question_id == question.id,
            VotePair.voter_id == voter.id,
            VotePair.answered_at.is_(None),
        )
        .order_by(VotePair.id)
        .limit(1)
    ).first()


def shown_counts(question: Question) -> dict[int, int]:
    """How many times each of the question's proposals was shown, to anyone."""
    sides = union_all(
        select(VotePair.low_id.label("pid")).where(VotePair.question_id == question.id),
        select(VotePair.high_id.label("pid")).where(
            VotePair.question_id == question.id
        ),
    ).subquery()
    rows = db.session.execute(select(sides.c.pid, func.count()).group_by(sides.c.pid))
    return dict(rows.all())


def cast_vote(
    pair: VotePair,
    voter,
    answer: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> Choice:
    """Answer an issued pair: the first proposal, the second, or "I can't decide"
    (with an optional reason). A pair is answered once: a second answer is refused."""
    if pair.voter_id != voter.id:
        raise PermissionDenied(_("This pair was shown to someone else."))
    ensure_voter(voter)
    question = db.session.get(Question, pair.question_id)
    ensure_voting(question, now)
    # The proposal shown first is the higher id when high_first (VotePair.shown).
    if answer in (FIRST, SECOND):
        choice = Choice.HIGH if (answer == FIRST) == pair.high_first else Choice.LOW
    elif answer == UNDECIDED:
        choice = Choice.UNDECIDED
    else:
        raise VotingError(_("Choose one of the two proposals, or “I can't decide”."))
    if reason and (choice != Choice.UNDECIDED or reason not in set(UndecidedReason)):
        reason = None
    now = now or utcnow()
    # Two answers to the same pair at once (a double click, two tabs): the unique
    # pair_id keeps the first; the other learns it was already answered.
    vote_id = db.session.scalar(
        dialect_insert(Vote)
        .values(
            pair_id=pair.id,
            question_id=pair.question_id,
            voter_id=voter.id,
            choice=choice,
            reason=reason or None,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["pair_id"])
        .returning(Vote.id)
    )
    if vote_id is None:
        raise VotingError(_("You already answered this pair."))
    db.session.execute(
        update(VotePair).where(VotePair.id == pair.id).values(answered_at=now)
    )
    schedule_scores(pair.question_id)
    return choice


def schedule_scores(question_id: int, delay: timedelta | None = None) -> None:
    """Refit the question's scores VOTE_SCORE_DEBOUNCE seconds from now; votes in
    the meantime join the pending job (one fit per burst of votes)."""
    if delay is None:
        delay = timedelta(seconds=current_app.config["VOTE_SCORE_DEBOUNCE"])
        # Most votes find the job already pending: a read, not a failed insert.
        pending = select(Job.id).where(
            Job.key == f"scores:{question_id}", Job.status == JobStatus.PENDING.value
        )
        if db.session.scalar(pending.limit(1)) is not None:
            return
    jobs.enqueue(
        SCORE_JOB,
        {"question_id": question_id},
        key=f"scores:{question_id}",
        delay=delay,
    )


def replace_scores(
    question: Question,
    proposal_ids: list[int],
    fitted: Fitted,
    counts: dict[int, tuple[int, int, int]],
    now: datetime | None = None,
) -> None:
    """Store the question's freshly fitted scores in place of the old ones."""
    now = now or utcnow()
    db.session.execute(
        delete(ProposalScore).where(ProposalScore.question_id == question.id)
    )
    if not proposal_ids:
        return
    rows = []
    for index, proposal_id in enumerate(proposal_ids):
        wins, losses, undecided = counts.get(proposal_id, (0, 0, 0))
        score = round(float(fitted.scores[index]), 2)
        rows.append(
            {
                "proposal_id": proposal_id,
                "question_id": question.id,
                "score": score,
                "low": min(round(float(fitted.low[index]), 2), score),
                "high": max(round(float(fitted.high[index]), 2), score),
                "wins": wins,
                "losses": losses,
                "undecided": undecided,
                "rank": fitted.ranks[index],
                "model": MODEL,
                "computed_at": now,
            }
        )
    db.session.execute(insert(ProposalScore), rows)


def shortlist_top(question: Question, actor, proposals: list[Proposal]) -> int:
    """Put every idea that went into the top proposals on the question's shortlist
    board (audited); how many ideas that was."""
    ensure_role(actor, Role.OFFICIAL, _l("Only officials can prepare the meeting."))
    if not proposals:
        raise VotingError(_("No proposal has a score yet."))
    ideas = contributing_ideas([p.id for p in proposals])
    for idea in ideas:
        add_to_shortlist(idea, actor)
    record_action(
        actor,
        "meeting.shortlisted",
        question,
        proposals=[p.id for p in proposals],
        ideas=len(ideas),
    )
    return len(ideas)


def invite_to_meeting(
    question: Question, actor, proposals: list[Proposal], fields: SessionFields
) -> DesignSession:
    """Schedule the meeting with the governor as a design session and invite every
    person credited on the top proposals (capacity, RSVP, waitlist, .ics)."""
    ensure_role(actor, Role.OFFICIAL, _l("Only officials can prepare the meeting."))
    if not proposals:
        raise VotingError(_("No proposal has a score yet."))
    ids = [p.id for p in proposals]
    people = credited_users(ids)
    session = schedule_session(
        actor, contributing_ideas(ids), fields, extra_users=people, any_status=True
    )
    record_action(actor, "meeting.invited", question, session=session.id, proposals=ids)
    return session
