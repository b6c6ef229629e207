"""Writes of measures. They flush and log, never commit: the view commits once."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.extensions import db
from ideation.governor.models import GovernorQuestion
from ideation.governor.queries import participant_ids
from ideation.measures.models import Measure, MeasureStatus, MeasureUpdate
from ideation.notifications.operations import notify
from ideation.shared.db import lock_row, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.i18n import local_today
from ideation.shared.roles import Role, ensure_role
from ideation.shared.web import link_for

_NOT_OFFICIAL = _l("Only officials can announce and update measures.")


@dataclass(frozen=True)
class MeasureAnnouncement:
    """What an official announces: a measure's title, description and target date."""

    title: str
    description: str
    target_date: date


def check_announcement(announcement: MeasureAnnouncement, today: date) -> None:
    """Raise DomainError when a field is missing, too long, or the date not ahead."""
    config = current_app.config
    if not announcement.title or not announcement.title.strip():
        raise DomainError(_("Give the measure a title."))
    if not announcement.description or not announcement.description.strip():
        raise DomainError(_("Say what the measure will do."))
    for text, key in (
        (announcement.title, "MEASURE_TITLE_MAX"),
        (announcement.description, "MEASURE_DESCRIPTION_MAX"),
    ):
        if len(text) > config[key]:
            raise DomainError(_("Use at most %(max)d characters.", max=config[key]))
    if announcement.target_date is None:
        raise DomainError(_("Give the date by which the measure is due."))
    if announcement.target_date <= today:
        raise DomainError(_("The target date must be in the future (after today)."))


def announce_measure(
    creator: User,
    announcement: MeasureAnnouncement,
    *,
    governor_question: GovernorQuestion | None = None,
    today: date | None = None,
) -> Measure:
    """A new measure, announced by an official, linked to what led to it."""
    ensure_role(creator, Role.OFFICIAL, _NOT_OFFICIAL)
    check_announcement(announcement, today or local_today())
    measure = Measure(
        title=announcement.title,
        description=announcement.description,
        target_date=announcement.target_date,
        status=MeasureStatus.ANNOUNCED,
        governor_question=governor_question,
        created_by=creator,
    )
    db.session.add(measure)
    db.session.flush()
    record_action(
        creator,
        "measure.announced",
        measure,
        governor_question_id=governor_question.id if governor_question else None,
    )
    return measure


def post_measure_update(
    measure: Measure,
    official: User,
    status: str,
    note: str,
    now: datetime | None = None,
) -> MeasureUpdate:
    """A dated progress update: the measure's new status and a note; notifies."""
    ensure_role(official, Role.OFFICIAL, _NOT_OFFICIAL)
    # Locked until commit, so that two updates never interleave.
    measure = lock_row(measure)
    ensure_updatable(measure)
    if status not in measure.next_statuses:
        raise DomainError(_("Choose one of the statuses offered."))
    if not note or not note.strip():
        raise DomainError(_("Write a note: what was done, what changed."))
    if len(note) > current_app.config["MEASURE_NOTE_MAX"]:
        raise DomainError(
            _(
                "Use at most %(max)d characters.",
                max=current_app.config["MEASURE_NOTE_MAX"],
            )
        )
    now = now or utcnow()
    previous = measure.status
    update = MeasureUpdate(
        measure=measure, status=status, note=note, created_by=official, created_at=now
    )
    db.session.add(update)
    measure.status = status
    measure.updated_at = now
    db.session.flush()
    record_action(
        official, "measure.updated", measure, status=status, previous=previous
    )
    _notify_participants(measure, official, previous)
    return update


def ensure_updatable(measure: Measure) -> None:
    """Raise DomainError when the measure is done or cancelled: its record is final."""
    if measure.status == MeasureStatus.DONE.value:
        raise DomainError(_("This measure is done: it can no longer be updated."))
    if measure.status == MeasureStatus.CANCELLED.value:
        raise DomainError(_("This measure was cancelled: it can no longer be updated."))


def _notify_participants(measure: Measure, actor: User, previous: str) -> None:
    """Tell the people whose question led to the measure (asker and supporters)."""
    if measure.governor_question_id is None:
        return
    kind = "measure.news" if measure.status == previous else f"measure.{measure.status}"
    notify(
        participant_ids(measure.governor_question),
        kind,
        link_for("measures.show", measure_id=measure.id),
        exclude=[actor],
        title=measure.title,
    )
