"""Writes of moderation: flag, hide, restore, dismiss, block, unblock.

They flush and log, never commit: the view commits once. Every moderator's action
is written to the audit log with its reason; hiding automatically after enough
flags is logged too, with no actor.
"""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.extensions import db
from ideation.moderation.models import Flag, FlagReason
from ideation.moderation.queries import item_endpoint, target_type_of
from ideation.moderation.rules import (
    AlreadyFlagged,
    already_flagged_message,
    ensure_flaggable,
    ensure_may_block,
    ensure_moderator,
)
from ideation.notifications.operations import notify
from ideation.shared.db import lock_row, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.visibility import MODERATED, is_hidden, is_pending_review
from ideation.shared.web import link_for


class ModerationError(DomainError):
    """A refused moderation action; `field` names the form field it concerns."""


def flag_item(item, user: User, reason: str, note: str = "", now=None) -> Flag:
    """Record `user`'s report of an idea or question; hide it pending review once
    FLAGS_TO_HIDE people have open reports on it."""
    target_type = target_type_of(item)
    note = (note or "").strip()
    _check_flag(reason, note)
    # Flags on one item take turns, so two last flags arriving together still
    # hide it once, and later ones see it hidden.
    item = lock_row(item)
    ensure_flaggable(item, target_type, user)
    if _flag_of(target_type, item.id, user) is not None:
        raise AlreadyFlagged(already_flagged_message(target_type))
    now = now or utcnow()
    flag = Flag(
        target_type=target_type,
        target_id=item.id,
        user_id=user.id,
        reason=reason,
        note=note,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError as error:
        # The same person's second request, between the check and the insert.
        raise AlreadyFlagged(already_flagged_message(target_type)) from error
    flags = open_flag_count(target_type, item.id)
    if flags >= current_app.config["FLAGS_TO_HIDE"]:
        _hide_pending_review(item, target_type, flags, now)
    return flag


def hide_item(item, moderator: User, reason: str, now: datetime | None = None):
    """Hide an item from the public with a public reason; resolves its flags."""
    ensure_moderator(moderator)
    reason = _required_reason(reason, _("Give the public reason for hiding it."))
    item = lock_row(item)
    if is_hidden(item) and not is_pending_review(item):
        raise ModerationError(_("This is already hidden by the moderators."))
    now = now or utcnow()
    item.hidden_at = item.hidden_at or now
    item.hidden_reason = reason
    flags = _resolve_open_flags(item, moderator, now)
    target_type = target_type_of(item)
    record_action(moderator, f"{target_type}.hidden", item, reason, flags=flags)
    _notify_author(item, "moderation.hidden", moderator, reason=reason)
    db.session.flush()
    return item


def restore_item(item, moderator: User, reason: str, now: datetime | None = None):
    """Show a hidden item again, saying why in public; resolves its flags."""
    ensure_moderator(moderator)
    reason = _required_reason(reason, _("Give the public reason for restoring it."))
    item = lock_row(item)
    if not is_hidden(item):
        raise ModerationError(_("This is not hidden: there is nothing to restore."))
    was_pending = is_pending_review(item)
    item.hidden_at = None
    item.hidden_reason = None
    flags = _resolve_open_flags(item, moderator, now or utcnow())
    target_type = target_type_of(item)
    record_action(
        moderator,
        f"{target_type}.restored",
        item,
        reason,
        flags=flags,
        was_pending_review=was_pending,
    )
    _notify_author(item, "moderation.restored", moderator, reason=reason)
    db.session.flush()
    return item


def dismiss_flags(item, moderator: User, reason: str = "", now=None) -> int:
    """Close an item's open reports, no action needed; how many were closed."""
    ensure_moderator(moderator)
    reason = (reason or "").strip()
    _check_length(reason, "MODERATION_REASON_MAX", "reason")
    item = lock_row(item)
    if is_hidden(item):
        raise ModerationError(
            _(
                "This is hidden: hide it with a public reason, or restore it. "
                "Its reports cannot just be dismissed."
            )
        )
    flags = _resolve_open_flags(item, moderator, now or utcnow())
    if not flags:
        raise ModerationError(_("There are no open reports to dismiss."))
    target_type = target_type_of(item)
    record_action(
        moderator, f"{target_type}.flags_dismissed", item, reason, flags=flags
    )
    db.session.flush()
    return flags


def block_user(
    account: User,
    moderator: User,
    reason: str,
    now=None,
    *,
    hide_content: bool = False,
) -> User:
    """Block an account: it is logged out and can no longer log in.

    With `hide_content`, everything it published that is still visible (every
    moderated kind: ideas, questions to the governor ...) is hidden too, with the
    same reason: one step against a spammer.
    """
    ensure_may_block(account, moderator)
    reason = _required_reason(reason, _("Give a reason for blocking the account."))
    if account.blocked_at is not None:
        raise ModerationError(
            _("%(name)s is already blocked.", name=account.display_name)
        )
    now = now or utcnow()
    account.blocked_at = now
    account.blocked_reason = reason
    hidden = _hide_everything_of(account, moderator, reason, now) if hide_content else 0
    record_action(moderator, "user.blocked", account, reason, items_hidden=hidden)
    db.session.flush()
    return account


def _hide_everything_of(account: User, moderator: User, reason: str, now) -> int:
    """Hide every visible item `account` wrote; how many. Each is audited; the
    blocked author is not notified of each one (they can no longer log in)."""
    count = 0
    for kind in MODERATED.values():
        model = kind.model
        items = db.session.scalars(
            select(model)
            .where(model.author_id == account.id, model.hidden_at.is_(None))
            .order_by(model.id)
            .with_for_update()
        )
        for item in items:
            item.hidden_at, item.hidden_reason = now, reason
            flags = _resolve_open_flags(item, moderator, now)
            record_action(
                moderator, f"{kind.target_type}.hidden", item, reason, flags=flags
            )
            count += 1
    return count


def unblock_user(account: User, moderator: User, reason: str) -> User:
    """Let a blocked account log in again."""
    ensure_may_block(account, moderator)
    reason = _required_reason(reason, _("Give a reason for unblocking the account."))
    if account.blocked_at is None:
        raise ModerationError(_("%(name)s is not blocked.", name=account.display_name))
    blocked_reason = account.blocked_reason
    account.blocked_at = None
    account.blocked_reason = None
    record_action(
        moderator, "user.unblocked", account, reason, blocked_reason=blocked_reason
    )
    db.session.flush()
    return account


def open_flag_count(target_type: str, target_id: int) -> int:
    """How many people have an open report on the item."""
    return db.session.scalar(
        select(func.count())
        .select_from(Flag)
        .where(
            Flag.target_type == target_type,
            Flag.target_id == target_id,
            Flag.resolved_at.is_(None),
        )
    )


def _check_flag(reason: str, note: str) -> None:
    if reason not in {r.value for r in FlagReason}:
        raise ModerationError(_("Choose why you report it."), field="reason")
    if reason == FlagReason.OTHER.value and not note:
        raise ModerationError(
            _("Say in a few words what is wrong (needed for “Something else”)."),
            field="note",
        )
    _check_length(note, "FLAG_NOTE_MAX", "note")


def _required_reason(reason: str | None, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(message, field="reason")
    _check_length(reason, "MODERATION_REASON_MAX", "reason")
    return reason


def _check_length(text: str, key: str, field: str) -> None:
    limit = current_app.config[key]
    if len(text) > limit:
        raise ModerationError(
            _("Use at most %(max)d characters.", max=limit), field=field
        )


def _hide_pending_review(item, target_type: str, flags: int, now: datetime) -> None:
    if is_hidden(item):
        return
    item.hidden_at = now
    item.hidden_reason = None
    record_action(None, f"{target_type}.auto_hidden", item, flags=flags)
    _notify_author(item, "moderation.hidden_pending", None)


def _resolve_open_flags(item, moderator: User, now: datetime) -> int:
    result = db.session.execute(
        update(Flag)
        .where(
            Flag.target_type == target_type_of(item),
            Flag.target_id == item.id,
            Flag.resolved_at.is_(None),
        )
        .values(resolved_at=now, resolved_by_id=moderator.id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _flag_of(target_type: str, target_id: int, user: User) -> Flag | None:
    return db.session.scalar(
        select(Flag).where(
            Flag.target_type == target_type,
            Flag.target_id == target_id,
            Flag.user_id == user.id,
        )
    )


def _notify_author(item, kind: str, actor: User | None, **params) -> None:
    endpoint, key = item_endpoint(target_type_of(item))
    notify(
        [item.author_id],
        kind,
        link_for(endpoint, **{key: item.id}),
        exclude=[actor],
        title=item.title,
        **params,
    )
