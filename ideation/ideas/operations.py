"""Writes of ideas and supports. They flush, never commit: the view commits once."""

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import jobs
from ..auth.rules import ensure_email_confirmed
from ..extensions import db
from ..models import Idea, IdeaStatus, Question, Support, User, utcnow
from ..moderation.rules import ensure_not_blocked
from .rules import (
    check_idea_text,
    ensure_accepts_ideas,
    ensure_editable,
    ensure_supportable,
    ensure_unsupportable,
    ensure_withdrawable,
)

# ON CONFLICT DO NOTHING is spelled the same on both backends, but SQLAlchemy
# builds it from each dialect's own insert().
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def submit_idea(
    question: Question, author: User, title: str, description: str = ""
) -> Idea:
    """Publish `author`'s idea on an open question."""
    description = description or ""
    ensure_not_blocked(author)
    ensure_email_confirmed(author)
    ensure_accepts_ideas(question)
    check_idea_text(title, description)
    idea = Idea(question=question, author=author, title=title, description=description)
    db.session.add(idea)
    db.session.flush()
    _schedule_embedding(idea)
    return idea


def edit_idea(
    idea: Idea,
    editor: User,
    title: str,
    description: str = "",
    now: datetime | None = None,
) -> Idea:
    """Change an idea's text: its author, early on, before anyone supports it."""
    description = description or ""
    now = now or utcnow()
    # The lock makes a support arriving meanwhile wait, so the text a supporter
    # backs is never changed under them.
    idea = _lock(idea)
    ensure_editable(idea, editor, now)
    check_idea_text(title, description)
    idea.title = title
    idea.description = description
    idea.updated_at = now
    db.session.flush()
    _schedule_embedding(idea)
    return idea


def withdraw_idea(idea: Idea, author: User, now: datetime | None = None) -> Idea:
    """Withdraw an idea at its author's request; its supports stay as history."""
    idea = _lock(idea)
    ensure_withdrawable(idea, author)
    idea.status = IdeaStatus.WITHDRAWN.value
    idea.withdrawn_at = now or utcnow()
    db.session.flush()
    return idea


def support_idea(idea: Idea, user: User) -> bool:
    """Add `user`'s support once; True if added, False if it was already there."""
    idea = _lock(idea)
    ensure_supportable(idea, user)
    insert = _INSERTS[db.session.get_bind().dialect.name]
    # RETURNING yields an id only when a row was inserted; a conflict (no row)
    # means the support was already there. rowcount cannot tell: psycopg gives -1.
    added = db.session.scalar(
        insert(Support)
        .values(idea_id=idea.id, user_id=user.id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["idea_id", "user_id"])
        .returning(Support.id)
    )
    if added is not None:
        _add_to_count(idea, 1)
    return added is not None


def unsupport_idea(idea: Idea, user: User) -> bool:
    """Take back `user`'s support; True if removed, False if there was none."""
    idea = _lock(idea)
    ensure_unsupportable(idea, user)
    removed = db.session.execute(
        delete(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
    ).rowcount
    if removed:
        _add_to_count(idea, -1)
    return bool(removed)


def _schedule_embedding(idea: Idea) -> None:
    # Saving never waits on the model: the vector is made by a job, committed (or
    # not) with the idea itself.
    jobs.enqueue("embed_idea", {"idea_id": idea.id}, key=f"embed:{idea.id}")


def _lock(idea: Idea) -> Idea:
    """Lock the idea's row until commit and reload it, so checks see the latest state.

    FOR UPDATE serializes support changes per idea on PostgreSQL; SQLite ignores it
    and serializes all writers anyway.
    """
    stmt = (
        select(Idea)
        .where(Idea.id == idea.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()


def _add_to_count(idea: Idea, delta: int) -> None:
    # In SQL, not `idea.support_count += 1`: the database adds to its own value.
    db.session.execute(
        update(Idea)
        .where(Idea.id == idea.id)
        .values(support_count=Idea.support_count + delta)
    )
