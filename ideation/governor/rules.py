"""Who may do what to a question to the governor: checks that raise, and yes/no forms.

Operations call the `ensure_*` checks before writing; views and templates ask the
`can_*` forms which buttons to show, so both always agree.
"""

from flask import current_app
from flask_babel import gettext as _

from ideation.auth.models import User
from ideation.auth.rules import ensure_email_confirmed, ensure_not_blocked
from ideation.governor.models import GovernorQuestion
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role, ensure_role
from ideation.shared.visibility import is_hidden


def check_question_text(title: str, body: str) -> None:
    """Raise DomainError when the title or text is empty or too long."""
    config = current_app.config
    if not title or not title.strip():
        raise DomainError(_("Write your question in one sentence."))
    if not body or not body.strip():
        raise DomainError(_("Explain your question: what happened, what you need."))
    for text, key in (
        (title, "GOVERNOR_QUESTION_TITLE_MAX"),
        (body, "GOVERNOR_QUESTION_BODY_MAX"),
    ):
        if len(text) > config[key]:
            raise DomainError(_("Use at most %(max)d characters.", max=config[key]))


def ensure_supportable(question: GovernorQuestion, user: User) -> None:
    """Raise DomainError unless `user` may add a support to the question now."""
    ensure_not_blocked(user)
    if is_hidden(question):
        raise DomainError(
            _("This question is hidden by the moderators: supports are not accepted.")
        )
    if question.is_answered:
        raise DomainError(
            _("This question is answered: supports are no longer accepted.")
        )
    if question.is_closed:
        raise DomainError(
            _("This question is closed: supports are no longer accepted.")
        )
    # The count should say how many others want this answered, as for ideas.
    if question.author_id == user.id:
        raise DomainError(_("You cannot support your own question."))
    ensure_email_confirmed(user)


def ensure_unsupportable(question: GovernorQuestion, user: User) -> None:
    """Raise DomainError unless `user` may take back a support now."""
    if is_hidden(question):
        raise DomainError(
            _("This question is hidden by the moderators: supports cannot be changed.")
        )
    # The supports are the record of how much people wanted the answer: frozen.
    if question.is_answered:
        raise DomainError(
            _("This question is answered: supports can no longer be changed.")
        )
    if question.is_closed:
        raise DomainError(
            _("This question is closed: supports can no longer be changed.")
        )


def ensure_answerable(question: GovernorQuestion, user: User) -> None:
    """Raise unless `user` is an official and the question still awaits its answer."""
    ensure_role(user, Role.OFFICIAL, _("Only officials can answer questions."))
    _ensure_awaiting(question)
    if is_hidden(question):
        raise DomainError(
            _("This question is hidden by the moderators: it cannot be answered.")
        )


def _ensure_awaiting(question: GovernorQuestion) -> None:
    if question.is_answered:
        raise DomainError(_("This question has already been answered."))
    if question.is_closed:
        raise DomainError(_("This question is already closed."))


def check_closing_reason(reason: str) -> str:
    """The public reason for closing, stripped; DomainError when empty or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _(
                "Give the public reason: it is shown on the question's page and "
                "sent to the asker and the supporters."
            ),
            "reason",
        )
    limit = current_app.config["GOVERNOR_CLOSING_REASON_MAX"]
    if len(reason) > limit:
        raise DomainError(_("Use at most %(max)d characters.", max=limit), "reason")
    return reason


def ensure_closable(question: GovernorQuestion, user: User) -> None:
    """Raise unless `user` is an official and the question still awaits an answer.

    A hidden question may be closed: closing it is how the queue is emptied.
    """
    ensure_role(user, Role.OFFICIAL, _("Only officials can close questions."))
    _ensure_awaiting(question)


def ensure_merge_target(
    source: GovernorQuestion, target: GovernorQuestion | None
) -> None:
    """Raise unless `target` can take the supports of `source`: another question,
    visible, open or answered (the asker then reads its answer)."""
    if target is None:
        raise DomainError(_("There is no question with this number."), "target")
    if target.id == source.id:
        raise DomainError(
            _("Choose another question: a question cannot be merged into itself."),
            "target",
        )
    if target.is_closed:
        raise DomainError(
            _(
                "That question is closed too: merge into the question it was "
                "merged into, or into an open one."
            ),
            "target",
        )
    if is_hidden(target):
        raise DomainError(
            _("That question is hidden by the moderators: choose a visible one."),
            "target",
        )


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except DomainError:
        return False
    return True


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_toggle_support(
    question: GovernorQuestion, user: User | None, supported: bool
) -> bool:
    """Whether to offer `user` the support (or remove-support) button."""
    check = ensure_unsupportable if supported else ensure_supportable
    return _signed_in(user) and _allowed(check, question, user)


def can_answer(question: GovernorQuestion, user: User | None) -> bool:
    """Whether to offer `user` the link to the answer form."""
    return _signed_in(user) and _allowed(ensure_answerable, question, user)


def can_close(question: GovernorQuestion, user: User | None) -> bool:
    """Whether to offer `user` the link to decline or merge the question."""
    return _signed_in(user) and _allowed(ensure_closable, question, user)
