"""Who may flag, moderate, block, and see a hidden item: checks that raise, and
their yes/no forms.

Whether an account is blocked is the account's own state (ideation.auth.rules);
who sees a hidden item is shared (ideation.shared.visibility).
"""

from flask_babel import gettext as _

from ideation.auth.models import User
from ideation.auth.rules import ensure_email_confirmed, ensure_not_blocked
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import ROLE_RANK, Role, ensure_role
from ideation.shared.visibility import is_hidden


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def ensure_moderator(user: User) -> None:
    """Raise PermissionDenied unless `user` is a moderator or more powerful."""
    ensure_role(user, Role.MODERATOR, _("Only moderators can do this."))


def ensure_may_block(account: User, actor: User) -> None:
    """Raise unless `actor` may block or unblock `account`.

    Moderators and up; never oneself; never a more powerful account (so only an
    administrator can block an administrator).
    """
    ensure_moderator(actor)
    if account.id == actor.id:
        raise DomainError(_("You cannot block or unblock your own account."))
    if ROLE_RANK[Role(account.role)] > ROLE_RANK[Role(actor.role)]:
        raise PermissionDenied(
            _("Only an administrator can block or unblock this account.")
        )


def can_block(account: User, actor: User | None) -> bool:
    """Whether to offer `actor` the block (or unblock) form for `account`."""
    if not _signed_in(actor):
        return False
    try:
        ensure_may_block(account, actor)
    except DomainError:
        return False
    return True


class AlreadyFlagged(DomainError):
    """The person has reported this item before (one flag per person per item)."""


def _per_target(target_type: str, idea: str, question: str, comment: str) -> str:
    return {"idea": idea, "comment": comment}.get(target_type, question)


def ensure_flaggable(item, target_type: str, user: User) -> None:
    """Raise DomainError unless `user` may report the item now.

    Only a confirmed address may report: accounts made up by the dozen would
    otherwise hide anything (FLAGS_TO_HIDE reports hide an item pending review).
    """
    ensure_not_blocked(user)
    ensure_email_confirmed(user)
    if item.author_id == user.id:
        raise DomainError(
            _per_target(
                target_type,
                _("You cannot report your own idea."),
                _("You cannot report your own question."),
                _("You cannot report your own comment."),
            )
        )
    if is_hidden(item):
        raise DomainError(
            _per_target(
                target_type,
                _("This idea is already hidden: the moderators are looking at it."),
                _("This question is already hidden: the moderators are looking at it."),
                _("This comment is already hidden: the moderators are looking at it."),
            )
        )


def already_flagged_message(target_type: str) -> str:
    return _per_target(
        target_type,
        _("You have already reported this idea. The moderators will look at it."),
        _("You have already reported this question. The moderators will look at it."),
        _("You have already reported this comment. The moderators will look at it."),
    )


def can_flag(item, target_type: str, user: User | None, flagged: bool) -> bool:
    """Whether to offer `user` the report form (not when they reported it already)."""
    if not _signed_in(user) or flagged:
        return False
    try:
        ensure_flaggable(item, target_type, user)
    except DomainError:
        return False
    return True
