"""Reads of the pairwise vote: votes for the fit, the results and their exports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.extensions import db
from ideation.proposals.models import Phase, Proposal, ProposalCredit
from ideation.proposals.queries import current_phase
from ideation.questions.models import Question
from ideation.shared.personal_data import iso, rows_of
from ideation.shared.roles import Role, has_role
from ideation.shared.spreadsheet import csv_text
from ideation.voting.models import Choice, ProposalScore, Vote, VotePair


def votes_for_scoring(
    question_id: int,
) -> tuple[list[int], list[tuple[int, int]], dict[int, tuple[int, int, int]]]:
    """The question's proposal ids, its decided votes as (winner, loser) indexes
    into them, and each proposal's wins, losses and "can't decide" answers. Votes
    of blocked accounts are left out."""
    proposal_ids = list(
        db.session.scalars(
            select(Proposal.id)
            .where(Proposal.question_id == question_id)
            .order_by(Proposal.id)
        )
    )
    index = {proposal_id: i for i, proposal_id in enumerate(proposal_ids)}
    rows = db.session.execute(
        select(Vote.choice, VotePair.low_id, VotePair.high_id)
        .join(VotePair, VotePair.id == Vote.pair_id)
        .join(User, User.id == Vote.voter_id)
        .where(Vote.question_id == question_id, User.blocked_at.is_(None))
    )
    comparisons: list[tuple[int, int]] = []
    counts = {proposal_id: [0, 0, 0] for proposal_id in proposal_ids}
    for choice, low, high in rows:
        if low not in index or high not in index:
            continue
        if choice == Choice.UNDECIDED:
            counts[low][2] += 1
            counts[high][2] += 1
            continue
        winner, loser = (low, high) if choice == Choice.LOW else (high, low)
        comparisons.append((index[winner], index[loser]))
        counts[winner][0] += 1
        counts[loser][1] += 1
    return proposal_ids, comparisons, {k: tuple(v) for k, v in counts.items()}


def results_visible(question: Question, user) -> bool:
    """Everyone sees the results once voting is over; officials all along."""
    if has_role(user, Role.OFFICIAL):
        return True
    return current_phase(question) in (Phase.RESULTS, Phase.MEETING)


def get_pair_or_404(question: Question, pair_id: int) -> VotePair:
    pair = db.session.get(VotePair, pair_id)
    if pair is None or pair.question_id != question.id:
        abort(404)
    return pair


@dataclass(frozen=True)
class Results:
    question: Question
    scores: list[ProposalScore]
    computed_at: datetime | None
    votes: int
    sub_themes: list[str]
    sub_theme: str | None
    unscored: int  # proposals written since the last computation


def results(question: Question, sub_theme: str | None = None) -> Results:
    """The question's ranking as last computed, maybe of one sub-theme."""
    stmt = (
        select(ProposalScore)
        .join(Proposal, Proposal.id == ProposalScore.proposal_id)
        .where(ProposalScore.question_id == question.id)
        .options(joinedload(ProposalScore.proposal))
        .order_by(ProposalScore.rank, Proposal.id)
    )
    scores = list(db.session.scalars(stmt))
    themes = sorted({s.proposal.sub_theme for s in scores if s.proposal.sub_theme})
    if sub_theme is not None and sub_theme in themes:
        scores = [s for s in scores if s.proposal.sub_theme == sub_theme]
    else:
        sub_theme = None
    proposals = db.session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(Proposal.question_id == question.id)
    )
    votes = db.session.scalar(
        select(func.count()).select_from(Vote).where(Vote.question_id == question.id)
    )
    computed = max((s.computed_at for s in scores), default=None)
    scored = db.session.scalar(
        select(func.count())
        .select_from(ProposalScore)
        .where(ProposalScore.question_id == question.id)
    )
    return Results(
        question,
        scores,
        computed,
        votes or 0,
        themes,
        sub_theme,
        max(0, (proposals or 0) - (scored or 0)),
    )


def top_proposals(question: Question, n: int | None = None) -> list[ProposalScore]:
    """The best-ranked proposals: rank up to N (MEETING_TOP_N), so ties at the
    edge all come in."""
    n = n or current_app.config["MEETING_TOP_N"]
    stmt = (
        select(ProposalScore)
        .where(ProposalScore.question_id == question.id, ProposalScore.rank <= n)
        .options(joinedload(ProposalScore.proposal))
        .order_by(ProposalScore.rank, ProposalScore.proposal_id)
    )
    return list(db.session.scalars(stmt))


def credited_count(proposal_ids: list[int]) -> int:
    """How many people are credited on the proposals, each counted once."""
    if not proposal_ids:
        return 0
    return (
        db.session.scalar(
            select(func.count(ProposalCredit.user_id.distinct())).where(
                ProposalCredit.proposal_id.in_(proposal_ids)
            )
        )
        or 0
    )


def voter_progress(question: Question, voter) -> int:
    """How many pairs of the question the voter answered."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Vote)
            .where(Vote.question_id == question.id, Vote.voter_id == voter.id)
        )
        or 0
    )


# -- exports ---------------------------------------------------------------------------

FIELDS = (
    "rank",
    "proposal_id",
    "title",
    "sub_theme",
    "score",
    "low",
    "high",
    "comparisons",
    "wins",
    "losses",
    "undecided",
    "computed_at",
)


def _row(score: ProposalScore) -> dict:
    return {
        "rank": score.rank,
        "proposal_id": score.proposal_id,
        "title": score.proposal.title,
        "sub_theme": score.proposal.sub_theme,
        "score": score.score,
        "low": score.low,
        "high": score.high,
        "comparisons": score.comparisons,
        "wins": score.wins,
        "losses": score.losses,
        "undecided": score.undecided,
        "computed_at": score.computed_at.isoformat(),
    }


def results_csv(results: Results) -> str:
    """The ranking as CSV for spreadsheets (shared/spreadsheet.py: every cell
    neutralised, so a title typed as "=HYPERLINK(…)" stays text)."""
    rows = (_row(score) for score in results.scores)
    return csv_text(FIELDS, ([row[name] for name in FIELDS] for row in rows))


def results_json(results: Results) -> str:
    """The ranking as JSON, with when it was computed and from how many votes."""
    return json.dumps(
        {
            "question_id": results.question.id,
            "model": results.scores[0].model if results.scores else None,
            "computed_at": (
                results.computed_at.isoformat() if results.computed_at else None
            ),
            "votes": results.votes,
            "sub_theme": results.sub_theme,
            "proposals": [_row(score) for score in results.scores],
        },
        ensure_ascii=False,
        indent=2,
    )


def personal_data(user) -> dict[str, list[dict]]:
    """The account's pairwise votes (which two proposals, and the answer)."""
    return {
        "pairwise_votes": [
            {
                "question_id": vote.question_id,
                "proposals": [vote.pair.low_id, vote.pair.high_id],
                "choice": str(vote.choice),
                "reason": str(vote.reason) if vote.reason else None,
                "at": iso(vote.created_at),
            }
            for vote in rows_of(Vote, Vote.voter_id == user.id)
        ]
    }
