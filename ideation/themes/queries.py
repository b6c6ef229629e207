"""Reads of themes."""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from ideation.extensions import db
from ideation.ideas.models import Idea, listed_idea
from ideation.questions.models import Question
from ideation.shared.web import as_id
from ideation.similarity.models import IdeaEmbedding
from ideation.similarity.pipeline import configured_model
from ideation.themes.models import IdeaTheme, Theme


def question_themes(question: Question) -> list[Theme]:
    """The question's themes, largest first."""
    stmt = select(Theme).where(Theme.question_id == question.id).order_by(Theme.number)
    return list(db.session.scalars(stmt))


def requested_theme_id(args: Mapping) -> int | None:
    """The theme id asked for by `args` ("theme"), if it is one."""
    return as_id(args.get("theme"))


def theme_in(themes: list[Theme], theme_id: int | None) -> Theme | None:
    """The theme of `themes` with this id: a theme of another question is not one."""
    return next((theme for theme in themes if theme.id == theme_id), None)


@dataclass(frozen=True)
class ThemeSummary:
    """A theme with its currently listed ideas: how many, and the most supported."""

    theme: Theme
    listed: int
    top_ideas: list[Idea]


def themes_overview(question: Question, top: int = 5) -> list[ThemeSummary]:
    """Each theme of the question with its `top` most supported listed ideas."""
    themes = question_themes(question)
    if not themes:
        return []
    listed = (
        select(IdeaTheme.theme_id, Idea.id, Idea.support_count)
        .join(Idea, Idea.id == IdeaTheme.idea_id)
        .where(IdeaTheme.theme_id.in_([t.id for t in themes]))
        .where(listed_idea())  # only ideas of the public list
        .subquery()
    )
    rank = (
        func.row_number()
        .over(
            partition_by=listed.c.theme_id,
            order_by=(listed.c.support_count.desc(), listed.c.id),
        )
        .label("rank")
    )
    ranked = select(listed.c.theme_id, listed.c.id, rank).subquery()
    rows = db.session.execute(
        select(ranked.c.theme_id, ranked.c.id, ranked.c.rank).where(
            ranked.c.rank <= top
        )
    ).all()
    counts = dict(
        db.session.execute(
            select(listed.c.theme_id, func.count()).group_by(listed.c.theme_id)
        ).all()
    )
    ideas = {
        idea.id: idea
        for idea in db.session.scalars(
            select(Idea).where(Idea.id.in_([row.id for row in rows]))
        )
    }
    by_theme: dict[int, list[Idea]] = {}
    for theme_id, idea_id, _ in sorted(rows, key=lambda r: (r.theme_id, r.rank)):
        by_theme.setdefault(theme_id, []).append(ideas[idea_id])
    return [
        ThemeSummary(t, counts.get(t.id, 0), by_theme.get(t.id, [])) for t in themes
    ]


def ideas_without_theme(question: Question) -> int:
    """Listed ideas of the question in no theme yet (new since the last computation)."""
    stmt = (
        select(func.count())
        .select_from(Idea)
        .outerjoin(IdeaTheme, IdeaTheme.idea_id == Idea.id)
        .where(Idea.question_id == question.id)
        .where(listed_idea())  # only ideas of the public list
        .where(IdeaTheme.idea_id.is_(None))
    )
    return db.session.scalar(stmt)


def ideas_without_vector(question: Question) -> int:
    """Listed ideas of the question with no vector of the configured model."""
    embedded = select(IdeaEmbedding.idea_id).where(
        IdeaEmbedding.question_id == question.id,
        IdeaEmbedding.model == configured_model(),
    )
    stmt = (
        select(func.count())
        .select_from(Idea)
        .where(Idea.question_id == question.id)
        .where(listed_idea())  # only ideas of the public list
        .where(Idea.id.not_in(embedded))
    )
    return db.session.scalar(stmt)
