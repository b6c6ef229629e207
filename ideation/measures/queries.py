"""Reads of measures."""

from flask import abort, current_app
from flask_babel import format_currency
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ideation.extensions import db
from ideation.governor.models import GovernorQuestion
from ideation.ideas.models import Idea, IdeaStatus
from ideation.measures.models import Measure, MeasureLink, MeasureStatus, MeasureUpdate
from ideation.sessions.models import DesignSession
from ideation.shortlist.models import ShortlistDecision

# Ideas an official may turn into a measure: chosen, or being designed.
IDEA_STATUSES_FOR_MEASURES = (IdeaStatus.SELECTED.value, IdeaStatus.IN_DESIGN.value)

STATUS_LABELS = {
    MeasureStatus.ANNOUNCED.value: _l("Announced"),
    MeasureStatus.IN_PROGRESS.value: _l("In progress"),
    MeasureStatus.DONE.value: _l("Done"),
    MeasureStatus.CANCELLED.value: _l("Cancelled"),
}


def status_label(status: str) -> str:
    """A measure status in the reader's language."""
    return str(STATUS_LABELS.get(status, status))


def budget_label(cents: int | None) -> str:
    """A budget in BRL, written the reader's way (R$ 1.234,56 in pt-BR); "" if none."""
    if cents is None:
        return ""
    return format_currency(cents / 100, "BRL")


def measures(
    page: int, status: str | None = None, department: str | None = None
) -> Pagination:
    """One page of measures, the most recently announced first; maybe one status,
    maybe one department."""
    stmt = select(Measure).options(joinedload(Measure.governor_question))
    if status in STATUS_LABELS:
        stmt = stmt.where(Measure.status == status)
    if department:
        stmt = stmt.where(Measure.department == department)
    stmt = stmt.order_by(Measure.created_at.desc(), Measure.id.desc())
    return db.paginate(
        stmt,
        page=max(page, 1),
        per_page=current_app.config["MEASURES_PER_PAGE"],
        max_per_page=None,
        error_out=False,
    )


def get_measure_or_404(measure_id: int) -> Measure:
    """A measure (all are public); 404 when there is none."""
    measure = db.session.get(Measure, measure_id)
    if measure is None:
        abort(404)
    return measure


def measure_updates(measure: Measure) -> list[MeasureUpdate]:
    """The measure's progress updates, the newest first, with their authors."""
    stmt = (
        select(MeasureUpdate)
        .options(joinedload(MeasureUpdate.created_by))
        .where(MeasureUpdate.measure_id == measure.id)
        .order_by(MeasureUpdate.created_at.desc(), MeasureUpdate.id.desc())
    )
    return list(db.session.scalars(stmt))


def measure_from_governor_question(question: GovernorQuestion) -> Measure | None:
    """The measure announced in the answer to `question`, if there is one."""
    stmt = (
        select(Measure)
        .where(Measure.governor_question_id == question.id)
        .order_by(Measure.id)
        .limit(1)
    )
    return db.session.scalars(stmt).first()


def departments() -> list[str]:
    """The departments responsible for at least one measure, for the list's filter."""
    stmt = (
        select(Measure.department)
        .where(Measure.department.is_not(None))
        .distinct()
        .order_by(Measure.department)
    )
    return list(db.session.scalars(stmt))


def measures_for_idea(idea: Idea) -> list[Measure]:
    """The measures that an idea led to, the oldest first."""
    stmt = (
        select(Measure)
        .join(MeasureLink, MeasureLink.measure_id == Measure.id)
        .where(MeasureLink.idea_id == idea.id)
        .order_by(Measure.created_at, Measure.id)
    )
    return list(db.session.scalars(stmt))


def linked_ideas(measure: Measure) -> list[Idea]:
    """The ideas that led to the measure, in the order they were linked."""
    stmt = (
        select(Idea)
        .join(MeasureLink, MeasureLink.idea_id == Idea.id)
        .where(MeasureLink.measure_id == measure.id)
        .options(joinedload(Idea.author))
        .order_by(MeasureLink.id)
    )
    return list(db.session.scalars(stmt))


def idea_for_measure_or_404(idea_id: int) -> Idea:
    """An idea that may become a measure; 404 when there is none."""
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        abort(404)
    return idea


def decision_or_404(decision_id: int) -> ShortlistDecision:
    """A recorded shortlist decision; 404 when there is none."""
    decision = db.session.get(ShortlistDecision, decision_id)
    if decision is None:
        abort(404)
    return decision


def design_session_or_404(session_id: int) -> DesignSession:
    """A design session; 404 when there is none."""
    session = db.session.get(DesignSession, session_id)
    if session is None:
        abort(404)
    return session
