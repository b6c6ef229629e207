"""Ideas and their supports."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.audit.links import AuditLink
from ideation.auth.models import User
from ideation.extensions import db
from ideation.questions.models import Question
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow
from ideation.shared.visibility import ModeratedKind


class IdeaStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    IN_DESIGN = "in_design"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"  # folded into another idea (merged_into_id) by a moderator


# Ideas out of the public list: withdrawn by their author, or merged into another.
UNLISTED_IDEA_STATUSES = (IdeaStatus.WITHDRAWN.value, IdeaStatus.MERGED.value)


# Random sort keys fit PostgreSQL's 32-bit integer.
SHUFFLE_KEY_RANGE = 2**31 - 1


def new_shuffle_key() -> int:
    """A random place in the random order (ideation.ideas.queries), for a new idea."""
    return secrets.randbelow(SHUFFLE_KEY_RANGE)


def listed_idea(entity=None):
    """SQL condition: the idea (or an alias of Idea) is in the public list, i.e.
    neither withdrawn, merged nor hidden by the moderators."""
    entity = entity if entity is not None else Idea
    return and_(
        entity.status.not_in(UNLISTED_IDEA_STATUSES), entity.hidden_at.is_(None)
    )


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint(check_enum("status", IdeaStatus), name="status"),
        CheckConstraint("support_count >= 0", name="support_count_not_negative"),
        CheckConstraint(
            "length(title) > 0 AND length(title) <= 140", name="title_length"
        ),
        CheckConstraint("length(description) <= 2000", name="description_length"),
        # A merged idea always says where it went, and only a merged one does.
        CheckConstraint(
            "(status = 'merged' AND merged_into_id IS NOT NULL)"
            " OR (status <> 'merged' AND merged_into_id IS NULL)",
            name="merged_into_when_merged",
        ),
        CheckConstraint("merged_into_id <> id", name="not_merged_into_itself"),
        # The id last: keyset pages read ties of a count (thousands of ideas
        # with no support) in id order from the index (ideation.shared.pagination).
        Index("ix_ideas_question_support", "question_id", "support_count", "id"),
        Index("ix_ideas_question_created", "question_id", "created_at"),
        Index("ix_ideas_question_shuffle", "question_id", "shuffle_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[IdeaStatus] = mapped_column(
        enum_type(IdeaStatus, 16), default=IdeaStatus.SUBMITTED
    )
    # Kept equal to the number of Support rows by the support operations,
    # which lock the idea row and change both in one transaction.
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the idea falls in the random order, drawn once when it is saved.
    shuffle_key: Mapped[int] = mapped_column(Integer, default=new_shuffle_key)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The surviving idea, while this one is merged (see duplicates.IdeaMerge).
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id"), index=True
    )
    # Hidden by the moderators (ideation.moderation); an empty reason means
    # "pending review" (hidden automatically after enough flags).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    question: Mapped[Question] = relationship()
    author: Mapped[User] = relationship()
    merged_into: Mapped[Idea | None] = relationship(remote_side=[id])

    @property
    def is_withdrawn(self) -> bool:
        return self.status == IdeaStatus.WITHDRAWN

    @property
    def is_merged(self) -> bool:
        return self.status == IdeaStatus.MERGED


class Support(db.Model):
    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


AUDIT_LINKS = [AuditLink("ideas", Idea, _l("Idea"), "ideas.show", "idea_id")]
# People may report ideas; an idea of a draft question is not shown at all.
MODERATED = [
    ModeratedKind(
        "idea",
        Idea,
        "ideas.show",
        "idea_id",
        is_public=lambda idea: idea.question.is_public(),
    )
]
