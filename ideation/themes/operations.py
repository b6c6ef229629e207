"""Writes of themes: recompute a question's themes. They flush, never commit."""

from __future__ import annotations

import numpy as np
from flask import current_app
from sqlalchemy import delete, insert, select

from ideation.extensions import db
from ideation.questions.models import Question
from ideation.shared.db import utcnow
from ideation.similarity import core as similarity
from ideation.themes import queries
from ideation.themes.models import IdeaTheme, Theme


def compute_themes(
    ids: list,
    vectors: np.ndarray,
    texts: list[str],
    settings: similarity.Settings | None = None,
) -> list[similarity.Theme]:
    """Cluster one question's idea vectors and label each cluster, largest first."""
    settings = settings or similarity.Settings()
    centred = similarity.centre_question(
        vectors, settings.centre_weight, settings.centre_prior
    )
    k = similarity.theme_count(
        len(ids), settings.theme_divisor, settings.themes_min, settings.themes_max
    )
    labels = similarity.cluster_themes(centred, k)
    return similarity.describe_themes(texts, labels, ids)


def recompute_themes(question: Question) -> list[Theme]:
    """Replace the question's themes and idea assignments with fresh ones.

    With fewer than THEMES_MIN_IDEAS listed ideas the question has no themes.
    """
    # Serialises recomputations of one question (two workers may each hold a job
    # for it). NO KEY UPDATE, so ideas inserted meanwhile (their foreign key takes
    # KEY SHARE on the question) are not blocked. SQLite serialises writers anyway.
    db.session.execute(
        select(Question.id)
        .where(Question.id == question.id)
        .with_for_update(key_share=True)
    )
    ids, vectors, texts = queries.question_vectors(question)
    if len(ids) >= current_app.config["THEMES_MIN_IDEAS"]:
        settings = similarity.Settings.from_mapping(current_app.config)
        computed = compute_themes(ids, vectors, texts, settings)
    else:
        computed = []
    return _replace_themes(question, computed, queries.model_name())


def _replace_themes(
    question: Question, computed: list[similarity.Theme], model: str
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
