"""Pairs shown to voters, their answers, and the scores fitted from them.

A pair is issued by the server to one voter and answered at most once (a vote's
pair_id is unique); a voter never gets the same two proposals twice (unique voter
and pair, stored smaller id first) nor a proposal against itself (CHECK).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.extensions import db
from ideation.proposals.models import Proposal
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow


class Choice(enum.StrEnum):
    LOW = "low"  # the proposal with the smaller id won
    HIGH = "high"  # the proposal with the larger id won
    UNDECIDED = "undecided"  # "I can't decide"


class UndecidedReason(enum.StrEnum):
    BOTH_GOOD = "both_good"
    DONT_KNOW = "dont_know"
    SAME = "same"


class VotePair(db.Model):
    """Two proposals of a question shown to one voter."""

    __tablename__ = "vote_pairs"
    __table_args__ = (
        CheckConstraint("low_id < high_id", name="pair_in_order"),
        UniqueConstraint("voter_id", "low_id", "high_id"),
        # Pair choice counts how often each proposal was shown.
        Index("ix_vote_pairs_question_voter", "question_id", "voter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    )
    voter_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    low_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), nullable=False, index=True
    )
    high_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # Which one is shown first (left, or on top on a phone): random, so that
    # position does not favour the older proposal.
    high_first: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    issued_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    low: Mapped[Proposal] = relationship(foreign_keys=[low_id])
    high: Mapped[Proposal] = relationship(foreign_keys=[high_id])

    @property
    def shown(self) -> tuple[Proposal, Proposal]:
        """The two proposals in the order the voter sees them."""
        return (self.high, self.low) if self.high_first else (self.low, self.high)


class Vote(db.Model):
    """A voter's answer to one issued pair."""

    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint(check_enum("choice", Choice), name="choice"),
        CheckConstraint(check_enum("reason", UndecidedReason), name="reason"),
        CheckConstraint(
            "reason IS NULL OR choice = 'undecided'", name="reason_when_undecided"
        ),
        Index("ix_votes_question_created", "question_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One answer per issued pair, however many requests race to give it.
    pair_id: Mapped[int] = mapped_column(
        ForeignKey("vote_pairs.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    )
    voter_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    choice: Mapped[Choice] = mapped_column(enum_type(Choice, 16), nullable=False)
    reason: Mapped[UndecidedReason | None] = mapped_column(
        enum_type(UndecidedReason, 16)
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )

    pair: Mapped[VotePair] = relationship()


class ProposalScore(db.Model):
    """A proposal's fitted score, as of the question's last computation."""

    __tablename__ = "proposal_scores"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 100", name="score_in_range"),
        CheckConstraint(
            "low >= 0 AND low <= score AND score <= high AND high <= 100",
            name="interval_around_score",
        ),
        CheckConstraint(
            "wins >= 0 AND losses >= 0 AND undecided >= 0", name="counts_not_negative"
        ),
        CheckConstraint("rank >= 1", name="rank_positive"),
        Index("ix_proposal_scores_question_rank", "question_id", "rank"),
    )

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    )
    # Chance (0-100) to win against a proposal picked at random, and its interval.
    score: Mapped[float] = mapped_column(Float, nullable=False)
    low: Mapped[float] = mapped_column(Float, nullable=False)
    high: Mapped[float] = mapped_column(Float, nullable=False)
    wins: Mapped[int] = mapped_column(Integer, nullable=False)
    losses: Mapped[int] = mapped_column(Integer, nullable=False)
    undecided: Mapped[int] = mapped_column(Integer, nullable=False)
    # 1 for the best; equal scores share a rank (ties are shown as such).
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    model: Mapped[str] = mapped_column(String(40), nullable=False)
    computed_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )

    proposal: Mapped[Proposal] = relationship()

    @property
    def comparisons(self) -> int:
        return self.wins + self.losses
