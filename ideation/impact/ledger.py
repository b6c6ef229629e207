"""The public ledger of answer deadlines: each listed idea of a public question,
answered on time, late, or not yet (still in time, or overdue).

An idea is answered by its first public response that moves it out of
"submitted" (an IdeaResponse). Its deadline is its question's
(Question.response_deadline, computed in the site's time zone); the comparison and
the counting happen in SQL, one grouped query for the whole site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, null, or_, select, type_coerce

from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, listed_idea
from ideation.questions.models import Question, QuestionStatus
from ideation.responses.models import IdeaResponse
from ideation.shared.db import UTCDateTime, utcnow
from ideation.shared.pagination import Page

ON_TIME, LATE, OVERDUE, WAITING = "on_time", "late", "overdue", "waiting"
CATEGORIES = {
    ON_TIME: _l("Answered on time"),
    LATE: _l("Answered late"),
    OVERDUE: _l("Not answered, deadline passed"),
    WAITING: _l("Not answered yet, still in time"),
}


@dataclass
class Counts:
    """How many ideas are in each category."""

    on_time: int = 0
    late: int = 0
    overdue: int = 0
    waiting: int = 0

    def add(self, category: str, count: int) -> None:
        setattr(self, category, getattr(self, category) + count)

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.waiting

    @property
    def due(self) -> int:
        """Ideas whose fate is known: answered, or past the deadline unanswered."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_share(self) -> float | None:
        """Answered on time among the ideas due; None when none is due yet."""
        return self.on_time / self.due if self.due else None

    def as_dict(self) -> dict[str, int]:
        return {category: getattr(self, category) for category in CATEGORIES}


@dataclass
class QuestionLedger:
    question: Question
    deadline: datetime | None
    counts: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class LedgerRow:
    idea_id: int
    title: str
    submitted_at: datetime
    answered_at: datetime | None


def first_responses():
    """Per idea, when it was first answered (moved out of "submitted")."""
    return (
        select(
            IdeaResponse.idea_id.label("idea_id"),
            func.min(IdeaResponse.created_at).label("answered_at"),
        )
        .where(IdeaResponse.status_from == IdeaStatus.SUBMITTED.value)
        .group_by(IdeaResponse.idea_id)
        .subquery("first_responses")
    )


def _when(moment: datetime | None):
    return None if moment is None else literal(moment, UTCDateTime())


def deadline_of(deadlines: dict[int, datetime | None]):
    """SQL for the deadline of an idea's question, from {question id: deadline}."""
    known = {qid: _when(moment) for qid, moment in deadlines.items() if moment}
    if not known:
        return None
    return type_coerce(case(known, value=Idea.question_id, else_=null()), UTCDateTime)


def category(answered_at, deadline, now: datetime):
    """SQL for an idea's category. An answer exactly at the deadline is late: the
    deadline is the first instant of the day after the last one. Without a
    deadline (`None`: the ideas phase has no end yet) no idea is late."""
    if deadline is None:
        return case(
            (answered_at.is_not(None), literal(ON_TIME)), else_=literal(WAITING)
        )
    return case(
        (
            and_(
                answered_at.is_not(None),
                or_(deadline.is_(None), answered_at < deadline),
            ),
            literal(ON_TIME),
        ),
        (answered_at.is_not(None), literal(LATE)),
        (and_(deadline.is_not(None), deadline <= _when(now)), literal(OVERDUE)),
        else_=literal(WAITING),
    )


def _public_ideas(first):
    return (
        select(Idea)
        .join(first, first.c.idea_id == Idea.id, isouter=True)
        .where(listed_idea())
    )


def question_counts(question: Question, now: datetime | None = None) -> Counts:
    """The question's listed ideas per category."""
    first = first_responses()
    kind = category(
        first.c.answered_at, _when(question.response_deadline()), now or utcnow()
    )
    rows = (
        _public_ideas(first)
        .with_only_columns(kind.label("category"))
        .where(Idea.question_id == question.id)
        .subquery()
    )
    # Grouped outside: PostgreSQL does not see a CASE with bound parameters in
    # GROUP BY as the selected one (each gets its own parameter names).
    stmt = select(rows.c.category, func.count()).group_by(rows.c.category)
    counts = Counts()
    for name, count in db.session.execute(stmt):
        counts.add(name, count)
    return counts


def question_ideas(question: Question, wanted: str, page: int, per_page: int) -> Page:
    """One page of the question's ideas in category `wanted`, oldest first."""
    first = first_responses()
    kind = category(first.c.answered_at, _when(question.response_deadline()), utcnow())
    stmt = (
        _public_ideas(first)
        .with_only_columns(Idea.id, Idea.title, Idea.created_at, first.c.answered_at)
        .where(Idea.question_id == question.id, kind == wanted)
    )
    total = db.session.scalar(stmt.with_only_columns(func.count()).order_by(None))
    rows = db.session.execute(
        stmt.order_by(Idea.created_at, Idea.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [LedgerRow(*row) for row in rows]
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def site_summary(now: datetime | None = None) -> list[QuestionLedger]:
    """Every public question with its counts, newest first: one grouped query."""
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.status != QuestionStatus.DRAFT.value)
            .order_by(Question.published_at.desc(), Question.id.desc())
        )
    )
    ledgers = {q.id: QuestionLedger(q, q.response_deadline()) for q in questions}
    if not ledgers:
        return []
    first = first_responses()
    kind = category(
        first.c.answered_at,
        deadline_of({qid: ledger.deadline for qid, ledger in ledgers.items()}),
        now or utcnow(),
    )
    rows = (
        _public_ideas(first)
        .with_only_columns(Idea.question_id, kind.label("category"))
        .where(Idea.question_id.in_(ledgers))
        .subquery()
    )
    stmt = select(rows.c.question_id, rows.c.category, func.count()).group_by(
        rows.c.question_id, rows.c.category
    )
    for question_id, name, count in db.session.execute(stmt):
        ledgers[question_id].counts.add(name, count)
    return list(ledgers.values())


def totals(ledgers: list[QuestionLedger]) -> Counts:
    counts = Counts()
    for ledger in ledgers:
        for name, count in ledger.counts.as_dict().items():
            counts.add(name, count)
    return counts
