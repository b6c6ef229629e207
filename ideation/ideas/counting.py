"""The question's count of listed ideas (`Question.idea_count`), kept in step with
its ideas in the transaction that changes them.

Whatever lists or unlists an idea (submitting, withdrawing, merging and undoing a
merge, hiding and restoring, in any feature) goes through the ORM, so one flush
listener sees every change: for each idea added, deleted, or whose status or
hidden_at changed, it compares listed before and after and adds the difference to
the question's count in SQL (`idea_count = idea_count + n`), which the database
applies atomically under concurrent transactions (the row is locked on PostgreSQL;
SQLite's writers are serialized). The operations that unlist an idea lock its row
first (`lock_row`), so two transactions cannot both see it listed and both count it
out. An idea whose earlier state was never loaded (no history) has its question
counted again instead.
"""

from collections import Counter

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from ideation.ideas.models import UNLISTED_IDEA_STATUSES, Idea, listed_idea
from ideation.questions.models import Question

_WATCHED = ("status", "hidden_at")
_PENDING = "ideation.idea_count.refresh"


def _listed(status, hidden_at) -> bool:
    return str(status) not in UNLISTED_IDEA_STATUSES and hidden_at is None


def _before(idea: Idea):
    """(status, hidden_at) as last flushed, or None when unknown."""
    state = inspect(idea)
    values = []
    for name in _WATCHED:
        history = state.attrs[name].history
        if history.deleted:
            values.append(history.deleted[0])
        elif history.unchanged:
            values.append(history.unchanged[0])
        elif not history.added:
            values.append(getattr(idea, name))
        else:
            return None  # set without its earlier value loaded
    return tuple(values)


@event.listens_for(Session, "after_flush")
def _count_listed_ideas(session: Session, _flush_context) -> None:
    deltas: Counter = Counter()
    recount: set[int] = set()
    for idea in session.new:
        if isinstance(idea, Idea) and _listed(idea.status, idea.hidden_at):
            deltas[idea.question_id] += 1
    for idea in session.deleted:
        if isinstance(idea, Idea):
            before = _before(idea)
            if before is None:
                recount.add(idea.question_id)
            elif _listed(*before):
                deltas[idea.question_id] -= 1
    for idea in session.dirty:
        if not isinstance(idea, Idea) or not session.is_modified(idea):
            continue
        before = _before(idea)
        if before is None:
            recount.add(idea.question_id)
            continue
        now = _listed(idea.status, idea.hidden_at)
        deltas[idea.question_id] += int(now) - int(_listed(*before))
    connection = session.connection()
    for question_id, delta in deltas.items():
        if delta and question_id not in recount:
            connection.execute(
                update(Question)
                .where(Question.id == question_id)
                .values(idea_count=Question.idea_count + delta)
            )
    for question_id in recount:
        connection.execute(recount_statement(question_id))
    changed = {q for q, d in deltas.items() if d} | recount
    if changed:
        session.info.setdefault(_PENDING, set()).update(changed)


@event.listens_for(Session, "after_flush_postexec")
def _expire_counts(session: Session, _flush_context) -> None:
    # The loaded questions read their new count from the database when next used.
    for question_id in session.info.pop(_PENDING, ()):
        question = session.identity_map.get(identity_key(Question, question_id))
        if question is not None:
            session.expire(question, ["idea_count"])


def recount_statement(question_id: int):
    """UPDATE setting the question's idea_count to its listed ideas, counted."""
    listed = (
        select(func.count(Idea.id))
        .where(Idea.question_id == question_id, listed_idea())
        .scalar_subquery()
    )
    return update(Question).where(Question.id == question_id).values(idea_count=listed)
