"""The governor's office's shortlist of a question's ideas, and its decisions.

The shortlist is the office's private working list, with private notes: it is not
an idea's public status (IdeaStatus.SHORTLISTED is set by a public response).
A decision records who chose which ideas, when and why; decisions are never
edited, a later one is added instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.shared.db import UTCDateTime, utcnow


class ShortlistEntry(db.Model):
    """An idea on its question's shortlist, with the officials' private note."""

    __tablename__ = "shortlist_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # An idea is on its own question's shortlist at most once.
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    added_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )
    # Private: shown to officials and admins only, never on a public page.
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    note_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    idea: Mapped[Idea] = relationship()
    added_by: Mapped[User | None] = relationship()


class ShortlistDecision(db.Model):
    """The office's decision on a question: the ideas chosen, by whom, when, why."""

    __tablename__ = "shortlist_decisions"
    __table_args__ = (
        CheckConstraint("length(trim(reason)) > 0", name="reason_not_empty"),
        Index("ix_shortlist_decisions_question_decided", "question_id", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)

    decided_by: Mapped[User | None] = relationship()
    ideas: Mapped[list[Idea]] = relationship(
        secondary="shortlist_decision_ideas", order_by="Idea.id"
    )

    @property
    def idea_ids(self) -> list[int]:
        return [idea.id for idea in self.ideas]


class ShortlistDecisionIdea(db.Model):
    """One idea chosen by a decision."""

    __tablename__ = "shortlist_decision_ideas"

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("shortlist_decisions.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
