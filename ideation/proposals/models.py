"""A question's consultation cycle, and the proposals synthesised from its ideas.

A question without a cycle row works as a plain idea board. A proposal keeps the
ideas it was written from (an idea may feed several proposals) and the people it
credits: the authors and co-authors of those ideas, as they were when it was written.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.audit.links import AuditLink
from ideation.extensions import db
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow


class Phase(enum.StrEnum):
    IDEAS = "ideas"
    SYNTHESIS = "synthesis"
    VOTING = "voting"
    RESULTS = "results"
    MEETING = "meeting"


# The cycle's order: officials move a question on, one phase at a time.
PHASES = tuple(Phase)
PHASE_LABELS = {
    Phase.IDEAS: _l("Ideas"),
    Phase.SYNTHESIS: _l("Synthesis"),
    Phase.VOTING: _l("Voting"),
    Phase.RESULTS: _l("Results"),
    Phase.MEETING: _l("Meeting with the governor"),
}


class QuestionCycle(db.Model):
    """Where a question is in the consultation cycle, and the dates of its phases."""

    __tablename__ = "question_cycles"
    __table_args__ = (
        CheckConstraint(check_enum("phase", Phase), name="phase"),
        CheckConstraint(
            "ideas_close_at IS NULL OR voting_opens_at IS NULL"
            " OR voting_opens_at >= ideas_close_at",
            name="voting_after_ideas",
        ),
        CheckConstraint(
            "voting_close_at IS NULL OR voting_opens_at IS NULL"
            " OR voting_close_at > voting_opens_at",
            name="voting_dates_in_order",
        ),
        CheckConstraint(
            "meeting_at IS NULL OR voting_close_at IS NULL"
            " OR meeting_at >= voting_close_at",
            name="meeting_after_voting",
        ),
    )

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    phase: Mapped[Phase] = mapped_column(enum_type(Phase, 16), default=Phase.IDEAS)
    ideas_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    phase_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def current_phase(self, now: datetime | None = None) -> Phase:
        """The stored phase, moved on by the dates that have passed: ideas end at
        ideas_close_at, voting starts at voting_opens_at and ends at voting_close_at.
        Officials move it on by hand; dates never move it back."""
        now = now or utcnow()
        phase = Phase(self.phase)
        if phase == Phase.IDEAS and self.ideas_close_at and now >= self.ideas_close_at:
            phase = Phase.SYNTHESIS
        if (
            phase == Phase.SYNTHESIS
            and self.voting_opens_at
            and now >= self.voting_opens_at
        ):
            phase = Phase.VOTING
        if (
            phase == Phase.VOTING
            and self.voting_close_at
            and now >= self.voting_close_at
        ):
            phase = Phase.RESULTS
        return phase


class Proposal(db.Model):
    """A proposal written by officials from one or more ideas of a question."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint(
            "length(title) > 0 AND length(title) <= 140", name="title_length"
        ),
        CheckConstraint("length(body) <= 5000", name="body_length"),
        CheckConstraint("length(sub_theme) <= 80", name="sub_theme_length"),
        Index("ix_proposals_question_sub_theme", "question_id", "sub_theme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    )
    title: Mapped[str] = mapped_column(String(140), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Empty: no sub-theme. Free text, so that officials name the few they need.
    sub_theme: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )

    ideas = relationship(
        "Idea", secondary="proposal_ideas", order_by="Idea.id", viewonly=True
    )
    credited = relationship(
        "User",
        secondary="proposal_credits",
        order_by="User.id",
        viewonly=True,
    )


class ProposalIdea(db.Model):
    """An idea a proposal was written from."""

    __tablename__ = "proposal_ideas"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    # The idea page lists its proposals, the board the ideas no proposal used.
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProposalCredit(db.Model):
    """Someone credited on a proposal: the author or a co-author of one of its ideas."""

    __tablename__ = "proposal_credits"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    user = relationship("User")


AUDIT_LINKS = [
    AuditLink("proposals", Proposal, _l("Proposal"), "proposals.show", "proposal_id")
]
