"""Writes of the consultation cycle and of proposals. They flush, notify and log,
never commit: the view commits once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideation.audit.operations import record_action
from ideation.duplicates.queries import coauthors
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.notifications.operations import notify
from ideation.proposals.jobs import schedule_cycle_dates
from ideation.proposals.models import (
    PHASES,
    Phase,
    Proposal,
    ProposalCredit,
    ProposalIdea,
    QuestionCycle,
)
from ideation.questions.models import Question
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role, ensure_role
from ideation.shared.web import link_for

_NOT_OFFICIAL_CYCLE = _l("Only officials can run a question's consultation cycle.")
_NOT_OFFICIAL_PROPOSAL = _l("Only officials can write proposals.")


class CycleError(DomainError):
    """A refused change of the cycle; `field` names the form field."""


class ProposalError(DomainError):
    """A refused proposal; `field` names the form field."""


@dataclass(frozen=True)
class CycleDates:
    """The dates an official sets on the cycle (aware UTC, or None)."""

    ideas_close_at: datetime | None = None
    voting_opens_at: datetime | None = None
    voting_close_at: datetime | None = None
    meeting_at: datetime | None = None


def set_cycle(
    question: Question,
    actor,
    phase: Phase,
    dates: CycleDates,
    now: datetime | None = None,
) -> QuestionCycle:
    """Give the question a cycle or change its phase and dates (audited)."""
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL_CYCLE)
    _check_dates(dates)
    now = now or utcnow()
    cycle = db.session.get(QuestionCycle, question.id)
    if cycle is None:
        cycle = QuestionCycle(
            question_id=question.id, phase=phase, phase_changed_at=now
        )
        db.session.add(cycle)
        record_action(actor, "cycle.started", question, phase=str(phase))
    else:
        cycle = lock_row_of(cycle)
    before = _dates_of(cycle)
    for name, value in vars(dates).items():
        setattr(cycle, name, value)
    if _dates_of(cycle) != before:
        record_action(actor, "cycle.dates_changed", question, **_iso(dates))
    _move(cycle, question, actor, Phase(phase), now)
    db.session.flush()
    schedule_cycle_dates(cycle, now)
    return cycle


def advance_phase(question: Question, actor, now: datetime | None = None) -> Phase:
    """Move the question's cycle on to the next phase (audited); the new phase."""
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL_CYCLE)
    now = now or utcnow()
    cycle = db.session.get(QuestionCycle, question.id)
    if cycle is None:
        raise CycleError(_("This question has no consultation cycle."))
    cycle = lock_row_of(cycle)
    current = cycle.current_phase(now)
    if current == PHASES[-1]:
        raise CycleError(_("The cycle is already in its last phase."))
    following = PHASES[PHASES.index(current) + 1]
    _move(cycle, question, actor, following, now)
    db.session.flush()
    return following


def lock_row_of(cycle: QuestionCycle) -> QuestionCycle:
    """The cycle's row, locked (lock_row wants an `id`: the cycle's is its question)."""
    return (
        db.session.query(QuestionCycle)
        .filter(QuestionCycle.question_id == cycle.question_id)
        .with_for_update()
        .populate_existing()
        .one()
    )


def _move(cycle, question, actor, phase: Phase, now: datetime) -> None:
    shown = cycle.current_phase(now)
    if Phase(cycle.phase) == phase and shown == phase:
        return
    record_action(
        actor, "cycle.phase_changed", question, before=str(shown), after=str(phase)
    )
    cycle.phase = phase
    cycle.phase_changed_at = now
    # Dates already passed would move the phase straight on again: the official's
    # choice wins, so a date that has passed and points past it is dropped.
    if phase in (Phase.IDEAS,) and cycle.ideas_close_at and cycle.ideas_close_at <= now:
        cycle.ideas_close_at = None
    if phase in (Phase.IDEAS, Phase.SYNTHESIS) and (
        cycle.voting_opens_at and cycle.voting_opens_at <= now
    ):
        cycle.voting_opens_at = None
    if phase in (Phase.IDEAS, Phase.SYNTHESIS, Phase.VOTING) and (
        cycle.voting_close_at and cycle.voting_close_at <= now
    ):
        cycle.voting_close_at = None


def _check_dates(dates: CycleDates) -> None:
    order = [
        ("ideas_close_at", dates.ideas_close_at),
        ("voting_opens_at", dates.voting_opens_at),
        ("voting_close_at", dates.voting_close_at),
        ("meeting_at", dates.meeting_at),
    ]
    given = [(name, value) for name, value in order if value is not None]
    for (_first, earlier), (name, later) in zip(given, given[1:], strict=False):
        if later < earlier or (name == "voting_close_at" and later == earlier):
            raise CycleError(
                _(
                    "The dates must follow the cycle: ideas close, voting opens, "
                    "voting closes, then the meeting."
                ),
                name,
            )


def _dates_of(cycle: QuestionCycle) -> tuple:
    return (
        cycle.ideas_close_at,
        cycle.voting_opens_at,
        cycle.voting_close_at,
        cycle.meeting_at,
    )


def _iso(dates: CycleDates) -> dict:
    return {k: v.isoformat() if v else None for k, v in vars(dates).items()}


def write_proposal(
    question: Question,
    actor,
    title: str,
    body: str,
    sub_theme: str,
    ideas: Sequence[Idea],
    now: datetime | None = None,
) -> Proposal:
    """Write a proposal from ideas of the question; credit and notify the authors
    and co-authors of every contributing idea."""
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL_PROPOSAL)
    ideas = list({idea.id: idea for idea in ideas}.values())
    if not ideas:
        raise ProposalError(_("Choose the ideas this proposal comes from."), "ideas")
    if any(idea.question_id != question.id for idea in ideas):
        raise ProposalError(_("Every idea must be of this question."), "ideas")
    title, body, sub_theme = title.strip(), (body or "").strip(), sub_theme.strip()
    if not title:
        raise ProposalError(_("Give the proposal a title."), "title")
    if len(body) > current_app.config["PROPOSAL_BODY_MAX"]:
        raise ProposalError(
            _(
                "Use at most %(max)d characters.",
                max=current_app.config["PROPOSAL_BODY_MAX"],
            ),
            "body",
        )
    proposal = Proposal(
        question_id=question.id,
        title=title,
        body=body,
        sub_theme=sub_theme,
        created_by_id=actor.id,
        created_at=now or utcnow(),
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.add_all(
        ProposalIdea(proposal_id=proposal.id, idea_id=i.id) for i in ideas
    )
    credited = credited_people(ideas)
    db.session.add_all(
        ProposalCredit(proposal_id=proposal.id, user_id=user_id) for user_id in credited
    )
    db.session.flush()
    notify(
        credited,
        "proposal.credited",
        link_for("proposals.show", proposal_id=proposal.id),
        exclude=[actor],
        title=proposal.title,
    )
    record_action(
        actor,
        "proposal.written",
        proposal,
        question_id=question.id,
        ideas=[idea.id for idea in ideas],
        credited=len(credited),
    )
    return proposal


def credited_people(ideas: Sequence[Idea]) -> list[int]:
    """Ids of the authors and co-authors of `ideas` (merged ideas), each once."""
    people: dict[int, None] = {}
    for idea in ideas:
        people.setdefault(idea.author_id)
        for coauthor in coauthors(idea):
            people.setdefault(coauthor.id)
    return list(people)
