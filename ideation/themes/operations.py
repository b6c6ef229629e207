"""Writes of themes: recompute a question's themes. They flush, never commit."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, update

from ideation.audit.operations import record_action
from ideation.extensions import db
from ideation.questions.models import Question
from ideation.shared.db import lock_row, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role, ensure_role
from ideation.similarity import pipeline
from ideation.similarity.themes import Theme as ComputedTheme
from ideation.themes.matching import match_themes
from ideation.themes.models import IdeaTheme, Theme

# Added to the numbers of a question's themes while they are renumbered: far above
# any real number (THEMES_MAX), and the CHECK keeps numbers non-negative.
RENUMBERING_OFFSET = 1_000_000


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
    old_themes = {
        theme.id: theme
        for theme in db.session.scalars(
            select(Theme).where(Theme.question_id == question.id)
        )
    }
    continued = match_themes(
        _members(old_themes),
        [{int(i) for i in theme.members} for theme in computed],
        current_app.config["THEME_MATCH_MIN_JACCARD"],
    )
    db.session.execute(
        delete(IdeaTheme).where(IdeaTheme.theme_id.in_(list(old_themes)))
    )
    gone = set(old_themes) - set(continued.values())
    if gone:
        db.session.execute(delete(Theme).where(Theme.id.in_(gone)))
    # Out of the way of (question_id, number) while the kept ones are renumbered.
    db.session.execute(
        update(Theme)
        .where(Theme.question_id == question.id)
        .values(number=Theme.number + RENUMBERING_OFFSET)
    )
    for theme_id in continued.values():
        db.session.expire(old_themes[theme_id], ["number"])
    now = utcnow()
    themes = []
    # Renumbered 0, 1, ... in the order shown (largest first). A theme that goes
    # on keeps its id, so links to it still work, and its official name.
    for number, theme in enumerate(computed):
        row = db.session.get(Theme, continued[number]) if number in continued else None
        if row is None:
            row = Theme(question_id=question.id)
            db.session.add(row)
        row.number = number
        row.keywords = list(theme.keywords)
        row.size = theme.size
        row.model = model
        row.computed_at = now
        themes.append(row)
    db.session.flush()
    assignments = [
        {"idea_id": int(idea_id), "theme_id": row.id}
        for row, theme in zip(themes, computed, strict=True)
        for idea_id in theme.members
    ]
    if assignments:
        db.session.execute(insert(IdeaTheme), assignments)
    return themes


def _members(themes: dict[int, Theme]) -> dict[int, set[int]]:
    """The idea ids of each of `themes`, as last assigned."""
    members: dict[int, set[int]] = {theme_id: set() for theme_id in themes}
    if themes:
        rows = db.session.execute(
            select(IdeaTheme.theme_id, IdeaTheme.idea_id).where(
                IdeaTheme.theme_id.in_(list(themes))
            )
        )
        for theme_id, idea_id in rows:
            members[theme_id].add(idea_id)
    return members


def rename_theme(theme: Theme, official, label: str) -> Theme:
    """Give the theme a name of `official`'s choosing (audited); an empty name
    gives it back its keywords."""
    ensure_role(official, Role.OFFICIAL)
    label = " ".join((label or "").split())
    highest = current_app.config["THEME_LABEL_MAX"]
    if len(label) > highest:
        raise DomainError(
            _("A theme's name has at most %(max)d characters.", max=highest), "label"
        )
    theme = lock_row(theme)
    previous = theme.label
    theme.label = label or None
    if theme.label == previous:
        raise DomainError(_("The theme already has this name."), "label")
    record_action(
        official,
        "theme.renamed",
        theme,
        question_id=theme.question_id,
        old=previous,
        new=theme.label,
        keywords=list(theme.keywords or []),
    )
    return theme
