"""Reads: ideas matching what a visitor typed, among those the public list shows."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Float, Integer, column, func, literal_column, select, text
from sqlalchemy.orm import joinedload

from ideation.extensions import db
from ideation.ideas.models import UNLISTED_IDEA_STATUSES, Idea, IdeaStatus, listed_idea
from ideation.questions.models import Question, QuestionStatus
from ideation.search.models import PG_DOCUMENT, SEARCH_TABLE
from ideation.shared.pagination import page_number
from ideation.shared.web import search_term
from ideation.themes.models import IdeaTheme, Theme
from ideation.themes.queries import question_themes, requested_theme_id, theme_in

# The statuses the filter offers: those of listed ideas.
STATUSES = tuple(s.value for s in IdeaStatus if s.value not in UNLISTED_IDEA_STATUSES)
WORD = re.compile(r"\w+")


def search_words(typed: str) -> list[str]:
    """The words of `typed`, lower-case and without accents, as both indexes hold
    them; one-letter words ("e", "a", "y") would match nearly everything."""
    decomposed = unicodedata.normalize("NFKD", typed.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = [word for word in WORD.findall(plain) if len(word) > 1]
    return words[: current_app.config["SEARCH_MAX_WORDS"]]


@dataclass(frozen=True)
class SearchRequest:
    """What the visitor asked for: the words, filters and page (from `args`)."""

    text: str
    status: str | None
    theme: Theme | None
    page: int
    themes: tuple[Theme, ...] = ()


def search_request(args: Mapping, question: Question | None) -> SearchRequest:
    """The search asked for by the query string; filters it cannot use are ignored."""
    status = args.get("status")
    themes = tuple(question_themes(question)) if question is not None else ()
    return SearchRequest(
        text=search_term(args)[: current_app.config["SEARCH_TEXT_MAX"]],
        status=status if status in STATUSES else None,
        theme=theme_in(list(themes), requested_theme_id(args)),
        page=page_number(args),
        themes=themes,
    )


def search_ideas(wanted: SearchRequest, question: Question | None) -> Pagination | None:
    """The page of listed ideas of public questions (or of `question`) that hold
    every word of `wanted.text`, most relevant first; None when nothing was typed."""
    words = search_words(wanted.text)
    if not words:
        return None
    matches, relevance = _matches(words)
    stmt = (
        select(Idea)
        .options(joinedload(Idea.author), joinedload(Idea.question))
        .join(matches, matches.c.idea_id == Idea.id)
        .join(Question, Question.id == Idea.question_id)
        .where(listed_idea())
        .where(Question.status != QuestionStatus.DRAFT.value)
    )
    if question is not None:
        stmt = stmt.where(Idea.question_id == question.id)
    if wanted.status:
        stmt = stmt.where(Idea.status == wanted.status)
    if wanted.theme is not None:
        stmt = stmt.join(IdeaTheme, IdeaTheme.idea_id == Idea.id).where(
            IdeaTheme.theme_id == wanted.theme.id
        )
    stmt = stmt.order_by(relevance, Idea.support_count.desc(), Idea.id.desc())
    return db.paginate(
        stmt,
        page=wanted.page,
        per_page=current_app.config["IDEAS_PER_PAGE"],
        max_per_page=None,
        error_out=False,
    )


def _matches(words: list[str]):
    """A subquery of (idea_id, score) holding every word (as a prefix: "escola"
    finds "escolas"), and the ORDER BY term, best first. The words are \\w+ only:
    nothing in them is syntax to either database."""
    if db.session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), query)
        document = literal_column(PG_DOCUMENT)
        matches = (
            select(
                Idea.id.label("idea_id"),
                func.ts_rank(document, tsquery).label("score"),
            )
            .where(document.op("@@")(tsquery))
            .subquery("matches")
        )
        return matches, matches.c.score.desc()
    query = " ".join(f'"{word}"*' for word in words)
    matches = (
        text(
            f"SELECT rowid AS idea_id, bm25({SEARCH_TABLE}) AS score "
            f"FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :query"
        )
        .bindparams(query=query)
        .columns(column("idea_id", Integer), column("score", Float))
        .subquery("matches")
    )
    # bm25: the lower, the better.
    return matches, matches.c.score.asc()
