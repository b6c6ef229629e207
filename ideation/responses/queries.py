"""Reads of responses: status labels, an idea's timeline, the ideas a group answer
concerns (a duplicate group, a theme)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ideation.auth.models import User
from ideation.duplicates.queries import waiting_pairs
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, listed_idea
from ideation.questions.models import Question
from ideation.responses.models import (
    CLOSED_TO_RESPONSES,
    TRANSITIONS,
    UPDATE,
    IdeaResponse,
)
from ideation.shared.web import as_id
from ideation.themes.models import IdeaTheme, Theme

STATUS_LABELS = {
    IdeaStatus.SUBMITTED.value: _l("Submitted"),
    IdeaStatus.UNDER_REVIEW.value: _l("Under review"),
    IdeaStatus.SHORTLISTED.value: _l("Shortlisted"),
    IdeaStatus.SELECTED.value: _l("Selected"),
    IdeaStatus.IN_DESIGN.value: _l("In design"),
    IdeaStatus.IMPLEMENTED.value: _l("Implemented"),
    IdeaStatus.DECLINED.value: _l("Declined"),
    IdeaStatus.WITHDRAWN.value: _l("Withdrawn"),
    IdeaStatus.MERGED.value: _l("Merged"),
}


def status_label(status: str) -> str:
    """An idea status in the reader's language."""
    return str(STATUS_LABELS.get(status, status))


def menu_label(choice: str) -> str:
    """A choice of the status menu: a status, or "no change"."""
    if choice == UPDATE:
        return str(_l("No change: post a public update"))
    return status_label(choice)


def allowed_targets(status: str) -> tuple[str, ...]:
    """The statuses an official may move an idea to from `status`, in table order."""
    try:
        return tuple(s.value for s in TRANSITIONS[IdeaStatus(status)])
    except ValueError:
        return ()


def menu_choices(statuses: Iterable[str]) -> tuple[str, ...]:
    """What the status menu offers ideas in `statuses`: their moves, and UPDATE (no
    change) when at least one of them still takes responses."""
    statuses = list(statuses)
    moves = {target for status in statuses for target in allowed_targets(status)}
    ordered = tuple(s.value for s in IdeaStatus if s.value in moves)
    closed = {s.value for s in CLOSED_TO_RESPONSES}
    if any(status not in closed for status in statuses):
        return (UPDATE, *ordered)
    return ordered


def is_allowed(status_from: str, status_to: str) -> bool:
    """Whether the transition table lets an official make this move."""
    return status_to in allowed_targets(status_from)


def targets_for(ideas: Iterable[Idea]) -> tuple[str, ...]:
    """What the menu offers for `ideas`: see menu_choices."""
    return menu_choices(idea.status for idea in ideas)


# -- the timeline ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One response on an idea's page, and how many other ideas it also answered."""

    response: IdeaResponse
    shared_with: int


def get_response_or_404(response_id: int) -> IdeaResponse:
    """A published response; 404 when there is none."""
    return db.get_or_404(IdeaResponse, response_id)


def shared_with(response: IdeaResponse) -> int:
    """How many other ideas the same response answered (its group)."""
    if not response.group_key:
        return 0
    stmt = select(func.count()).where(IdeaResponse.group_key == response.group_key)
    return db.session.scalar(stmt) - 1


def timeline(idea: Idea) -> list[TimelineEntry]:
    """The idea's responses, oldest first (a dated history)."""
    responses = list(
        db.session.scalars(
            select(IdeaResponse)
            .options(selectinload(IdeaResponse.revisions))
            .where(IdeaResponse.idea_id == idea.id)
            .order_by(IdeaResponse.created_at, IdeaResponse.id)
        )
    )
    keys = {r.group_key for r in responses if r.group_key}
    sizes = {}
    if keys:
        sizes = dict(
            db.session.execute(
                select(IdeaResponse.group_key, func.count())
                .where(IdeaResponse.group_key.in_(keys))
                .group_by(IdeaResponse.group_key)
            ).all()
        )
    return [TimelineEntry(r, max(sizes.get(r.group_key, 1) - 1, 0)) for r in responses]


def last_department(user: User) -> str:
    """The department `user` signed their last response with, else the default."""
    department = db.session.scalar(
        select(IdeaResponse.department)
        .where(IdeaResponse.actor_id == user.id)
        .order_by(IdeaResponse.created_at.desc(), IdeaResponse.id.desc())
        .limit(1)
    )
    return department or current_app.config["DEFAULT_DEPARTMENT"]


# -- the ideas a group answer concerns -------------------------------------------------


def duplicate_components(question: Question) -> list[list[int]]:
    """The question's duplicate groups as sorted id lists: ideas connected by
    suggested pairs nobody dismissed, as in the duplicate inbox."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in waiting_pairs(question):
        parent[root(a)] = root(b)
    members: dict[int, list[int]] = {}
    for idea_id in list(parent):
        members.setdefault(root(idea_id), []).append(idea_id)
    return [sorted(ids) for ids in members.values()]


def group_key(ids: Iterable[int]) -> str:
    """The key the duplicate inbox gives a group: its sorted ids joined by "-"."""
    return "-".join(str(i) for i in sorted(ids))


def parse_group_key(key: str | None) -> list[int]:
    """The idea ids of a group key ("3-5-9"); [] when it is not one."""
    ids = [as_id(part) for part in (key or "").split("-") if part]
    return [] if None in ids else ids


def group_ideas(question: Question, key: str | None) -> list[Idea]:
    """The listed ideas of the duplicate group(s) the key's ideas are in now.

    Groups change as suggestions are dismissed and ideas merged; a link keeps
    working as long as one of its ideas is still in a group.
    """
    wanted = set(parse_group_key(key))
    ids = {
        idea_id
        for component in duplicate_components(question)
        if wanted.intersection(component)
        for idea_id in component
    }
    return _listed_ideas(question, ids)


def theme_of_question(question: Question, theme_id: int | None) -> Theme | None:
    """The question's theme with this id, or None (another question's is not one)."""
    if theme_id is None:
        return None
    return db.session.scalar(
        select(Theme).where(Theme.id == theme_id, Theme.question_id == question.id)
    )


def theme_ideas(theme: Theme) -> list[Idea]:
    """The theme's ideas that are still listed."""
    ids = db.session.scalars(
        select(IdeaTheme.idea_id).where(IdeaTheme.theme_id == theme.id)
    )
    return _listed_ideas(db.session.get(Question, theme.question_id), set(ids))


def _listed_ideas(question: Question, ids: set[int]) -> list[Idea]:
    """Those of `ids` that are listed ideas of the question, most supported first."""
    if not ids:
        return []
    stmt = (
        select(Idea)
        .options(joinedload(Idea.author))
        .where(Idea.id.in_(ids), Idea.question_id == question.id)
        .where(listed_idea())
        .order_by(Idea.support_count.desc(), Idea.id)
    )
    return list(db.session.scalars(stmt))
