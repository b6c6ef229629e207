"""Reads of the shortlist board: a question's listed ideas with the signals the
governor's office weighs, filtered and ranked; its CSV export; decisions."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask import abort, current_app, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from ideation.duplicates.models import IdeaMerge
from ideation.extensions import db
from ideation.ideas.models import UNLISTED_IDEA_STATUSES, Idea, IdeaStatus, listed_idea
from ideation.questions.models import Question
from ideation.responses.queries import duplicate_components, group_key, status_label
from ideation.shared.csvfile import neutralise
from ideation.shared.pagination import Page
from ideation.shortlist.models import ShortlistDecision, ShortlistEntry
from ideation.themes.models import IdeaTheme, Theme

SORTS = {
    "supports": _l("Most supported"),
    "newest": _l("Newest"),
    "group": _l("Largest duplicate group"),
}
DEFAULT_SORT = "supports"
# The statuses of listed ideas: those the status filter offers.
LISTED_STATUSES = tuple(
    s.value for s in IdeaStatus if s.value not in UNLISTED_IDEA_STATUSES
)


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows: filters (None: not filtering) and the order."""

    status: str | None = None
    theme: Theme | None = None
    min_supports: int | None = None
    shortlisted: bool = False
    text: str = ""
    sort: str = DEFAULT_SORT

    def args(self) -> dict:
        """The query arguments that give these filters back (for links and pages)."""
        return {
            "q": self.text or None,
            "status": self.status,
            "theme": self.theme.id if self.theme else None,
            "min_supports": self.min_supports,
            "shortlisted": "1" if self.shortlisted else None,
            "sort": self.sort if self.sort != DEFAULT_SORT else None,
        }


@dataclass
class BoardRow:
    """One idea on the board, with its signals."""

    idea: Idea
    rank: int
    # The duplicate-group size: how many citizens' ideas this row stands for. It is
    # the ideas merged into it (through chains of merges too, undone ones not) plus
    # the size of its current group in the duplicate inbox (the ideas connected to
    # it by suggested pairs nobody dismissed, itself included; 1 when it is in none).
    group_size: int
    merged: int
    group_key: str | None  # its group in the duplicate inbox, when it is in one
    theme: Theme | None
    entry: ShortlistEntry | None

    @property
    def candidates(self) -> int:
        return self.group_size - self.merged


@dataclass
class Board:
    question: Question
    filters: BoardFilters
    page: Page
    themes: list[Theme] = field(default_factory=list)
    shortlist: list[ShortlistEntry] = field(default_factory=list)
    decisions: list[ShortlistDecision] = field(default_factory=list)


def board(question: Question, filters: BoardFilters, page: int) -> Board:
    """One page of the board, with the question's themes, shortlist and decisions."""
    rows = board_rows(question, filters)
    per_page = current_app.config["BOARD_IDEAS_PER_PAGE"]
    page = max(page, 1)
    shown = rows[(page - 1) * per_page : page * per_page]
    return Board(
        question,
        filters,
        Page(shown, page, per_page, len(rows)),
        themes=question_themes(question),
        shortlist=shortlist(question),
        decisions=decisions(question),
    )


def board_rows(question: Question, filters: BoardFilters) -> list[BoardRow]:
    """Every row the filters let through (all pages), ranked in the chosen order."""
    stmt = (
        select(Idea)
        .options(joinedload(Idea.author))
        .where(Idea.question_id == question.id)
        .where(listed_idea())
    )
    if filters.status:
        stmt = stmt.where(Idea.status == filters.status)
    if filters.theme is not None:
        stmt = stmt.join(IdeaTheme, IdeaTheme.idea_id == Idea.id).where(
            IdeaTheme.theme_id == filters.theme.id
        )
    if filters.min_supports is not None:
        stmt = stmt.where(Idea.support_count >= filters.min_supports)
    if filters.shortlisted:
        stmt = stmt.where(
            Idea.id.in_(
                select(ShortlistEntry.idea_id).where(
                    ShortlistEntry.question_id == question.id
                )
            )
        )
    if filters.text:
        stmt = stmt.where(
            or_(
                Idea.title.icontains(filters.text, autoescape=True),
                Idea.description.icontains(filters.text, autoescape=True),
            )
        )
    ideas = list(db.session.scalars(stmt))
    merged = _merged_counts(question)
    components = {
        idea_id: ids for ids in duplicate_components(question) for idea_id in ids
    }
    themes = _themes_of(question)
    entries = {entry.idea_id: entry for entry in shortlist(question)}
    rows = []
    for idea in ideas:
        component = components.get(idea.id)
        rows.append(
            BoardRow(
                idea=idea,
                rank=0,
                group_size=merged.get(idea.id, 0)
                + (len(component) if component else 1),
                merged=merged.get(idea.id, 0),
                group_key=group_key(component) if component else None,
                theme=themes.get(idea.id),
                entry=entries.get(idea.id),
            )
        )
    rows.sort(key=_SORT_KEYS.get(filters.sort, _SORT_KEYS[DEFAULT_SORT]))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows


_SORT_KEYS = {
    "supports": lambda r: (-r.idea.support_count, r.idea.id),
    "newest": lambda r: (-r.idea.created_at.timestamp(), -r.idea.id),
    "group": lambda r: (-r.group_size, -r.idea.support_count, r.idea.id),
}


def _merged_counts(question: Question) -> dict[int, int]:
    """For each idea, how many ideas are merged into it, directly or through others."""
    source = aliased(Idea)
    pairs = db.session.execute(
        select(IdeaMerge.source_id, IdeaMerge.target_id)
        .join(source, source.id == IdeaMerge.source_id)
        .where(source.question_id == question.id, IdeaMerge.undone_at.is_(None))
    ).all()
    children: dict[int, list[int]] = {}
    for source_id, target_id in pairs:
        children.setdefault(target_id, []).append(source_id)

    def count(idea_id: int, seen: frozenset[int]) -> int:
        below = [c for c in children.get(idea_id, []) if c not in seen]
        return sum(1 + count(c, seen | {c}) for c in below)

    return {target: count(target, frozenset({target})) for target in children}


def _themes_of(question: Question) -> dict[int, Theme]:
    rows = db.session.execute(
        select(IdeaTheme.idea_id, Theme)
        .join(Theme, Theme.id == IdeaTheme.theme_id)
        .where(Theme.question_id == question.id)
    ).all()
    return {idea_id: theme for idea_id, theme in rows}


def question_themes(question: Question) -> list[Theme]:
    """The question's themes, largest first."""
    stmt = select(Theme).where(Theme.question_id == question.id).order_by(Theme.number)
    return list(db.session.scalars(stmt))


def shortlist(question: Question) -> list[ShortlistEntry]:
    """The question's shortlist, in the order ideas were added."""
    stmt = (
        select(ShortlistEntry)
        .options(joinedload(ShortlistEntry.idea), joinedload(ShortlistEntry.added_by))
        .where(ShortlistEntry.question_id == question.id)
        .order_by(ShortlistEntry.added_at, ShortlistEntry.id)
    )
    return list(db.session.scalars(stmt))


def get_entry_or_404(question: Question, idea_id: int) -> ShortlistEntry:
    """The shortlist entry of this question's idea; 404 when it is not on it."""
    entry = db.session.scalar(
        select(ShortlistEntry)
        .options(joinedload(ShortlistEntry.idea))
        .where(
            ShortlistEntry.question_id == question.id,
            ShortlistEntry.idea_id == idea_id,
        )
    )
    if entry is None:
        abort(404)
    return entry


def get_question_idea_or_404(question: Question, idea_id: int) -> Idea:
    """An idea of this question (another question's is not found)."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.question_id != question.id:
        abort(404)
    return idea


def decisions(question: Question) -> list[ShortlistDecision]:
    """The question's recorded decisions, newest first."""
    stmt = (
        select(ShortlistDecision)
        .options(
            selectinload(ShortlistDecision.ideas),
            joinedload(ShortlistDecision.decided_by),
        )
        .where(ShortlistDecision.question_id == question.id)
        .order_by(ShortlistDecision.decided_at.desc(), ShortlistDecision.id.desc())
    )
    return list(db.session.scalars(stmt))


# -- the CSV export --------------------------------------------------------------------


def board_csv(question: Question, rows: list[BoardRow]) -> str:
    """The rows as CSV text: a translated header row, then one line per idea."""
    out = io.StringIO()
    # Every field quoted: a separator inside one is never read as the end of it.
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(
        [
            _("Rank"),
            _("Idea ID"),
            _("Title"),
            _("Author"),
            _("Proposed on"),
            _("Supports"),
            _("Duplicate group size"),
            _("Theme"),
            _("Status"),
            _("Region"),
            _("On the shortlist"),
            _("Private note"),
            _("Link"),
        ]
    )
    yes, no = _("yes"), _("no")
    for row in rows:
        idea = row.idea
        writer.writerow(
            neutralise(cell)
            for cell in (
                row.rank,
                idea.id,
                idea.title,
                idea.author.display_name,
                format_date(idea.created_at, "yyyy-MM-dd"),
                idea.support_count,
                row.group_size,
                ", ".join(row.theme.keywords or []) if row.theme else "",
                status_label(idea.status),
                question.region or "",
                yes if row.entry else no,
                row.entry.note if row.entry else "",
                url_for("ideas.show", idea_id=idea.id, _external=True),
            )
        )
    return out.getvalue()
