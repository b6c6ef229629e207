"""Who may do what to an idea, and when: checks that raise, and their yes/no forms.

Operations call the `ensure_*` checks before writing; views and templates ask the
`can_*` forms to decide which buttons to show, so both always agree.
"""

from datetime import datetime

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _

from ideation.auth.models import User
from ideation.auth.rules import ensure_email_confirmed, ensure_not_blocked
from ideation.ideas.models import Idea, IdeaStatus
from ideation.questions.models import Question, QuestionStatus
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.visibility import is_hidden

# Once officials have shortlisted an idea, work on it has started, so its author
# can no longer take it back.
WITHDRAWABLE_STATUSES = frozenset(
    {IdeaStatus.SUBMITTED.value, IdeaStatus.UNDER_REVIEW.value}
)


def _not_open_message(question: Question, now: datetime, closed: str) -> str:
    """`closed`, unless the question is published but its opening date is ahead."""
    published = question.status == QuestionStatus.PUBLISHED.value
    if published and question.opens_at and now < question.opens_at:
        return _(
            "This question opens on %(date)s.", date=format_datetime(question.opens_at)
        )
    return closed


def ensure_accepts_ideas(question: Question, now: datetime | None = None) -> None:
    """Raise DomainError unless the question takes new ideas right now."""
    now = now or utcnow()
    if not question.is_open(now):
        raise DomainError(
            _not_open_message(
                question, now, _("This question is closed: it no longer accepts ideas.")
            )
        )


def check_idea_text(title: str, description: str) -> None:
    """Raise DomainError when the title is empty or either text is too long."""
    config = current_app.config
    if not title or not title.strip():
        raise DomainError(_("Give your idea a title."))
    if len(title) > config["IDEA_TITLE_MAX"]:
        raise DomainError(
            _("Use at most %(max)d characters.", max=config["IDEA_TITLE_MAX"])
        )
    if len(description) > config["IDEA_DESCRIPTION_MAX"]:
        raise DomainError(
            _("Use at most %(max)d characters.", max=config["IDEA_DESCRIPTION_MAX"])
        )


def ensure_editable(idea: Idea, user: User, now: datetime | None = None) -> None:
    """Raise unless `user` wrote the idea and may still change its text."""
    now = now or utcnow()
    if idea.author_id != user.id:
        raise PermissionDenied(_("Only the author can edit this idea."))
    if idea.is_withdrawn:
        raise DomainError(_("This idea was withdrawn: it can no longer be edited."))
    if idea.is_merged:
        raise DomainError(_("This idea was merged into another one."))
    # The moderators decided on the text they read; it stays as they saw it.
    if is_hidden(idea):
        raise DomainError(_("This idea is hidden: it can no longer be edited."))
    if not idea.question.is_open(now):
        raise DomainError(
            _("This question is closed: its ideas can no longer be edited.")
        )
    # Supporters backed the text they read; changing it afterwards would misuse them.
    if idea.support_count > 0:
        raise DomainError(
            _("This idea already has supporters, so it can no longer be edited.")
        )
    window = current_app.config["IDEA_EDIT_WINDOW"]
    if now - idea.created_at > window:
        raise DomainError(
            _(
                "Ideas can be edited only in the first %(minutes)d minutes "
                "after they are published.",
                minutes=int(window.total_seconds() // 60),
            )
        )


def ensure_withdrawable(idea: Idea, user: User) -> None:
    """Raise unless `user` wrote the idea and may still withdraw it."""
    if idea.author_id != user.id:
        raise PermissionDenied(_("Only the author can withdraw this idea."))
    if idea.is_withdrawn:
        raise DomainError(_("You have already withdrawn this idea."))
    if idea.is_merged:
        raise DomainError(_("This idea was merged into another one."))
    if idea.status not in WITHDRAWABLE_STATUSES:
        raise DomainError(
            _(
                "Officials are already working on this idea: "
                "it can no longer be withdrawn."
            )
        )


def ensure_supportable(idea: Idea, user: User, now: datetime | None = None) -> None:
    """Raise DomainError unless `user` may add a support to the idea now."""
    now = now or utcnow()
    ensure_not_blocked(user)
    if not idea.question.is_open(now):
        raise DomainError(
            _not_open_message(
                idea.question,
                now,
                _("This question is closed: supports are no longer accepted."),
            )
        )
    if idea.is_withdrawn:
        raise DomainError(
            _("This idea was withdrawn by its author: supports are no longer accepted.")
        )
    if idea.is_merged:
        raise DomainError(
            _("This idea was merged into another one: support that one instead.")
        )
    if is_hidden(idea):
        raise DomainError(
            _("This idea is hidden by the moderators: supports are not accepted.")
        )
    # Every idea would otherwise start with one support from its author; the count
    # should say how many others agree.
    if idea.author_id == user.id:
        raise DomainError(_("You cannot support your own idea."))
    # Last: any other refusal still holds once the address is confirmed.
    ensure_email_confirmed(user)


def ensure_unsupportable(idea: Idea, user: User, now: datetime | None = None) -> None:
    """Raise DomainError unless `user` may take back a support now."""
    now = now or utcnow()
    # Supports are the record of a closed question (and of a withdrawn idea): frozen.
    if not idea.question.is_open(now):
        raise DomainError(
            _("This question is closed: supports can no longer be changed.")
        )
    if idea.is_withdrawn:
        raise DomainError(
            _(
                "This idea was withdrawn by its author: "
                "supports can no longer be changed."
            )
        )
    # A merge moved the supports to the surviving idea; there is nothing left here.
    if idea.is_merged:
        raise DomainError(_("This idea was merged into another one."))
    # Frozen while hidden, as the page shows no button; restoring unfreezes them.
    if is_hidden(idea):
        raise DomainError(
            _("This idea is hidden by the moderators: supports cannot be changed.")
        )


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except DomainError:
        return False
    return True


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_edit(idea: Idea, user: User | None) -> bool:
    """Whether to offer `user` the edit button."""
    return _signed_in(user) and _allowed(ensure_editable, idea, user)


def can_withdraw(idea: Idea, user: User | None) -> bool:
    """Whether to offer `user` the withdraw button."""
    return _signed_in(user) and _allowed(ensure_withdrawable, idea, user)


def can_toggle_support(idea: Idea, user: User | None, supported: bool) -> bool:
    """Whether to offer `user` the support (or remove-support) button."""
    check = ensure_unsupportable if supported else ensure_supportable
    return _signed_in(user) and _allowed(check, idea, user)
