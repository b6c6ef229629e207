"""Writes of the duplicate inbox: "not duplicates", merge and undo.

They flush, never commit: the view commits once.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.duplicates.jobs import schedule_duplicate_scan
from ideation.duplicates.models import (
    DuplicateCandidate,
    DuplicateDismissal,
    IdeaMerge,
    MergedSupport,
)
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.notifications.operations import notify
from ideation.shared.db import dialect_insert, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role, ensure_role
from ideation.shared.visibility import is_hidden
from ideation.shared.web import link_for


class MergeError(DomainError):
    """A refused merge or undo; `field` names the form field it concerns."""


def dismiss_pair(idea_a: Idea, idea_b: Idea, actor: User) -> DuplicateDismissal:
    """Remember that two ideas are not duplicates, so they are never suggested again."""
    ensure_role(actor, Role.MODERATOR, _("Only moderators and officials can do this."))
    if idea_a.id == idea_b.id or idea_a.question_id != idea_b.question_id:
        raise DomainError(_("These two ideas cannot be compared."))
    a, b = sorted((idea_a.id, idea_b.id))
    added = db.session.scalar(
        dialect_insert(DuplicateDismissal)
        .values(idea_a_id=a, idea_b_id=b, actor_id=actor.id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["idea_a_id", "idea_b_id"])
        .returning(DuplicateDismissal.id)
    )
    db.session.execute(
        delete(DuplicateCandidate).where(
            DuplicateCandidate.idea_a_id == a, DuplicateCandidate.idea_b_id == b
        )
    )
    dismissal = db.session.scalars(
        select(DuplicateDismissal).where(
            DuplicateDismissal.idea_a_id == a, DuplicateDismissal.idea_b_id == b
        )
    ).one()
    if added is not None:  # a second click records nothing new
        record_action(actor, "duplicates.dismissed", dismissal, idea_a=a, idea_b=b)
    return dismissal


# -- merge and undo --------------------------------------------------------------------


def merge_ideas(
    source: Idea, target: Idea, actor: User, reason: str, now: datetime | None = None
) -> IdeaMerge:
    """Merge `source` into `target`: its supports move over, nobody counted twice."""
    ensure_role(actor, Role.MODERATOR, _("Only moderators and officials can do this."))
    reason = _required_reason(reason)
    source, target = _lock_ideas(source, target)
    _ensure_mergeable(source, target)
    now = now or utcnow()
    merge = IdeaMerge(
        source_id=source.id,
        target_id=target.id,
        actor_id=actor.id,
        reason=reason,
        source_status_before=source.status,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(merge)
    except IntegrityError:
        # One active merge per source: another got in first, unseen (only if the
        # row locks were bypassed). Said like the check above, not a server error.
        if _active_merge_of(source) is None:
            raise
        raise MergeError(
            _("“%(title)s” is already merged into another idea.", title=source.title)
        ) from None

    supports = db.session.execute(
        select(Support.user_id, Support.created_at).where(Support.idea_id == source.id)
    ).all()
    on_target = _supporter_ids(target)
    # The target's author cannot support their own idea: their support stays behind,
    # recorded for undo, like that of someone who supported both.
    moved = [
        (user_id, created_at)
        for user_id, created_at in supports
        if user_id not in on_target and user_id != target.author_id
    ]
    moved_ids = {user_id for user_id, _ in moved}
    if supports:
        db.session.execute(
            insert(MergedSupport),
            [
                {
                    "merge_id": merge.id,
                    "user_id": user_id,
                    "created_at": created_at,
                    "added_to_target": user_id in moved_ids,
                }
                for user_id, created_at in supports
            ],
        )
    if moved:
        # The target row is locked, so nobody adds a support meanwhile; DO NOTHING
        # is the schema's guarantee on top.
        db.session.execute(
            dialect_insert(Support)
            .values(
                [
                    {"idea_id": target.id, "user_id": user_id, "created_at": created}
                    for user_id, created in moved
                ]
            )
            .on_conflict_do_nothing(index_elements=["idea_id", "user_id"])
        )
    db.session.execute(delete(Support).where(Support.idea_id == source.id))
    source.status = IdeaStatus.MERGED.value
    source.merged_into_id = target.id
    db.session.flush()
    _recount(source, target)

    record_action(
        actor,
        "idea.merged",
        source,
        reason,
        merge_id=merge.id,
        target_id=target.id,
        supports_moved=len(moved),
        supporters_of_both=len(supports) - len(moved),
    )
    _notify_merge(merge, source, target, actor, "merge", link_to=target)
    return merge


def merge_into(
    target: Idea, sources: list[Idea], actor: User, reason: str
) -> list[IdeaMerge]:
    """Merge each of `sources` into `target`, in one transaction."""
    ensure_role(actor, Role.MODERATOR, _("Only moderators and officials can do this."))
    _required_reason(reason)
    # Every row locked up front in id order: merging one pair at a time would take
    # the target's lock before some sources', against the order.
    _lock_ideas(target, *sources)
    return [merge_ideas(source, target, actor, reason) for source in sources]


def undo_merge(
    merge: IdeaMerge, actor: User, reason: str, now: datetime | None = None
) -> IdeaMerge:
    """Undo a merge (admins): every support goes back exactly as it was."""
    ensure_role(actor, Role.ADMIN, _("Only an administrator can undo a merge."))
    reason = _required_reason(reason)
    merge = db.session.scalars(
        select(IdeaMerge)
        .where(IdeaMerge.id == merge.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if not merge.is_active:
        raise MergeError(_("This merge was already undone."))
    source, target = _lock_ideas(merge.source, merge.target)
    if target.is_merged:
        # Its supports went on to another idea: that merge must be undone first.
        raise MergeError(
            _(
                "“%(title)s” was itself merged since: undo that merge first.",
                title=target.title,
            )
        )
    if source.merged_into_id != target.id:  # only if the schema was bypassed
        raise MergeError(_("This merge can no longer be undone."))

    added_by_merge = select(MergedSupport.user_id).where(
        MergedSupport.merge_id == merge.id, MergedSupport.added_to_target.is_(True)
    )
    removed = db.session.execute(
        delete(Support).where(
            Support.idea_id == target.id, Support.user_id.in_(added_by_merge)
        )
    ).rowcount
    originals = db.session.execute(
        select(MergedSupport.user_id, MergedSupport.created_at).where(
            MergedSupport.merge_id == merge.id
        )
    ).all()
    if originals:
        db.session.execute(
            insert(Support),
            [
                {"idea_id": source.id, "user_id": user_id, "created_at": created_at}
                for user_id, created_at in originals
            ],
        )
    source.status = merge.source_status_before
    source.merged_into_id = None
    merge.undone_at = now or utcnow()
    merge.undone_by_id = actor.id
    db.session.flush()
    _recount(source, target)

    record_action(
        actor,
        "idea.merge_undone",
        source,
        reason,
        merge_id=merge.id,
        target_id=target.id,
        supports_restored=len(originals),
        supports_removed_from_target=removed or 0,
    )
    _notify_merge(merge, source, target, actor, "merge_undone", link_to=source)
    # A scan while the idea was merged left it out of the suggestions: bring it back.
    schedule_duplicate_scan(source.question_id)
    return merge


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MergeError(_("Give a reason (it is kept in the audit log)."), "reason")
    return reason


def _ensure_mergeable(source: Idea, target: Idea) -> None:
    if source.id == target.id:
        raise MergeError(_("An idea cannot be merged into itself."))
    if source.question_id != target.question_id:
        raise MergeError(_("Only ideas of the same question can be merged."))
    for idea in (source, target):
        if idea.is_merged:
            raise MergeError(
                _("“%(title)s” is already merged into another idea.", title=idea.title)
            )
        if idea.is_withdrawn:
            raise MergeError(
                _("“%(title)s” was withdrawn by its author.", title=idea.title)
            )


def _active_merge_of(source: Idea) -> int | None:
    return db.session.scalar(
        select(IdeaMerge.id).where(
            IdeaMerge.source_id == source.id, IdeaMerge.undone_at.is_(None)
        )
    )


def _lock_ideas(*ideas: Idea) -> list[Idea]:
    """Lock the ideas' rows, always in id order (no deadlock), and reload them."""
    ids = [idea.id for idea in ideas]
    stmt = (
        select(Idea)
        .where(Idea.id.in_(ids))
        .order_by(Idea.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    locked = {idea.id: idea for idea in db.session.scalars(stmt)}
    return [locked[idea_id] for idea_id in ids]


def _supporter_ids(idea: Idea) -> set[int]:
    return set(
        db.session.scalars(select(Support.user_id).where(Support.idea_id == idea.id))
    )


def _recount(*ideas: Idea) -> None:
    """Set each idea's support_count to its number of Support rows, in SQL."""
    for idea in ideas:
        rows = (
            select(func.count(Support.id))
            .where(Support.idea_id == idea.id)
            .scalar_subquery()
        )
        db.session.execute(
            update(Idea)
            .where(Idea.id == idea.id)
            .values(support_count=rows)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(idea, ["support_count"])


def _notify_merge(
    merge: IdeaMerge,
    source: Idea,
    target: Idea,
    actor: User,
    prefix: str,
    link_to: Idea,
) -> None:
    """Tell both authors and every supporter of either idea, in the app."""
    link = link_for("ideas.show", idea_id=link_to.id)
    notify(
        [source.author_id],
        f"{prefix}.source_author",
        link,
        exclude=[actor],
        **_titles(source, target, source.author_id),
    )
    authors = {source.author_id, target.author_id}
    notify(
        [target.author_id],
        f"{prefix}.target_author",
        link,
        exclude=[actor, source.author_id],
        **_titles(source, target, target.author_id),
    )
    supporters = set(
        db.session.scalars(
            select(Support.user_id).where(Support.idea_id.in_([source.id, target.id]))
        )
    )
    supporters |= set(
        db.session.scalars(
            select(MergedSupport.user_id).where(MergedSupport.merge_id == merge.id)
        )
    )
    notify(
        sorted(supporters - authors),
        f"{prefix}.supporter",
        link,
        exclude=[actor],
        **_titles(source, target),
    )


def _titles(source: Idea, target: Idea, reader_id: int | None = None) -> dict:
    """The titles a notification names: a hidden idea's only for its own author,
    as on its page (without it, the message says "…")."""
    return {
        key: idea.title
        for key, idea in (("source", source), ("target", target))
        if not is_hidden(idea) or idea.author_id == reader_id
    }
