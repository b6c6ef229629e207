"""Writes of responses: officials move ideas through their statuses, in public.

They flush, log and notify, never commit: the view commits once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.duplicates.queries import coauthors
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.notifications.operations import notify
from ideation.responses.models import (
    CLOSED_TO_RESPONSES,
    RESPONSE_TARGETS,
    UPDATE,
    IdeaResponse,
    IdeaResponseRevision,
)
from ideation.responses.queries import is_allowed, status_label
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role, ensure_role
from ideation.shared.web import link_for

# How much of a response the audit log keeps as the reason.
AUDIT_EXCERPT_CHARS = 200


class ResponseError(DomainError):
    """A refused response; `field` names the form field it concerns."""


def respond_to_ideas(
    ideas: Sequence[Idea],
    actor: User,
    new_status: str,
    response_markdown: str,
    department: str,
    *,
    now: datetime | None = None,
) -> list[IdeaResponse]:
    """Move each idea to `new_status` with one public response; notifies.

    With `new_status` UPDATE each idea keeps its status: the response is a public
    update. All or nothing: an idea that may not make the move refuses the whole
    call, naming it. Several ideas must be of one question; their responses share
    a group key.
    """
    ensure_role(actor, Role.OFFICIAL, _("Only officials can respond to ideas."))
    update = new_status == UPDATE
    new_status = UPDATE if update else _check_status(new_status)
    body = (response_markdown or "").strip()
    department = (department or "").strip()
    _check_text(new_status, body, department)
    ideas = _lock(_one_question(ideas))
    if update:
        _check_updatable(ideas)
    else:
        _check_moves(ideas, new_status)
    now = now or utcnow()
    key = uuid.uuid4().hex if len(ideas) > 1 else None
    responses = []
    for idea in ideas:
        response = IdeaResponse(
            idea_id=idea.id,
            status_from=idea.status,
            status_to=idea.status if update else new_status,
            body=body,
            department=department,
            actor_id=actor.id,
            created_at=now,
            group_key=key,
        )
        db.session.add(response)
        idea.status = response.status_to
        responses.append(response)
    db.session.flush()
    for idea, response in zip(ideas, responses, strict=True):
        record_action(
            actor,
            "idea.update_posted" if update else "idea.status_changed",
            idea,
            reason=body[:AUDIT_EXCERPT_CHARS],
            status_from=response.status_from,
            status_to=response.status_to,
            department=department,
            response_id=response.id,
            group_key=key,
        )
    _notify(ideas, actor, new_status, body)
    return responses


def correct_response(
    response: IdeaResponse,
    actor: User,
    response_markdown: str,
    department: str,
    *,
    now: datetime | None = None,
) -> list[IdeaResponse]:
    """Correct a published response's wording, keeping the earlier one in public.

    A response given to several ideas at once is corrected on each of them.
    """
    ensure_role(actor, Role.OFFICIAL, _("Only officials can correct responses."))
    body = (response_markdown or "").strip()
    department = (department or "").strip()
    _check_text(response.status_to, body, department)
    same = IdeaResponse.id == response.id
    if response.group_key:
        same = IdeaResponse.group_key == response.group_key
    rows = list(
        db.session.scalars(
            select(IdeaResponse)
            .where(same)
            .order_by(IdeaResponse.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    if (body, department) == (response.body, response.department):
        raise ResponseError(
            _("Nothing was changed: edit the text or the department."), "body"
        )
    now = now or utcnow()
    for row in rows:
        db.session.add(
            IdeaResponseRevision(
                response_id=row.id,
                body=row.body,
                department=row.department,
                published_at=row.edited_at or row.created_at,
                replaced_at=now,
                editor_id=actor.id,
            )
        )
        row.body, row.department, row.edited_at = body, department, now
    db.session.flush()
    for row in rows:
        record_action(
            actor,
            "idea.response_corrected",
            row.idea,
            reason=body[:AUDIT_EXCERPT_CHARS],
            response_id=row.id,
            department=department,
        )
    return rows


def _check_status(new_status: str) -> str:
    if new_status not in {s.value for s in RESPONSE_TARGETS}:
        raise ResponseError(_("Choose the idea's new status."), "status")
    return new_status


def _check_text(new_status: str, body: str, department: str) -> None:
    config = current_app.config
    if not body:
        if new_status == IdeaStatus.DECLINED.value:
            raise ResponseError(
                _(
                    "Give the public reason for declining: it is shown on the "
                    "idea's page and sent to its author and supporters."
                ),
                "body",
            )
        raise ResponseError(_("Write the public response."), "body")
    if len(body) > config["RESPONSE_BODY_MAX"]:
        raise ResponseError(
            _("Use at most %(max)d characters.", max=config["RESPONSE_BODY_MAX"]),
            "body",
        )
    if not department:
        raise ResponseError(
            _("Say which department signs the response, e.g. Department of Health."),
            "department",
        )
    if len(department) > config["RESPONSE_DEPARTMENT_MAX"]:
        raise ResponseError(
            _("Use at most %(max)d characters.", max=config["RESPONSE_DEPARTMENT_MAX"]),
            "department",
        )


def _one_question(ideas: Sequence[Idea]) -> list[Idea]:
    ideas = list({idea.id: idea for idea in ideas}.values())
    if not ideas:
        raise ResponseError(_("Tick at least one idea to respond to."), "ideas")
    if len({idea.question_id for idea in ideas}) > 1:
        raise ResponseError(
            _("One response can only answer ideas of the same question."), "ideas"
        )
    return ideas


def _lock(ideas: list[Idea]) -> list[Idea]:
    """Lock the ideas' rows in id order and reload them, so checks see the latest."""
    stmt = (
        select(Idea)
        .where(Idea.id.in_([idea.id for idea in ideas]))
        .order_by(Idea.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(stmt))


def _check_updatable(ideas: list[Idea]) -> None:
    closed = [idea for idea in ideas if idea.status in CLOSED_TO_RESPONSES]
    if closed:
        titles = "; ".join(f"“{idea.title}”" for idea in closed)
        raise ResponseError(
            _(
                "Nothing was published: withdrawn and merged ideas take no "
                "updates: %(ideas)s.",
                ideas=titles,
            ),
            "ideas",
        )


def _check_moves(ideas: list[Idea], new_status: str) -> None:
    refused = [idea for idea in ideas if not is_allowed(idea.status, new_status)]
    if not refused:
        return
    details = "; ".join(
        _("“%(title)s” is %(status)s", title=i.title, status=status_label(i.status))
        for i in refused
    )
    raise ResponseError(
        _(
            "Nothing was changed: these ideas cannot be moved to “%(target)s” "
            "from their current status: %(ideas)s.",
            target=status_label(new_status),
            ideas=details,
        ),
        "ideas",
    )


def _notify(ideas: list[Idea], actor: User, new_status: str, body: str) -> None:
    """Each author (co-authors too) and supporter once, not the actor.

    Someone who wrote or supports several of the ideas (a group or theme answered
    at once) gets one notification that counts them, not one per idea. Every
    notification carries the response itself (`quote`), for the e-mail.
    """
    ideas_of: dict[int, list[Idea]] = {}  # user id -> the ideas, authored first
    authored: set[int] = set()
    for idea in ideas:
        for user_id in (idea.author_id, *(user.id for user in coauthors(idea))):
            ideas_of.setdefault(user_id, []).append(idea)
            authored.add(user_id)
    by_id = {idea.id: idea for idea in ideas}
    rows = db.session.execute(
        select(Support.idea_id, Support.user_id)
        .where(Support.idea_id.in_(list(by_id)))
        .order_by(Support.id)
    )
    for idea_id, user_id in rows:
        if by_id[idea_id] not in ideas_of.setdefault(user_id, []):
            ideas_of[user_id].append(by_id[idea_id])
    ideas_of.pop(actor.id, None)
    # One notify() per distinct message: the same kind, idea and count.
    batches: dict[tuple[str, int, int], list[int]] = {}
    for user_id, their_ideas in ideas_of.items():
        if len(their_ideas) > 1:
            kind = f"idea_status.{new_status}.several"
        elif user_id in authored:
            kind = f"idea_status.{new_status}.author"
        else:
            kind = f"idea_status.{new_status}.supporter"
        batches.setdefault((kind, their_ideas[0].id, len(their_ideas)), []).append(
            user_id
        )
    for (kind, idea_id, count), user_ids in batches.items():
        notify(
            user_ids,
            kind,
            link_for("ideas.show", idea_id=idea_id),
            title=by_id[idea_id].title,
            count=count,
            quote=body,
        )
