"""Reads of questions."""

from flask import abort
from sqlalchemy import Select, select

from ideation.extensions import db
from ideation.questions.models import Question, QuestionStatus
from ideation.shared.db import utcnow
from ideation.shared.personal_data import rows_of


def _open_now(stmt: Select) -> Select:
    now = utcnow()
    return (
        stmt.where(Question.status == QuestionStatus.PUBLISHED.value)
        .where(Question.opens_at.is_(None) | (Question.opens_at <= now))
        .where(Question.closes_at.is_(None) | (Question.closes_at > now))
    )


def open_questions() -> list[Question]:
    """Published questions that accept ideas now, newest first."""
    stmt = _open_now(select(Question)).order_by(
        Question.published_at.desc(), Question.id.desc()
    )
    return list(db.session.scalars(stmt))


def public_questions(page: int, per_page: int, region: str | None = None):
    """Published and closed questions, newest first, one page of them."""
    stmt = select(Question).where(Question.status != QuestionStatus.DRAFT.value)
    if region:
        stmt = stmt.where(Question.region == region)
    stmt = stmt.order_by(Question.published_at.desc(), Question.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def public_regions() -> list[str]:
    """The region tags of public questions, for the filter."""
    stmt = (
        select(Question.region)
        .where(Question.status != QuestionStatus.DRAFT.value)
        .where(Question.region.is_not(None))
        .distinct()
        .order_by(Question.region)
    )
    return list(db.session.scalars(stmt))


def all_questions(page: int, per_page: int):
    """Every question, drafts included, for officials."""
    stmt = select(Question).order_by(Question.created_at.desc(), Question.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def get_public_question_or_404(question_id: int) -> Question:
    """A published or closed question; drafts are not public (404)."""
    question = db.session.get(Question, question_id)
    if question is None or not question.is_public():
        abort(404)
    return question


def personal_data(user) -> dict[str, list[dict]]:
    """The consultations the account wrote (officials)."""
    return {
        "consultation_questions": [
            {"id": question.id, "title": question.title}
            for question in rows_of(Question, Question.author_id == user.id)
        ]
    }
