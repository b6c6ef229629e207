"""Writes of themes: recompute a question's themes. They flush, never commit."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from ideation.extensions import db
from ideation.questions.models import Question
from ideation.shared.db import utcnow
from ideation.similarity import pipeline
from ideation.similarity.themes import Theme as ComputedTheme
from ideation.themes.models import IdeaTheme, Theme


def recompute_themes(question: Question) -> list[Theme]:
    """Replace the question's themes and idea assignments with fresh ones.

    With fewer than THEMES_MIN_IDEAS listed ideas the question has no themes.
    """
    return replace_themes(question, pipeline.question_themes(question.id))


def replace_themes(question: Question, computed: list[ComputedTheme]) -> list[Theme]:
    """Store themes computed by pipeline.question_themes in place of the old ones."""
    # Serialises replacements of one question's themes (two workers may each hold
    # a job for it). NO KEY UPDATE, so ideas inserted meanwhile (their foreign key
    # takes KEY SHARE on the question) are not blocked. On SQLite the job holds the
    # write lock (ideation.shared.db).
    db.session.execute(
        select(Question.id)
        .where(Question.id == question.id)
        .with_for_update(key_share=True)
    )
    return _replace_themes(question, computed, pipeline.configured_model())


def _replace_themes(
    question: Question, computed: list[ComputedTheme], model: str
) -> list[Theme]:
    old = select(Theme.id).where(Theme.question_id == question.id)
    db.session.execute(delete(IdeaTheme).where(IdeaTheme.theme_id.in_(old)))
    db.session.execute(delete(Theme).where(Theme.question_id == question.id))
    now = utcnow()
    themes = [
        Theme(
            question_id=question.id,
            number=number,
            keywords=list(theme.keywords),
            size=theme.size,
            model=model,
            computed_at=now,
        )
        # Renumbered 0, 1, ... in the order shown (largest first).
        for number, theme in enumerate(computed)
    ]
    db.session.add_all(themes)
    db.session.flush()
    assignments = [
        {"idea_id": int(idea_id), "theme_id": row.id}
        for row, theme in zip(themes, computed, strict=True)
        for idea_id in theme.members
    ]
    if assignments:
        db.session.execute(insert(IdeaTheme), assignments)
    return themes
