"""Reads of measures."""

from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ideation.extensions import db
from ideation.governor.models import GovernorQuestion
from ideation.measures.models import Measure, MeasureStatus, MeasureUpdate

STATUS_LABELS = {
    MeasureStatus.ANNOUNCED.value: _l("Announced"),
    MeasureStatus.IN_PROGRESS.value: _l("In progress"),
    MeasureStatus.DONE.value: _l("Done"),
    MeasureStatus.CANCELLED.value: _l("Cancelled"),
}


def status_label(status: str) -> str:
    """A measure status in the reader's language."""
    return str(STATUS_LABELS.get(status, status))


def measures(page: int, status: str | None = None) -> Pagination:
    """One page of measures, the most recently announced first; maybe one status."""
    stmt = select(Measure).options(joinedload(Measure.governor_question))
    if status in STATUS_LABELS:
        stmt = stmt.where(Measure.status == status)
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
