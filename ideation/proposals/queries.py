"""Reads of the consultation cycle and of proposals: the question's phase, its
proposals, each idea's proposals, and the synthesis board of unused ideas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from ideation.duplicates.queries import waiting_pairs
from ideation.extensions import db
from ideation.ideas.models import Idea, listed_idea
from ideation.proposals.models import (
    PHASE_LABELS,
    PHASES,
    Phase,
    Proposal,
    ProposalCredit,
    ProposalIdea,
    QuestionCycle,
)
from ideation.questions.models import Question
from ideation.shared.personal_data import rows_of
from ideation.shared.web import as_id
from ideation.themes.models import IdeaTheme, Theme


def get_cycle(question: Question) -> QuestionCycle | None:
    """The question's cycle, or None for a plain idea board."""
    return db.session.get(QuestionCycle, question.id)


def current_phase(question: Question, now: datetime | None = None) -> Phase | None:
    """Where the question is in its cycle (dates taken into account), or None."""
    cycle = get_cycle(question)
    return cycle.current_phase(now) if cycle else None


@dataclass(frozen=True)
class CycleStep:
    phase: Phase
    label: str
    state: str  # "done", "current" or "next"
    date: datetime | None  # when it starts (or ends, for ideas)


@dataclass(frozen=True)
class CycleInfo:
    """What the question page shows of the cycle: the steps and where it stands."""

    cycle: QuestionCycle
    phase: Phase
    steps: list[CycleStep]

    @property
    def following(self) -> Phase | None:
        index = PHASES.index(self.phase)
        return PHASES[index + 1] if index + 1 < len(PHASES) else None


def cycle_info(question: Question, now: datetime | None = None) -> CycleInfo | None:
    """The question's cycle as steps, for its page; None without a cycle."""
    cycle = get_cycle(question)
    if cycle is None:
        return None
    phase = cycle.current_phase(now)
    dates = {
        Phase.IDEAS: cycle.ideas_close_at,
        Phase.SYNTHESIS: cycle.ideas_close_at,
        Phase.VOTING: cycle.voting_opens_at,
        Phase.RESULTS: cycle.voting_close_at,
        Phase.MEETING: cycle.meeting_at,
    }
    here = PHASES.index(phase)
    steps = [
        CycleStep(
            step,
            str(PHASE_LABELS[step]),
            "done" if i < here else "current" if i == here else "next",
            dates[step],
        )
        for i, step in enumerate(PHASES)
    ]
    return CycleInfo(cycle, phase, steps)


def question_proposals(
    question: Question, sub_theme: str | None = None
) -> list[Proposal]:
    """The question's proposals, by sub-theme then oldest first."""
    stmt = (
        select(Proposal)
        .where(Proposal.question_id == question.id)
        .options(selectinload(Proposal.credited))
        .order_by(Proposal.sub_theme, Proposal.id)
    )
    if sub_theme is not None:
        stmt = stmt.where(Proposal.sub_theme == sub_theme)
    return list(db.session.scalars(stmt))


def sub_themes(question: Question) -> list[str]:
    """The sub-themes the question's proposals use, alphabetically."""
    stmt = (
        select(Proposal.sub_theme)
        .where(Proposal.question_id == question.id, Proposal.sub_theme != "")
        .distinct()
        .order_by(Proposal.sub_theme)
    )
    return list(db.session.scalars(stmt))


def get_proposal_or_404(proposal_id: int) -> Proposal:
    """A proposal of a public question; 404 otherwise."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    question = db.session.get(Question, proposal.question_id)
    if not question.is_public():
        abort(404)
    return proposal


def proposals_of_idea(idea: Idea) -> list[Proposal]:
    """The proposals an idea went into (for its page)."""
    stmt = (
        select(Proposal)
        .join(ProposalIdea, ProposalIdea.proposal_id == Proposal.id)
        .where(ProposalIdea.idea_id == idea.id)
        .order_by(Proposal.id)
    )
    return list(db.session.scalars(stmt))


def contributing_ideas(proposal_ids: list[int]) -> list[Idea]:
    """The ideas the proposals were written from, each once, by id."""
    if not proposal_ids:
        return []
    stmt = (
        select(Idea)
        .join(ProposalIdea, ProposalIdea.idea_id == Idea.id)
        .where(ProposalIdea.proposal_id.in_(proposal_ids))
        .options(joinedload(Idea.author))
        .distinct()
        .order_by(Idea.id)
    )
    return list(db.session.scalars(stmt))


def credited_users(proposal_ids: list[int]) -> list:
    """Everyone credited on the proposals, each once (User rows)."""
    if not proposal_ids:
        return []
    credits = db.session.scalars(
        select(ProposalCredit)
        .where(ProposalCredit.proposal_id.in_(proposal_ids))
        .options(joinedload(ProposalCredit.user))
        .order_by(ProposalCredit.user_id)
    )
    return list({credit.user_id: credit.user for credit in credits}.values())


# -- the synthesis board ---------------------------------------------------------------


@dataclass
class ThemeColumn:
    """Unused ideas of one theme (theme None: ideas in no theme yet)."""

    theme: Theme | None
    ideas: list[Idea] = field(default_factory=list)
    total: int = 0  # listed ideas of the theme, used or not


@dataclass
class SynthesisBoard:
    question: Question
    listed: int
    unused: int
    proposals: int
    themes: list[ThemeColumn]
    groups: list[list[Idea]]  # duplicate groups made only of unused ideas


def _used():
    return exists().where(ProposalIdea.idea_id == Idea.id)


def synthesis_board(question: Question) -> SynthesisBoard:
    """The question's listed ideas that no proposal used yet, by theme, with
    counts, and the duplicate groups among them."""
    listed = (Idea.question_id == question.id) & listed_idea()
    rows = db.session.execute(
        select(Idea, IdeaTheme.theme_id)
        .outerjoin(IdeaTheme, IdeaTheme.idea_id == Idea.id)
        .where(listed)
        .order_by(Idea.support_count.desc(), Idea.id)
        .options(joinedload(Idea.author))
    ).all()
    used = set(db.session.scalars(select(Idea.id).where(listed, _used())))
    themes = {
        theme.id: ThemeColumn(theme)
        for theme in db.session.scalars(
            select(Theme).where(Theme.question_id == question.id).order_by(Theme.number)
        )
    }
    no_theme = ThemeColumn(None)
    unused: dict[int, Idea] = {}
    for idea, theme_id in rows:
        column = themes.get(theme_id, no_theme)
        column.total += 1
        if idea.id not in used:
            column.ideas.append(idea)
            unused[idea.id] = idea
    columns = [c for c in themes.values() if c.total] + (
        [no_theme] if no_theme.total else []
    )
    proposals = db.session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(Proposal.question_id == question.id)
    )
    return SynthesisBoard(
        question,
        listed=len(rows),
        unused=len(unused),
        proposals=proposals or 0,
        themes=columns,
        groups=_groups(question, unused),
    )


def _groups(question: Question, unused: dict[int, Idea]) -> list[list[Idea]]:
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in waiting_pairs(question):
        if a in unused and b in unused:
            parent[root(a)] = root(b)
    members: dict[int, list[Idea]] = {}
    for idea_id in parent:
        members.setdefault(root(idea_id), []).append(unused[idea_id])
    groups = [sorted(ideas, key=lambda i: i.id) for ideas in members.values()]
    return sorted(groups, key=lambda ideas: (-len(ideas), ideas[0].id))


def ideas_to_synthesise(question: Question, args: Mapping) -> list[Idea]:
    """The ideas a new proposal starts from: ?idea=1&idea=2 (hand-picked or a
    duplicate group), or ?theme=7 (a theme's unused ideas). Ideas of other
    questions and unlisted ones are left out."""
    ids = [i for i in (as_id(v) for v in _all(args, "idea")) if i is not None]
    theme_id = as_id(args.get("theme"))
    stmt = select(Idea).where(Idea.question_id == question.id, listed_idea())
    if theme_id is not None:
        stmt = stmt.join(IdeaTheme, IdeaTheme.idea_id == Idea.id).where(
            IdeaTheme.theme_id == theme_id, ~_used()
        )
    elif ids:
        stmt = stmt.where(Idea.id.in_(ids[:500]))
    else:
        return []
    return list(db.session.scalars(stmt.order_by(Idea.id)))


def _all(args: Mapping, key: str) -> list:
    getlist = getattr(args, "getlist", None)
    return getlist(key) if getlist else [args[key]] if key in args else []


def personal_data(user) -> dict[str, list[dict]]:
    """The proposals that credit the account."""
    credited = select(ProposalCredit.proposal_id).where(
        ProposalCredit.user_id == user.id
    )
    return {
        "credited_on_proposals": [
            {"id": proposal.id, "title": proposal.title}
            for proposal in rows_of(Proposal, Proposal.id.in_(credited))
        ]
    }
