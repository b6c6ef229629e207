"""Reads of questions."""

from flask import abort
from sqlalchemy import select

from ..extensions import db
from ..models import Question, QuestionStatus, utcnow


def open_questions() -> list[Question]:
    """Published questions that accept ideas now, newest first."""
    now = utcnow()
    stmt = (
        select(Question)
        .where(Question.status == QuestionStatus.PUBLISHED.value)
        .where((Question.opens_at.is_(None)) | (Question.opens_at <= now))
        .where((Question.closes_at.is_(None)) | (Question.closes_at > now))
        .order_by(Question.published_at.desc(), Question.id.desc())
    )
    return list(db.session.scalars(stmt))


def get_public_question_or_404(question_id: int) -> Question:
    """A published or closed question; drafts are not public (404)."""
    question = db.session.get(Question, question_id)
    if question is None or not question.is_public():
        abort(404)
    return question
