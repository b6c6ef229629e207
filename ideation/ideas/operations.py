"""Writes of ideas and supports. They flush, never commit: the view commits once."""

from datetime import datetime

from ideation.auth.models import User
from ideation.auth.rules import ensure_email_confirmed, ensure_not_blocked
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.ideas.rules import (
    check_idea_text,
    ensure_accepts_ideas,
    ensure_editable,
    ensure_supportable,
    ensure_unsupportable,
    ensure_withdrawable,
)
from ideation.jobs import queue as jobs
from ideation.questions.models import Question
from ideation.shared.db import lock_row, utcnow
from ideation.supports.operations import add_support, remove_support


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
    idea = lock_row(idea)
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
    idea = lock_row(idea)
    ensure_withdrawable(idea, author)
    idea.status = IdeaStatus.WITHDRAWN
    idea.withdrawn_at = now or utcnow()
    db.session.flush()
    return idea


def support_idea(idea: Idea, user: User) -> bool:
    """Add `user`'s support once; True if added, False if it was already there."""
    idea = lock_row(idea)
    ensure_supportable(idea, user)
    return add_support(Support, "idea_id", idea, user)


def unsupport_idea(idea: Idea, user: User) -> bool:
    """Take back `user`'s support; True if removed, False if there was none."""
    idea = lock_row(idea)
    ensure_unsupportable(idea, user)
    return remove_support(Support, "idea_id", idea, user)


def _schedule_embedding(idea: Idea) -> None:
    # Saving never waits on the model: the vector is made by a job, committed (or
    # not) with the idea itself.
    jobs.enqueue("embed_idea", {"idea_id": idea.id}, key=f"embed:{idea.id}")
