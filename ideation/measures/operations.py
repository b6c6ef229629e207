"""Writes of measures. They flush and log, never commit: the view commits once."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.duplicates.queries import coauthors
from ideation.extensions import db
from ideation.governor.models import GovernorQuestion
from ideation.governor.queries import participant_ids as question_participant_ids
from ideation.ideas.models import Idea, Support
from ideation.measures.models import Measure, MeasureLink, MeasureStatus, MeasureUpdate
from ideation.measures.queries import IDEA_STATUSES_FOR_MEASURES, linked_ideas
from ideation.notifications.operations import notify
from ideation.sessions.models import DesignSession
from ideation.shared.db import lock_row, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.i18n import local_today
from ideation.shared.roles import Role, ensure_role
from ideation.shared.web import link_for
from ideation.shortlist.models import ShortlistDecision

_NOT_OFFICIAL = _l("Only officials can announce and update measures.")


@dataclass(frozen=True)
class MeasureAnnouncement:
    """What an official announces: title, description, dates, department, budget.

    An answer to the governor may leave out the department, budget and start date;
    a measure created on its own page names its department.
    """

    title: str
    description: str
    target_date: date
    department: str | None = None
    budget_cents: int | None = None
    start_date: date | None = None


def check_announcement(announcement: MeasureAnnouncement, today: date) -> None:
    """Raise DomainError when a field is missing, too long, or the date not ahead."""
    config = current_app.config
    if not announcement.title or not announcement.title.strip():
        raise DomainError(_("Give the measure a title."), "title")
    if not announcement.description or not announcement.description.strip():
        raise DomainError(_("Say what the measure will do."), "description")
    for text, key, field in (
        (announcement.title, "MEASURE_TITLE_MAX", "title"),
        (announcement.description, "MEASURE_DESCRIPTION_MAX", "description"),
        (announcement.department or "", "MEASURE_DEPARTMENT_MAX", "department"),
    ):
        if len(text) > config[key]:
            raise DomainError(
                _("Use at most %(max)d characters.", max=config[key]), field
            )
    if announcement.target_date is None:
        raise DomainError(
            _("Give the date by which the measure is due."), "target_date"
        )
    if announcement.target_date <= today:
        raise DomainError(
            _("The target date must be in the future (after today)."), "target_date"
        )
    start = announcement.start_date
    if start is not None and start > announcement.target_date:
        raise DomainError(
            _("The start date cannot be after the target date."), "start_date"
        )
    budget = announcement.budget_cents
    if budget is not None and not 0 <= budget <= config["MEASURE_BUDGET_MAX_CENTS"]:
        raise DomainError(
            _("Give a budget between zero and %(max)s.", max=_max_budget()), "budget"
        )


def _max_budget() -> str:
    cents = current_app.config["MEASURE_BUDGET_MAX_CENTS"]
    return format_currency(cents / 100, "BRL")


def create_measure(
    creator: User,
    announcement: MeasureAnnouncement,
    *,
    ideas: Sequence[Idea] = (),
    shortlist_decision: ShortlistDecision | None = None,
    design_session: DesignSession | None = None,
    today: date | None = None,
) -> Measure:
    """A measure an official creates from selected ideas, a decision or a session.

    Each source is linked, and so is every idea of a decision or a session, so that
    the people behind those ideas hear of the measure's progress.
    """
    ensure_role(creator, Role.OFFICIAL, _NOT_OFFICIAL)
    ensure_sources(ideas, shortlist_decision, design_session)
    if not announcement.department or not announcement.department.strip():
        raise DomainError(
            _("Name the department responsible for the measure."), "department"
        )
    measure = _new_measure(creator, announcement, today)
    linked: list[Idea] = []
    for idea in [
        *ideas,
        *(shortlist_decision.ideas if shortlist_decision else ()),
        *(design_session.ideas if design_session else ()),
    ]:
        if idea not in linked:
            linked.append(idea)
    links = [MeasureLink(measure=measure, idea=idea) for idea in linked]
    if shortlist_decision is not None:
        links.append(
            MeasureLink(measure=measure, shortlist_decision=shortlist_decision)
        )
    if design_session is not None:
        links.append(MeasureLink(measure=measure, design_session=design_session))
    db.session.add_all(links)
    db.session.flush()
    record_action(
        creator,
        "measure.created",
        measure,
        idea_ids=[idea.id for idea in linked],
        shortlist_decision_id=shortlist_decision.id if shortlist_decision else None,
        design_session_id=design_session.id if design_session else None,
    )
    return measure


def ensure_sources(
    ideas: Sequence[Idea],
    shortlist_decision: ShortlistDecision | None,
    design_session: DesignSession | None,
) -> None:
    """Raise DomainError unless these may lead to a measure: selected ideas (or in
    design), a recorded decision, a session whose outcome is published."""
    if not ideas and shortlist_decision is None and design_session is None:
        raise DomainError(_("Choose what led to the measure."))
    for idea in ideas:
        if idea.status not in IDEA_STATUSES_FOR_MEASURES:
            raise DomainError(
                _(
                    "Only a selected idea, or one in design, can become a measure: "
                    "“%(title)s” is not.",
                    title=idea.title,
                )
            )
    if design_session is not None and not design_session.has_outcome:
        raise DomainError(
            _("A measure comes from a design session once its outcome is published.")
        )


def _new_measure(
    creator: User, announcement: MeasureAnnouncement, today: date | None, **sources
) -> Measure:
    check_announcement(announcement, today or local_today())
    department = announcement.department.strip() if announcement.department else None
    measure = Measure(
        title=announcement.title,
        description=announcement.description,
        target_date=announcement.target_date,
        start_date=announcement.start_date,
        department=department or None,
        budget_cents=announcement.budget_cents,
        progress=0,
        status=MeasureStatus.ANNOUNCED,
        created_by=creator,
        **sources,
    )
    db.session.add(measure)
    db.session.flush()
    return measure


def announce_measure(
    creator: User,
    announcement: MeasureAnnouncement,
    *,
    governor_question: GovernorQuestion | None = None,
    today: date | None = None,
) -> Measure:
    """A new measure, announced by an official, linked to what led to it."""
    ensure_role(creator, Role.OFFICIAL, _NOT_OFFICIAL)
    measure = _new_measure(
        creator, announcement, today, governor_question=governor_question
    )
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
    *,
    progress: int | None = None,
) -> MeasureUpdate:
    """A dated update: the measure's status, its progress (None: unchanged), a note.

    Everyone who took part in what led to the measure is told, once each, with the
    note. Done means done in full: the progress becomes 100.
    """
    ensure_role(official, Role.OFFICIAL, _NOT_OFFICIAL)
    # Locked until commit, so that two updates never interleave.
    measure = lock_row(measure)
    ensure_updatable(measure)
    if status not in measure.next_statuses:
        raise DomainError(_("Choose one of the statuses offered."), "status")
    if not note or not note.strip():
        raise DomainError(_("Write a note: what was done, what changed."), "note")
    if len(note) > current_app.config["MEASURE_NOTE_MAX"]:
        raise DomainError(
            _(
                "Use at most %(max)d characters.",
                max=current_app.config["MEASURE_NOTE_MAX"],
            ),
            "note",
        )
    if progress is not None and not 0 <= progress <= 100:
        raise DomainError(_("Give the progress as a number from 0 to 100."), "progress")
    if status == MeasureStatus.DONE.value:
        progress = 100
    elif progress is None:
        progress = measure.progress
    now = now or utcnow()
    previous, previous_progress = measure.status, measure.progress
    update = MeasureUpdate(
        measure=measure,
        status=status,
        progress=progress,
        note=note,
        created_by=official,
        created_at=now,
    )
    db.session.add(update)
    measure.status = status
    measure.progress = progress
    measure.updated_at = now
    db.session.flush()
    record_action(
        official,
        "measure.updated",
        measure,
        status=status,
        previous=previous,
        progress=progress,
        previous_progress=previous_progress,
    )
    _notify_participants(measure, official, previous, previous_progress, note)
    return update


def ensure_updatable(measure: Measure) -> None:
    """Raise DomainError when the measure is done or cancelled: its record is final."""
    if measure.status == MeasureStatus.DONE.value:
        raise DomainError(_("This measure is done: it can no longer be updated."))
    if measure.status == MeasureStatus.CANCELLED.value:
        raise DomainError(_("This measure was cancelled: it can no longer be updated."))


def _notify_participants(
    measure: Measure, actor: User, previous: str, previous_progress: int, note: str
) -> None:
    """Everyone who took part, once each however many links lead to them."""
    if measure.status != previous:
        kind = f"measure.{measure.status}"
    elif measure.progress != previous_progress:
        kind = "measure.progress"
    else:
        kind = "measure.news"
    notify(
        _participant_ids(measure),
        kind,
        link_for("measures.show", measure_id=measure.id),
        exclude=[actor],
        title=measure.title,
        progress=measure.progress,
        quote=note,
    )


def _participant_ids(measure: Measure) -> list[int]:
    """Everyone who took part in what led to the measure, each once.

    Authors and co-authors of the linked ideas, then their supporters; the asker
    and supporters of the question whose answer announced it, and of any linked
    question to the governor.
    """
    found: dict[int, None] = {}
    ideas = linked_ideas(measure)
    for idea in ideas:
        found.setdefault(idea.author_id)
        for user in coauthors(idea):
            found.setdefault(user.id)
    if ideas:
        supporters = db.session.scalars(
            select(Support.user_id)
            .where(Support.idea_id.in_([idea.id for idea in ideas]))
            .order_by(Support.id)
        )
        for user_id in supporters:
            found.setdefault(user_id)
    questions = [measure.governor_question] if measure.governor_question else []
    questions += [link.governor_question for link in measure.links]
    for question in questions:
        if question is not None:
            for user_id in question_participant_ids(question):
                found.setdefault(user_id)
    return list(found)
