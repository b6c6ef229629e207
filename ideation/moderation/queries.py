"""Reads of moderation: the queue, reports of an item, accounts, the audit log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import abort, current_app
from sqlalchemy import String, and_, func, literal_column, or_, select, union_all
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.auth.queries import normalize_email
from ideation.extensions import db
from ideation.moderation.models import Flag
from ideation.moderation.rules import (
    already_flagged_message,
    can_flag,
    ensure_flaggable,
)
from ideation.shared.errors import DomainError
from ideation.shared.pagination import Page
from ideation.shared.personal_data import iso, rows_of
from ideation.shared.visibility import MODERATED, is_pending_review


def _models() -> list[tuple[str, type]]:
    """(target_type, model) of every kind under moderation (`Feature.moderated`)."""
    return [(kind.target_type, kind.model) for kind in MODERATED.values()]


# Items hidden by a decision are few at a time; the newest are enough.
RECENTLY_HIDDEN_SHOWN = 50
ACCOUNT_SEARCH_SHOWN = 20


def target_type_of(item) -> str:
    """The flag target type of an idea or a question to the governor."""
    for target_type, model in _models():
        if isinstance(item, model):
            return target_type
    raise TypeError(f"{type(item).__name__} cannot be moderated")


def item_endpoint(target_type: str) -> tuple[str, str]:
    """The endpoint of the item's page and the name of its id argument."""
    kind = MODERATED[target_type]
    return kind.endpoint, kind.argument


def get_target_or_404(target_type: str, target_id: int):
    """The idea (of a public question) or question to the governor; 404 otherwise."""
    kind = MODERATED.get(target_type)
    item = db.session.get(kind.model, target_id) if kind is not None else None
    if item is None or not kind.is_public(item):
        abort(404)
    return item


def report_state(target_type: str, item, user: User | None) -> tuple[bool, bool]:
    """(whether `user` reported the item, whether to offer them the report form)."""
    flagged = has_flagged(item, user)
    return flagged, can_flag(item, target_type, user, flagged)


def has_flagged(item, user: User | None) -> bool:
    """Whether `user` has reported the item (open or resolved: one report each)."""
    if user is None or not user.is_authenticated:
        return False
    stmt = select(Flag.id).where(
        Flag.target_type == target_type_of(item),
        Flag.target_id == item.id,
        Flag.user_id == user.id,
    )
    return db.session.scalar(stmt) is not None


# ---- The queue ----


@dataclass
class QueueItem:
    """An item to review: the open reports on it, and whether it is hidden."""

    target_type: str
    item: object  # an idea, a question to the governor
    flags: list[Flag]

    @property
    def key(self) -> str:
        """Unique on the page: form prefixes and anchors."""
        return f"{self.target_type}-{self.item.id}"

    @property
    def pending_review(self) -> bool:
        return is_pending_review(self.item)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """Each reason given and how often, the most frequent first."""
        return Counter(flag.reason for flag in self.flags).most_common()


def _open_flag_counts():
    return (
        select(
            Flag.target_type,
            Flag.target_id,
            func.count().label("flags"),
            func.min(Flag.created_at).label("first_at"),
        )
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.target_type, Flag.target_id)
        .subquery()
    )


def _queue_rows():
    """(target_type, target_id, flags, since) of every item to review.

    An item is to review while it has open reports, or is hidden pending review.
    Joining each table leaves out reports whose item was deleted since.
    """
    counts = _open_flag_counts()
    parts = []
    for target_type, model in _models():
        pending = and_(
            model.hidden_at.is_not(None),
            func.coalesce(model.hidden_reason, "") == "",
        )
        parts.append(
            select(
                # A constant of our own enum, not user input.
                literal_column(f"'{target_type}'", String).label("target_type"),
                model.id.label("target_id"),
                func.coalesce(counts.c.flags, 0).label("flags"),
                func.coalesce(counts.c.first_at, model.hidden_at).label("since"),
            )
            .select_from(model)
            .outerjoin(
                counts,
                and_(
                    counts.c.target_type == target_type,
                    counts.c.target_id == model.id,
                ),
            )
            .where(or_(counts.c.flags > 0, pending))
        )
    return union_all(*parts).subquery()


def pending_count() -> int:
    """How many items await a moderator (the number beside the menu item)."""
    rows = _queue_rows()
    return db.session.scalar(select(func.count()).select_from(rows))


def moderation_queue(page: int) -> Page:
    """One page of items to review, the most reported first, then the oldest."""
    per_page = current_app.config["MODERATION_QUEUE_PER_PAGE"]
    page = max(page, 1)
    rows = _queue_rows()
    total = db.session.scalar(select(func.count()).select_from(rows))
    found = db.session.execute(
        select(rows.c.target_type, rows.c.target_id)
        .order_by(
            rows.c.flags.desc(),
            rows.c.since.asc(),
            rows.c.target_type,
            rows.c.target_id,
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(_queue_items(found), page, per_page, total)


def _queue_items(rows) -> list[QueueItem]:
    ids: dict[str, list[int]] = {target_type: [] for target_type in MODERATED}
    for target_type, target_id in rows:
        ids[target_type].append(target_id)
    items = {
        (target_type, item.id): item
        for target_type, model in _models()
        if ids[target_type]
        for item in db.session.scalars(
            select(model)
            .options(joinedload(model.author))
            .where(model.id.in_(ids[target_type]))
        )
    }
    flags = _open_flags_of(ids)
    queue = []
    for row in rows:
        key = (row.target_type, row.target_id)
        if key in items:  # else deleted since the rows were read
            queue.append(QueueItem(row.target_type, items[key], flags.get(key, [])))
    return queue


def _open_flags_of(ids: dict[str, list[int]]) -> dict[tuple[str, int], list[Flag]]:
    wanted = [
        and_(Flag.target_type == target_type, Flag.target_id.in_(target_ids))
        for target_type, target_ids in ids.items()
        if target_ids
    ]
    if not wanted:
        return {}
    found: dict[tuple[str, int], list[Flag]] = {}
    for flag in db.session.scalars(
        select(Flag)
        .options(joinedload(Flag.user))
        .where(Flag.resolved_at.is_(None), or_(*wanted))
        .order_by(Flag.created_at, Flag.id)
    ):
        found.setdefault((flag.target_type, flag.target_id), []).append(flag)
    return found


def recently_hidden(limit: int = RECENTLY_HIDDEN_SHOWN) -> list[QueueItem]:
    """Items the moderators decided to hide, the most recently hidden first."""
    items = []
    for target_type, model in _models():
        stmt = (
            select(model)
            .options(joinedload(model.author))
            .where(
                model.hidden_at.is_not(None),
                func.coalesce(model.hidden_reason, "") != "",
            )
            .order_by(model.hidden_at.desc(), model.id.desc())
            .limit(limit)
        )
        items += [QueueItem(target_type, item, []) for item in db.session.scalars(stmt)]
    items.sort(key=lambda entry: entry.item.hidden_at, reverse=True)
    return items[:limit]


# ---- Accounts ----


def blocked_accounts() -> list[User]:
    """Every blocked account, the most recently blocked first."""
    stmt = (
        select(User)
        .where(User.blocked_at.is_not(None))
        .order_by(User.blocked_at.desc(), User.id.desc())
    )
    return list(db.session.scalars(stmt))


def search_accounts(
    term: str, whole_addresses: bool = False, limit: int = ACCOUNT_SEARCH_SHOWN
) -> list[User]:
    """Accounts whose name contains `term`, or whose address is `term` (none
    without one); with `whole_addresses` (administrators), whose address contains
    it. Moderators cannot read addresses out letter by letter."""
    term = term.strip()
    if not term:
        return []
    if whole_addresses:
        by_address = User.email.icontains(term, autoescape=True)
    else:
        by_address = User.email == normalize_email(term)
    stmt = (
        select(User)
        .where(or_(User.display_name.icontains(term, autoescape=True), by_address))
        .order_by(func.lower(User.display_name), User.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def flag_refusal(item, user: User) -> str | None:
    """Why `user` cannot report the item (translated), or None when they can."""
    target_type = target_type_of(item)
    if has_flagged(item, user):
        return already_flagged_message(target_type)
    try:
        ensure_flaggable(item, target_type, user)
    except DomainError as error:
        return str(error)
    return None


def personal_data(user: User) -> dict[str, list[dict]]:
    """The reports the account made."""
    return {
        "reports": [
            {
                "target_type": str(flag.target_type),
                "target_id": flag.target_id,
                "reason": str(flag.reason),
                "note": flag.note,
                "created_at": iso(flag.created_at),
                "resolved_at": iso(flag.resolved_at),
            }
            for flag in rows_of(Flag, Flag.user_id == user.id)
        ]
    }
