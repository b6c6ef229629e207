"""Reads of the duplicate inbox: groups of suggested pairs, merge previews, merges."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort, current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased, joinedload

from ideation.auth.models import User
from ideation.duplicates.models import (
    DuplicateCandidate,
    DuplicateDismissal,
    IdeaMerge,
    MergedSupport,
)
from ideation.extensions import db
from ideation.ideas.models import Idea, Support, listed_idea
from ideation.questions.models import Question
from ideation.questions.queries import public_questions
from ideation.shared.errors import DomainError
from ideation.shared.pagination import Page
from ideation.shared.web import as_id

# -- the inbox -------------------------------------------------------------------------


@dataclass
class Pair:
    """Two ideas suggested as duplicates, how alike, and the words they share."""

    a: Idea
    b: Idea
    similarity: float
    shared: list[str]

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.similarity * 100)))


@dataclass
class Group:
    """Ideas connected by suggested pairs: one decision for an official."""

    ideas: list[Idea]
    pairs: list[Pair]
    newest: datetime
    key: str = ""

    def phrases_of(self, idea: Idea) -> list[str]:
        """The shared phrases of every pair this idea is in, to highlight in it."""
        found: list[str] = []
        for pair in self.pairs:
            if idea in (pair.a, pair.b):
                found += [p for p in pair.shared if p not in found]
        return found


# Made once: an alias builds its columns' proxies on first use, which cost more
# than the rest of the query when each request made new ones (the board and the
# inbox ask for the pairs on every page).
_IDEA_A, _IDEA_B = aliased(Idea, name="idea_a"), aliased(Idea, name="idea_b")


def _active_pairs(question_ids):
    """Suggested pairs of listed ideas that nobody dismissed: (candidate, a, b) rows."""
    idea_a, idea_b = _IDEA_A, _IDEA_B
    dismissed = exists().where(
        DuplicateDismissal.idea_a_id == DuplicateCandidate.idea_a_id,
        DuplicateDismissal.idea_b_id == DuplicateCandidate.idea_b_id,
    )
    return (
        select(DuplicateCandidate, idea_a.created_at, idea_b.created_at)
        .join(idea_a, idea_a.id == DuplicateCandidate.idea_a_id)
        .join(idea_b, idea_b.id == DuplicateCandidate.idea_b_id)
        .where(DuplicateCandidate.question_id.in_(question_ids))
        .where(listed_idea(idea_a))
        .where(listed_idea(idea_b))
        .where(~dismissed)
    )


def waiting_pairs(question: Question) -> list[tuple[int, int]]:
    """The question's suggested pairs waiting in its inbox, as (idea, idea) ids."""
    rows = db.session.execute(_active_pairs([question.id]))
    return [(candidate.idea_a_id, candidate.idea_b_id) for candidate, _a, _b in rows]


def inbox(question: Question, page: int) -> Page:
    """The question's duplicate groups, newest first (by their newest idea), paged."""
    rows = db.session.execute(_active_pairs([question.id])).all()
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    created: dict[int, datetime] = {}
    for candidate, created_a, created_b in rows:
        a, b = candidate.idea_a_id, candidate.idea_b_id
        created[a], created[b] = created_a, created_b
        parent[root(a)] = root(b)
    members: dict[int, list[int]] = {}
    for idea_id in created:
        members.setdefault(root(idea_id), []).append(idea_id)
    # Newest group first; ids break ties (and keep the order stable between pages).
    components = sorted(
        members.values(),
        key=lambda ids: max((created[i], i) for i in ids),
        reverse=True,
    )
    per_page = current_app.config["DUPLICATE_GROUPS_PER_PAGE"]
    pages = _inbox_pages(
        components, per_page, current_app.config["DUPLICATE_IDEAS_PER_PAGE"]
    )
    page = min(max(page, 1), len(pages) + 1)
    shown = pages[page - 1] if page <= len(pages) else []
    groups = _build_groups(shown, [row[0] for row in rows], created)
    return Page(groups, page, per_page, len(components), page_count=len(pages))


def _inbox_pages(components: list, groups: int, ideas: int) -> list[list]:
    """The groups split into pages of at most `groups` groups and, past the first
    group of a page, at most `ideas` ideas: a few large groups fill a page (each
    idea comes with its text, its pairs and its merge choices)."""
    pages: list[list] = []
    for component in components:
        page = pages[-1] if pages else None
        if (
            page is None
            or len(page) >= groups
            or sum(map(len, page)) + len(component) > ideas
        ):
            pages.append([component])
        else:
            page.append(component)
    return pages


def _build_groups(components, candidates, created) -> list[Group]:
    wanted = {idea_id for ids in components for idea_id in ids}
    if not wanted:
        return []
    ideas = {
        idea.id: idea
        for idea in db.session.scalars(
            select(Idea).options(joinedload(Idea.author)).where(Idea.id.in_(wanted))
        )
    }
    groups = []
    for ids in components:
        in_group = set(ids)
        pairs = [
            Pair(ideas[c.idea_a_id], ideas[c.idea_b_id], c.similarity, c.shared or [])
            for c in candidates
            if c.idea_a_id in in_group
        ]
        pairs.sort(key=lambda p: (-p.similarity, p.a.id, p.b.id))
        group_ideas = sorted(
            (ideas[i] for i in ids), key=lambda i: (-i.support_count, i.id)
        )
        groups.append(
            Group(
                group_ideas,
                pairs,
                max(created[i] for i in ids),
                key="-".join(str(i) for i in sorted(ids)),
            )
        )
    return groups


def waiting_pair_counts(question_ids: list[int]) -> dict[int, int]:
    """How many suggested pairs wait in each question's inbox."""
    if not question_ids:
        return {}
    pairs = _active_pairs(question_ids).subquery()
    stmt = select(pairs.c.question_id, func.count()).group_by(pairs.c.question_id)
    return dict(db.session.execute(stmt).all())


_SEPARATOR = r"[^\w]+"


def highlight(text: str, phrases: list[str]) -> Markup:
    """`text`, escaped, with each of `phrases` (any case, any spacing) in <mark>."""
    text = text or ""
    patterns = [
        _SEPARATOR.join(re.escape(word) for word in phrase.split())
        for phrase in sorted(phrases, key=len, reverse=True)
        if phrase.strip()
    ]
    if not patterns:
        return escape(text)
    matcher = re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.IGNORECASE)
    out, last = [], 0
    for match in matcher.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup("<mark>%s</mark>") % match.group(0))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


# -- merging ---------------------------------------------------------------------------


def _int_values(values: Mapping, key: str) -> list[int]:
    raw = values.getlist(key) if hasattr(values, "getlist") else [values.get(key)]
    return [number for number in map(as_id, raw) if number is not None]


def merge_choice(question: Question, values: Mapping) -> tuple[Idea, list[Idea]]:
    """The surviving idea and the ideas to merge into it, as chosen in the inbox.

    Raises DomainError when the choice does not make a merge.
    """
    targets = _int_values(values, "target")
    source_ids = list(dict.fromkeys(_int_values(values, "source")))
    if not targets:
        raise DomainError(_("Choose the idea to keep."))
    source_ids = [i for i in source_ids if i != targets[0]]
    if not source_ids:
        raise DomainError(_("Choose at least one other idea to merge into it."))
    wanted = [targets[0], *source_ids]
    found = {
        idea.id: idea
        for idea in db.session.scalars(
            select(Idea)
            .options(joinedload(Idea.author))
            .where(Idea.id.in_(wanted), Idea.question_id == question.id)
        )
    }
    if len(found) != len(wanted):
        raise DomainError(_("These ideas are not all ideas of this question."))
    return found[targets[0]], [found[i] for i in source_ids]


@dataclass
class SourcePreview:
    """What merging one idea will do to its supports."""

    idea: Idea
    supporters: int
    moving: int
    already_on_target: int


@dataclass
class MergePreview:
    """Exactly what a merge will do, shown before a person confirms it."""

    target: Idea
    sources: list[SourcePreview]
    target_before: int
    target_after: int
    notified: int
    coauthors: list[User] = field(default_factory=list)


def _supporters(idea_id: int) -> set[int]:
    stmt = select(Support.user_id).where(Support.idea_id == idea_id)
    return set(db.session.scalars(stmt))


def merge_preview(
    target: Idea, sources: list[Idea], actor: User | None = None
) -> MergePreview:
    """Which supports move, how many were on both, the target's count after."""
    on_target = _supporters(target.id)
    before = len(on_target)
    everyone = set(on_target)
    previews = []
    for source in sources:
        supporters = _supporters(source.id)
        moving = supporters - on_target - {target.author_id}
        previews.append(
            SourcePreview(
                source, len(supporters), len(moving), len(supporters) - len(moving)
            )
        )
        on_target |= moving
        everyone |= supporters
    authors = {target.author_id, *(s.author_id for s in sources)}
    return MergePreview(
        target=target,
        sources=previews,
        target_before=before,
        target_after=len(on_target),
        notified=len((everyone | authors) - {actor.id if actor else None}),
        coauthors=[s.author for s in sources if s.author_id != target.author_id],
    )


def get_merge_or_404(merge_id: int) -> IdeaMerge:
    """A merge with its ideas loaded; 404 when there is none."""
    merge = db.session.get(
        IdeaMerge,
        merge_id,
        options=[joinedload(IdeaMerge.source), joinedload(IdeaMerge.target)],
    )
    if merge is None:
        abort(404)
    return merge


@dataclass
class UndoPreview:
    """What undoing a merge will put back."""

    merge: IdeaMerge
    restored: int  # supports that go back to the merged idea
    removed: int  # supports the merge added to the target, removed again
    kept: int  # supporters of both: their support on the target stays


def undo_preview(merge: IdeaMerge) -> UndoPreview:
    """The counts an admin reads before undoing a merge."""
    rows = db.session.execute(
        select(MergedSupport.added_to_target, func.count())
        .where(MergedSupport.merge_id == merge.id)
        .group_by(MergedSupport.added_to_target)
    ).all()
    counts = {bool(added): n for added, n in rows}
    added, kept = counts.get(True, 0), counts.get(False, 0)
    return UndoPreview(merge, added + kept, added, kept)


def recent_merges(question: Question, limit: int | None = None) -> list[IdeaMerge]:
    """The question's latest merges, undone ones included, newest first."""
    limit = limit or current_app.config["DUPLICATE_RECENT_MERGES"]
    source = aliased(Idea)
    stmt = (
        select(IdeaMerge)
        .join(source, source.id == IdeaMerge.source_id)
        .where(source.question_id == question.id)
        .options(
            joinedload(IdeaMerge.source),
            joinedload(IdeaMerge.target),
            joinedload(IdeaMerge.actor),
        )
        .order_by(IdeaMerge.created_at.desc(), IdeaMerge.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def merges_into(idea: Idea) -> list[IdeaMerge]:
    """The active merges of other ideas into this one, oldest first."""
    stmt = (
        select(IdeaMerge)
        .where(IdeaMerge.target_id == idea.id, IdeaMerge.undone_at.is_(None))
        .options(joinedload(IdeaMerge.source), joinedload(IdeaMerge.actor))
        .order_by(IdeaMerge.created_at, IdeaMerge.id)
    )
    return list(db.session.scalars(stmt))


def coauthors(idea: Idea) -> list[User]:
    """Authors of the ideas merged into this one (and into those), not its own."""
    found: dict[int, User] = {}
    frontier, seen = [idea.id], {idea.id}
    # Merges chain (A into B, then B into C): C's co-authors include A's author.
    while frontier:
        merged = db.session.scalars(
            select(Idea)
            .join(IdeaMerge, IdeaMerge.source_id == Idea.id)
            .where(IdeaMerge.target_id.in_(frontier), IdeaMerge.undone_at.is_(None))
            .options(joinedload(Idea.author))
            .order_by(IdeaMerge.created_at, IdeaMerge.id)
        ).all()
        frontier = [m.id for m in merged if m.id not in seen]
        seen.update(frontier)
        for source in merged:
            if source.author_id != idea.author_id:
                found.setdefault(source.author_id, source.author)
    return list(found.values())


def question_ideas_or_404(question: Question, *idea_ids: int) -> list[Idea]:
    """Ideas of this question by id, in the order asked; 404 if one is not."""
    found = {
        idea.id: idea
        for idea in db.session.scalars(
            select(Idea).where(Idea.id.in_(idea_ids), Idea.question_id == question.id)
        )
    }
    if any(idea_id not in found for idea_id in idea_ids):
        abort(404)
    return [found[idea_id] for idea_id in idea_ids]


def inbox_overview(page: int):
    """Public questions, newest first, with the pairs waiting in each inbox."""
    pagination = public_questions(page, current_app.config["QUESTIONS_PER_PAGE"])
    counts = waiting_pair_counts([q.id for q in pagination.items])
    return pagination, counts
