"""Reads of The Governor Responds."""

from dataclasses import dataclass

from flask import abort, current_app
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.extensions import db
from ideation.governor import rules
from ideation.governor.models import (
    CLOSED_STATUSES,
    GovernorQuestion,
    GovernorQuestionStatus,
    GovernorQuestionSupport,
)
from ideation.measures.models import Measure
from ideation.measures.queries import measure_from_governor_question
from ideation.shared.personal_data import iso, rows_of
from ideation.shared.visibility import may_see_content

SORTS = ("top", "new")
DEFAULT_SORT = "top"


@dataclass(frozen=True)
class QuestionListing:
    """One page of questions, with the visitor's supports among them."""

    pagination: Pagination
    supported_ids: frozenset[int]
    user: User | None
    sort: str = DEFAULT_SORT
    sorts: tuple[str, ...] = SORTS

    def may_toggle_support(self, question: GovernorQuestion) -> bool:
        """Whether to show this visitor a support or remove-support button."""
        return rules.can_toggle_support(
            question, self.user, question.id in self.supported_ids
        )


@dataclass(frozen=True)
class QuestionPage:
    """A question, its answer and measure, and what the visitor may do with it."""

    question: GovernorQuestion
    supported: bool
    may_toggle_support: bool
    may_answer: bool
    may_close: bool
    measure: Measure | None
    # False when the moderators hid the question and the visitor is neither its
    # author nor a moderator: the page then shows why, and nothing of it.
    content_visible: bool = True


def open_questions(page: int, sort: str = DEFAULT_SORT, user=None) -> QuestionListing:
    """One page of the questions awaiting an answer: most supported or newest first."""
    user = user if user is not None else _signed_in_user()
    sort = sort if sort in SORTS else DEFAULT_SORT
    stmt = _with_author(select(GovernorQuestion)).where(
        GovernorQuestion.status == GovernorQuestionStatus.OPEN.value,
        GovernorQuestion.hidden_at.is_(None),
    )
    if sort == "top":
        stmt = stmt.order_by(GovernorQuestion.support_count.desc())
    stmt = stmt.order_by(GovernorQuestion.created_at.desc(), GovernorQuestion.id.desc())
    pagination = _paginate(stmt, page)
    ids = [question.id for question in pagination.items]
    return QuestionListing(pagination, supported_question_ids(user, ids), user, sort)


def answered_questions(page: int) -> Pagination:
    """One page of answered questions, the newest answer first."""
    stmt = (
        _with_author(select(GovernorQuestion))
        .options(joinedload(GovernorQuestion.answer))
        .where(
            GovernorQuestion.status == GovernorQuestionStatus.ANSWERED.value,
            GovernorQuestion.hidden_at.is_(None),
        )
        .order_by(GovernorQuestion.answered_at.desc(), GovernorQuestion.id.desc())
    )
    return _paginate(stmt, page)


def closed_questions(page: int) -> Pagination:
    """One page of declined and merged questions, the most recently closed first."""
    stmt = (
        _with_author(select(GovernorQuestion))
        .options(joinedload(GovernorQuestion.merged_into))
        .where(
            GovernorQuestion.status.in_([s.value for s in CLOSED_STATUSES]),
            GovernorQuestion.hidden_at.is_(None),
        )
        .order_by(GovernorQuestion.closed_at.desc(), GovernorQuestion.id.desc())
    )
    return _paginate(stmt, page)


def find_question(question_id: int | None) -> GovernorQuestion | None:
    """The question with this id, or None."""
    return db.session.get(GovernorQuestion, question_id) if question_id else None


def get_question_or_404(question_id: int) -> GovernorQuestion:
    """A question to the governor (all are public, hidden ones show a notice);
    404 when there is none."""
    question = db.session.get(GovernorQuestion, question_id)
    if question is None:
        abort(404)
    return question


def question_page(question: GovernorQuestion, user: User | None = None) -> QuestionPage:
    """The question, the visitor's support, the buttons they may use, its measure."""
    user = user if user is not None else _signed_in_user()
    supported = question.id in supported_question_ids(user, [question.id])
    return QuestionPage(
        question=question,
        supported=supported,
        may_toggle_support=rules.can_toggle_support(question, user, supported),
        may_answer=rules.can_answer(question, user),
        may_close=rules.can_close(question, user),
        measure=measure_from_governor_question(question),
        content_visible=may_see_content(question, user),
    )


def supported_question_ids(user: User | None, question_ids: list[int]) -> frozenset:
    """Which of `question_ids` `user` supports, in one query."""
    if user is None or not user.is_authenticated or not question_ids:
        return frozenset()
    stmt = select(GovernorQuestionSupport.question_id).where(
        GovernorQuestionSupport.user_id == user.id,
        GovernorQuestionSupport.question_id.in_(question_ids),
    )
    return frozenset(db.session.scalars(stmt))


def supporter_ids(question: GovernorQuestion) -> list[int]:
    """The ids of the question's supporters, earliest first."""
    stmt = (
        select(GovernorQuestionSupport.user_id)
        .where(GovernorQuestionSupport.question_id == question.id)
        .order_by(GovernorQuestionSupport.id)
    )
    return list(db.session.scalars(stmt))


def participant_ids(question: GovernorQuestion) -> list[int]:
    """Everyone who took part in the question: its author, then its supporters."""
    return [question.author_id, *supporter_ids(question)]


def _with_author(stmt: Select) -> Select:
    return stmt.options(joinedload(GovernorQuestion.author))


def _paginate(stmt: Select, page: int) -> Pagination:
    return db.paginate(
        stmt,
        page=max(page, 1),
        per_page=current_app.config["GOVERNOR_QUESTIONS_PER_PAGE"],
        max_per_page=None,
        error_out=False,
    )


def _signed_in_user() -> User | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


def personal_data(user: User) -> dict[str, list[dict]]:
    """The account's questions to the governor and supports of them."""
    return {
        "governor_questions": [
            {
                "id": question.id,
                "title": question.title,
                "body": question.body,
                "status": str(question.status),
                "support_count": question.support_count,
                "created_at": iso(question.created_at),
                "answered_at": iso(question.answered_at),
                "hidden_at": iso(question.hidden_at),
            }
            for question in rows_of(
                GovernorQuestion, GovernorQuestion.author_id == user.id
            )
        ],
        "governor_question_supports": [
            {"question_id": row.question_id, "created_at": iso(row.created_at)}
            for row in rows_of(
                GovernorQuestionSupport, GovernorQuestionSupport.user_id == user.id
            )
        ],
    }
