"""Writes of the shortlist board: the shortlist, its private notes, the decision.

They flush and log, never commit: the view commits once. Notes are private, so the
audit log says that a note changed, never what it says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import UNLISTED_IDEA_STATUSES, Idea, IdeaStatus
from ideation.questions.models import Question
from ideation.responses.operations import respond_to_ideas
from ideation.shared.db import dialect_insert, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role, ensure_role
from ideation.shortlist.models import ShortlistDecision, ShortlistEntry

_NOT_OFFICIAL = _l("Only officials can change the shortlist.")
_NOT_GOVERNORS_OFFICE = _l("Only the governor's office can record the decision.")


class ShortlistError(DomainError):
    """A refused shortlist change or decision; `field` names the form field."""


def add_to_shortlist(
    idea: Idea, actor: User, now: datetime | None = None
) -> ShortlistEntry:
    """Put a listed idea on its question's shortlist (once: again changes nothing)."""
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL)
    if idea.status in UNLISTED_IDEA_STATUSES:
        raise ShortlistError(
            _(
                "“%(title)s” is no longer listed: it cannot be shortlisted.",
                title=idea.title,
            )
        )
    # Two officials adding the same idea at once: the unique idea_id keeps one row.
    added = db.session.scalar(
        dialect_insert(ShortlistEntry)
        .values(
            question_id=idea.question_id,
            idea_id=idea.id,
            added_by_id=actor.id,
            added_at=now or utcnow(),
            note="",
        )
        .on_conflict_do_nothing(index_elements=["idea_id"])
        .returning(ShortlistEntry.id)
    )
    if added is not None:
        record_action(actor, "shortlist.added", idea, question_id=idea.question_id)
    return db.session.scalars(
        select(ShortlistEntry).where(ShortlistEntry.idea_id == idea.id)
    ).one()


def remove_from_shortlist(idea: Idea, actor: User) -> bool:
    """Take the idea off the shortlist, with its note; False if it was not on it."""
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL)
    removed = db.session.execute(
        delete(ShortlistEntry).where(ShortlistEntry.idea_id == idea.id)
    ).rowcount
    if removed:
        record_action(actor, "shortlist.removed", idea, question_id=idea.question_id)
    return bool(removed)


def update_note(
    entry: ShortlistEntry, actor: User, note: str, now: datetime | None = None
) -> ShortlistEntry:
    """Replace the private note of a shortlisted idea (empty clears it)."""
    ensure_role(actor, Role.OFFICIAL, _NOT_OFFICIAL)
    note = (note or "").strip()
    limit = current_app.config["SHORTLIST_NOTE_MAX"]
    if len(note) > limit:
        raise ShortlistError(
            _(
                "Use at most %(max)d characters (you typed %(length)d).",
                max=limit,
                length=len(note),
            ),
            "note",
        )
    entry.note = note
    entry.note_updated_at = now or utcnow()
    db.session.flush()
    record_action(actor, "shortlist.note_updated", entry.idea)
    return entry


@dataclass(frozen=True)
class SelectionResponse:
    """The public response that moves the chosen ideas to "selected"."""

    body: str
    department: str


def record_decision(
    question: Question,
    actor: User,
    ideas: Sequence[Idea],
    reason: str,
    *,
    selection: SelectionResponse | None = None,
    now: datetime | None = None,
) -> ShortlistDecision:
    """Record the governor's office's choice among the shortlisted ideas, and why.

    With `selection`, the chosen ideas also move to "selected" with that public
    response (all or nothing, like any response).
    """
    ensure_role(actor, Role.ADMIN, _NOT_GOVERNORS_OFFICE)
    reason = (reason or "").strip()
    if not reason:
        raise ShortlistError(
            _("Say why these ideas were chosen: the reason is kept with the decision."),
            "reason",
        )
    limit = current_app.config["DECISION_REASON_MAX"]
    if len(reason) > limit:
        raise ShortlistError(_("Use at most %(max)d characters.", max=limit), "reason")
    ideas = list({idea.id: idea for idea in ideas}.values())
    _check_chosen(question, ideas)
    now = now or utcnow()
    if selection is not None:
        respond_to_ideas(
            ideas,
            actor,
            IdeaStatus.SELECTED.value,
            selection.body,
            selection.department,
            now=now,
        )
    decision = ShortlistDecision(
        question_id=question.id,
        decided_by_id=actor.id,
        decided_at=now,
        reason=reason,
        ideas=ideas,
    )
    db.session.add(decision)
    db.session.flush()
    record_action(
        actor,
        "shortlist.decided",
        decision,
        reason=reason,
        question_id=question.id,
        idea_ids=[idea.id for idea in ideas],
        selected=selection is not None,
    )
    return decision


def _check_chosen(question: Question, ideas: list[Idea]) -> None:
    if not ideas:
        raise ShortlistError(_("Tick the ideas the decision chooses."), "ideas")
    on_shortlist = set(
        db.session.scalars(
            select(ShortlistEntry.idea_id).where(
                ShortlistEntry.question_id == question.id
            )
        )
    )
    outside = [idea for idea in ideas if idea.id not in on_shortlist]
    if outside:
        raise ShortlistError(
            _(
                "Only shortlisted ideas of this question can be chosen: %(titles)s.",
                titles=", ".join(f"“{idea.title}”" for idea in outside),
            ),
            "ideas",
        )
