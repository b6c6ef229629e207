"""The impact dashboard's figures, counted in SQL.

The figures are plain data (keys and numbers, no translated text), so that one
cached copy serves every visitor in every language; charts.py turns them into
labelled charts. Public figures leave out what moderators hid; the officials'
view counts it too, and adds per-department figures.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import Select, func, literal, select, union_all

from ideation.extensions import db
from ideation.governor.models import GovernorQuestion, GovernorQuestionStatus
from ideation.ideas.models import UNLISTED_IDEA_STATUSES, Idea, IdeaStatus, Support
from ideation.impact import ledger
from ideation.measures.models import Measure, MeasureStatus
from ideation.questions.models import Question, QuestionStatus
from ideation.responses.models import IdeaResponse
from ideation.shared.db import dialect_name, utcnow
from ideation.shared.i18n import site_zone

PERIODS = ("month", "week")
# The way from an idea to a result, in order (declined ideas leave it).
CHAIN = (
    IdeaStatus.SUBMITTED.value,
    IdeaStatus.UNDER_REVIEW.value,
    IdeaStatus.SHORTLISTED.value,
    IdeaStatus.SELECTED.value,
    IdeaStatus.IN_DESIGN.value,
    IdeaStatus.IMPLEMENTED.value,
)
SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class Scope:
    """What a dashboard shows: one question or all, by month or week, and whether
    for officials (hidden items counted, departments)."""

    question_id: int | None = None
    period: str = "month"
    official: bool = False


@dataclass
class Series:
    """Rows of a breakdown: their keys, and one list of numbers per measure."""

    keys: list[str] = field(default_factory=list)
    values: dict[str, list[float | None]] = field(default_factory=dict)


@dataclass
class Figures:
    participation: Series
    totals: dict[str, int]
    regions: Series | None
    funnel: Series
    answers: ledger.Counts
    median_days: float | None
    answered: int
    governor: Series
    measures: Series
    hidden: Series | None = None
    departments: Series | None = None


# -- participation ---------------------------------------------------------------------


def activity(scope: Scope) -> dict[str, Select]:
    """Who took part, when and where, per kind of participation: rows of
    (user_id, at, region). Each kind is one series of the participation chart and
    counts towards "people"; a new kind (pairwise votes) is one more entry here
    and a label in charts.SERIES_LABELS."""
    ideas = select(
        Idea.author_id.label("user_id"),
        Idea.created_at.label("at"),
        Question.region.label("region"),
    ).join(Question, Question.id == Idea.question_id)
    supports = (
        select(
            Support.user_id.label("user_id"),
            Support.created_at.label("at"),
            Question.region.label("region"),
        )
        .join(Idea, Idea.id == Support.idea_id)
        .join(Question, Question.id == Idea.question_id)
    )
    return {"ideas": _in_scope(ideas, scope), "supports": _in_scope(supports, scope)}


def _in_scope(stmt: Select, scope: Scope) -> Select:
    """Ideas (and what hangs on them) of public questions, one question's if
    asked; for the public, none that moderators hid."""
    stmt = stmt.where(Question.status != QuestionStatus.DRAFT.value)
    if scope.question_id is not None:
        stmt = stmt.where(Idea.question_id == scope.question_id)
    if not scope.official:
        stmt = stmt.where(Idea.hidden_at.is_(None))
    return stmt


def utc_hour(column):
    """SQL: the UTC hour of `column`, as 'YYYY-MM-DD HH'. Rows are grouped by
    hour in SQL (cheap text on SQLite, which stores 'YYYY-MM-DD HH:MM:SS...'),
    and each hour placed in its local period in Python (period_of): exact in
    every zone whose offset is whole hours, summer time included."""
    if dialect_name() == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.substr(column, 1, 13)


def period_of(hour: str, period: str, zone) -> str:
    """The first day ('YYYY-MM-DD') of the local month or week (from Monday) of
    a UTC hour given as 'YYYY-MM-DD HH'."""
    moment = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
    day = moment.astimezone(zone).date()
    if period == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    return day.replace(day=1).isoformat()


def _periods_between(first: str, last: str, period: str) -> list[str]:
    """Every period from `first` to `last`, so that quiet ones show as zero."""
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    keys = []
    while day <= end:
        keys.append(day.isoformat())
        if period == "week":
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return keys


def participation(scope: Scope) -> tuple[Series, Series, dict[str, int]]:
    """Per period and per region: each kind of participation, and the people who
    took part in any; then the totals over all time.

    One scan of every kind's rows, grouped by (hour, region, person, kind): the
    distinct people of a period or a region are counted from those groups, so the
    supports are read once, not once per figure.
    """
    sources = activity(scope)
    rows = union_all(
        *(
            stmt.add_columns(literal(name).label("kind"))
            for name, stmt in sources.items()
        )
    ).subquery()
    # The hour is computed inside and grouped outside: PostgreSQL does not see an
    # expression with bound parameters in GROUP BY as the selected one.
    hours = select(
        utc_hour(rows.c.at).label("hour"), rows.c.region, rows.c.user_id, rows.c.kind
    ).subquery()
    columns = (hours.c.hour, hours.c.region, hours.c.user_id, hours.c.kind)
    grouped = db.session.execute(select(*columns, func.count()).group_by(*columns))
    zone, periods = site_zone(), {}
    counts = {name: defaultdict(int) for name in sources}
    region_counts = {name: defaultdict(int) for name in sources}
    people, region_people, everyone = defaultdict(set), defaultdict(set), set()
    for hour_key, region, user_id, kind, count in grouped:
        period = periods.get(hour_key)
        if period is None:
            period = periods[hour_key] = period_of(hour_key, scope.period, zone)
        region = region or ""
        counts[kind][period] += count
        region_counts[kind][region] += count
        people[period].add(user_id)
        region_people[region].add(user_id)
        everyone.add(user_id)
    counts["people"] = {period: len(users) for period, users in people.items()}
    region_counts["people"] = {r: len(users) for r, users in region_people.items()}
    seen = sorted(people)
    keys = _periods_between(seen[0], seen[-1], scope.period) if seen else []
    by_period = Series(
        keys, {name: [c.get(k, 0) for k in keys] for name, c in counts.items()}
    )
    region_keys = sorted(region_people)
    by_region = Series(
        region_keys,
        {name: [c.get(k, 0) for k in region_keys] for name, c in region_counts.items()},
    )
    totals = {name: sum(c.values()) for name, c in counts.items()}
    totals["people"] = len(everyone)
    return by_period, by_region, totals


# -- the funnel, answers ---------------------------------------------------------------


def funnel(scope: Scope) -> Series:
    """Per stage of the chain: the ideas there now, and those that reached it
    (now there or further, or declined from there or further on). Withdrawn
    and merged ideas are left out."""
    base = _in_scope(
        select(Idea.status, func.count())
        .join(Question, Question.id == Idea.question_id)
        .where(Idea.status.not_in(UNLISTED_IDEA_STATUSES)),
        scope,
    )
    now = dict(db.session.execute(base.group_by(Idea.status)).all())
    last_decline = (
        select(func.max(IdeaResponse.id).label("id"))
        .where(IdeaResponse.status_to == IdeaStatus.DECLINED.value)
        .group_by(IdeaResponse.idea_id)
        .subquery()
    )
    declined_from = dict(
        db.session.execute(
            _in_scope(
                select(IdeaResponse.status_from, func.count())
                .join(last_decline, last_decline.c.id == IdeaResponse.id)
                .join(Idea, Idea.id == IdeaResponse.idea_id)
                .join(Question, Question.id == Idea.question_id)
                .where(Idea.status == IdeaStatus.DECLINED.value),
                scope,
            ).group_by(IdeaResponse.status_from)
        ).all()
    )
    return build_funnel(now, declined_from)


def build_funnel(now: dict[str, int], declined_from: dict[str, int]) -> Series:
    """The funnel from counts of ideas per current status and of declined ideas
    per the status they were declined from (a pure function, for the tests)."""
    declined = now.get(IdeaStatus.DECLINED.value, 0)
    # A declined idea whose decline is not on record left from "submitted".
    leaving = {s: declined_from.get(s, 0) for s in CHAIN}
    leaving[CHAIN[0]] += max(declined - sum(leaving.values()), 0)
    current = [now.get(stage, 0) for stage in CHAIN]
    reached = [
        sum(current[i:]) + sum(leaving[s] for s in CHAIN[i:]) for i in range(len(CHAIN))
    ]
    keys = [*CHAIN, IdeaStatus.DECLINED.value]
    return Series(keys, {"now": [*current, declined], "reached": [*reached, None]})


def answer_delays(scope: Scope) -> list[float]:
    """Days from each idea's submission to its first public response."""
    first = ledger.first_responses()
    stmt = _in_scope(
        select(Idea.created_at, first.c.answered_at)
        .join(first, first.c.idea_id == Idea.id)
        .join(Question, Question.id == Idea.question_id),
        scope,
    )
    return [
        _days(submitted, _aware(answered))
        for submitted, answered in db.session.execute(stmt)
    ]


def _aware(moment):
    """MIN() of a SQLite column comes back as text; PostgreSQL's as a datetime."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / SECONDS_PER_DAY


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def answer_counts(scope: Scope) -> ledger.Counts:
    if scope.question_id is not None:
        question = db.session.get(Question, scope.question_id)
        return ledger.question_counts(question)
    return ledger.totals(ledger.site_summary())


# -- the governor, measures ------------------------------------------------------------


def governor(scope: Scope) -> Series:
    """Questions to the governor per status (the public: those not hidden)."""
    stmt = select(GovernorQuestion.status, func.count()).group_by(
        GovernorQuestion.status
    )
    if not scope.official:
        stmt = stmt.where(GovernorQuestion.hidden_at.is_(None))
    counts = dict(db.session.execute(stmt).all())
    keys = [s.value for s in GovernorQuestionStatus]
    return Series(keys, {"questions": [counts.get(k, 0) for k in keys]})


def measures() -> Series:
    """Measures per status, with their mean progress where measures have one."""
    keys = [s.value for s in MeasureStatus]
    columns = [Measure.status, func.count()]
    progress = getattr(Measure, "progress", None)
    if progress is not None:
        columns.append(func.avg(progress))
    rows = {
        row[0]: row[1:]
        for row in db.session.execute(select(*columns).group_by(Measure.status))
    }
    values = {"measures": [rows.get(k, (0,))[0] for k in keys]}
    if progress is not None:
        values["progress"] = [
            round(float(rows[k][1]), 1)
            if k in rows and rows[k][1] is not None
            else None
            for k in keys
        ]
    return Series(keys, values)


# -- officials only --------------------------------------------------------------------


def hidden(scope: Scope) -> Series:
    """What is out of the public figures: ideas hidden by moderators, withdrawn or
    merged, and hidden questions to the governor."""
    base = _in_scope(
        select(func.count())
        .select_from(Idea)
        .join(Question, Question.id == Idea.question_id),
        scope,
    )
    counts = {
        "hidden_ideas": db.session.scalar(base.where(Idea.hidden_at.is_not(None))),
        "withdrawn_ideas": db.session.scalar(
            base.where(Idea.status == IdeaStatus.WITHDRAWN.value)
        ),
        "merged_ideas": db.session.scalar(
            base.where(Idea.status == IdeaStatus.MERGED.value)
        ),
        "hidden_governor_questions": db.session.scalar(
            select(func.count())
            .select_from(GovernorQuestion)
            .where(GovernorQuestion.hidden_at.is_not(None))
        ),
    }
    return Series(list(counts), {"count": list(counts.values())})


def departments(scope: Scope) -> Series:
    """Per department that signed ideas' first responses: how many, the median
    days to answer, and how many were on time or late."""
    first = ledger.first_responses()
    questions = list(
        db.session.scalars(
            select(Question).where(Question.status != QuestionStatus.DRAFT.value)
        )
    )
    deadline = ledger.deadline_of({q.id: q.response_deadline() for q in questions})
    kind = ledger.category(first.c.answered_at, deadline, utcnow())
    stmt = _in_scope(
        select(IdeaResponse.department, Idea.created_at, first.c.answered_at, kind)
        .join(
            first,
            (first.c.idea_id == IdeaResponse.idea_id)
            & (first.c.answered_at == IdeaResponse.created_at),
        )
        .join(Idea, Idea.id == IdeaResponse.idea_id)
        .join(Question, Question.id == Idea.question_id)
        .where(IdeaResponse.status_from == IdeaStatus.SUBMITTED.value),
        scope,
    )
    delays: dict[str, list[float]] = defaultdict(list)
    on_time: dict[str, int] = defaultdict(int)
    for department, submitted, answered, name in db.session.execute(stmt):
        delays[department].append(_days(submitted, _aware(answered)))
        on_time[department] += name == ledger.ON_TIME
    # Measures carry a department once the accountability work gives them one.
    measure_department = getattr(Measure, "department", None)
    measures_of: dict[str, int] = {}
    if measure_department is not None:
        measures_of = dict(
            db.session.execute(
                select(measure_department, func.count())
                .where(measure_department.is_not(None))
                .group_by(measure_department)
            ).all()
        )
    keys = sorted(set(delays) | set(measures_of))
    values = {
        "answered": [len(delays[k]) for k in keys],
        "median_days": [
            round(median(delays[k]), 1) if delays[k] else None for k in keys
        ],
        "on_time": [on_time[k] for k in keys],
    }
    if measure_department is not None:
        values["measures"] = [measures_of.get(k, 0) for k in keys]
    return Series(keys, values)


# -- all of it, cached -----------------------------------------------------------------


def figures(scope: Scope) -> Figures:
    """Every figure of a dashboard, from the cache when fresh."""
    return cached(("figures", scope), lambda: compute(scope))


def compute(scope: Scope) -> Figures:
    by_period, by_region, totals = participation(scope)
    delays = answer_delays(scope)
    result = Figures(
        participation=by_period,
        totals=totals,
        regions=by_region if scope.question_id is None else None,
        funnel=funnel(scope),
        answers=answer_counts(scope),
        median_days=median(delays),
        answered=len(delays),
        governor=governor(scope),
        measures=measures(),
    )
    if scope.official:
        result.hidden = hidden(scope)
        result.departments = departments(scope)
    return result


def cached(key, compute_value: Callable):
    """`compute_value()`, kept IMPACT_CACHE_SECONDS in this process: the public
    figures are the same for every visitor, and a minute old is fresh enough."""
    seconds = current_app.config["IMPACT_CACHE_SECONDS"]
    if seconds <= 0:
        return compute_value()
    store = current_app.extensions.setdefault("impact_cache", {})
    now = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute_value()
    if len(store) > 256:  # keys are bounded (questions × periods); stay small anyway
        store.clear()
    store[key] = (now + seconds, value)
    return value


def public_questions() -> list[Question]:
    """The questions a dashboard can be narrowed to."""
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.status != QuestionStatus.DRAFT.value)
            .order_by(Question.published_at.desc(), Question.id.desc())
        )
    )
