"""State changes of questions. Operations flush, log, and never commit."""

from datetime import datetime

from flask_babel import gettext as _

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.extensions import db
from ideation.questions.models import Question, QuestionStatus
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError
from ideation.shared.signals import question_retitled

EDITABLE_FIELDS = (
    "title",
    "context",
    "region",
    "opens_at",
    "closes_at",
    "response_days",
)


def _check_closing_date(closes_at: datetime | None) -> None:
    if closes_at is not None and closes_at <= utcnow():
        raise DomainError(_("The closing date must be in the future."))


def create_question(author: User, **fields) -> Question:
    """A new draft question written by an official."""
    _check_closing_date(fields.get("closes_at"))
    if fields.get("response_days") is None:
        fields.pop("response_days", None)  # the site's default (the column's)
    question = Question(author=author, status=QuestionStatus.DRAFT, **fields)
    db.session.add(question)
    db.session.flush()
    record_action(author, "question.created", question)
    return question


def update_question(question: Question, actor: User, **fields) -> Question:
    """Change a question's text or dates; closed questions stay as they were."""
    if question.status == QuestionStatus.CLOSED.value:
        raise DomainError(_("A closed question can no longer be edited."))
    # Callers that do not set the answer period keep the question's.
    if fields.get("response_days") is None:
        fields["response_days"] = question.response_days
    if fields.get("closes_at") != question.closes_at:
        _check_closing_date(fields.get("closes_at"))
    changed = [
        name for name in EDITABLE_FIELDS if getattr(question, name) != fields.get(name)
    ]
    for name in changed:
        setattr(question, name, fields.get(name))
    if "title" in changed:
        question_retitled.send(question.id)
    record_action(actor, "question.updated", question, changed=changed)
    return question


def publish_question(question: Question, actor: User) -> Question:
    """Make a draft public; it takes ideas from its opening date on."""
    if question.status != QuestionStatus.DRAFT.value:
        raise DomainError(_("Only a draft can be published."))
    _check_closing_date(question.closes_at)
    question.status = QuestionStatus.PUBLISHED
    question.published_at = utcnow()
    record_action(actor, "question.published", question)
    return question


def close_question(question: Question, actor: User, reason: str = "") -> Question:
    """Stop taking ideas and supports; the question and its ideas stay public."""
    if question.status != QuestionStatus.PUBLISHED.value:
        raise DomainError(_("Only a published question can be closed."))
    question.status = QuestionStatus.CLOSED
    question.closed_at = utcnow()
    record_action(actor, "question.closed", question, reason=reason)
    return question
