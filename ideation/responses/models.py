"""Officials' public responses to ideas, and where a response may move an idea.

Each status change is one IdeaResponse row: the idea's public, dated timeline. A
response given to a whole duplicate group or theme at once writes one row per idea,
tied together by a shared `group_key`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus
from ideation.shared.db import UTCDateTime, check_enum, check_in, enum_type, utcnow

S = IdeaStatus

# Where officials may move an idea from each status: the one table the operation,
# the status menus and the tests read. Withdrawn and merged ideas are out of an
# official's hands (the author withdrew it; a moderator merged it), so they have
# no moves; a declined idea may be reconsidered, and an idea that stalls in design
# may still be declined, each with its public response like any other change.
TRANSITIONS: dict[IdeaStatus, tuple[IdeaStatus, ...]] = {
    S.SUBMITTED: (S.UNDER_REVIEW, S.DECLINED),
    S.UNDER_REVIEW: (S.SHORTLISTED, S.DECLINED),
    S.SHORTLISTED: (S.SELECTED, S.DECLINED, S.UNDER_REVIEW),
    S.SELECTED: (S.IN_DESIGN, S.DECLINED),
    S.IN_DESIGN: (S.IMPLEMENTED, S.DECLINED),
    S.IMPLEMENTED: (),
    S.DECLINED: (S.UNDER_REVIEW,),
    S.WITHDRAWN: (),
    S.MERGED: (),
}

# Statuses a response can set: every target of the table.
RESPONSE_TARGETS = tuple(
    status for status in IdeaStatus if any(status in t for t in TRANSITIONS.values())
)

_TARGETS = [s.value for s in RESPONSE_TARGETS]


class IdeaResponse(db.Model):
    """A status change of an idea with its public response, signed by a department."""

    __tablename__ = "idea_responses"
    __table_args__ = (
        CheckConstraint(check_enum("status_from", IdeaStatus), name="status_from"),
        CheckConstraint(check_in("status_to", _TARGETS), name="status_to"),
        CheckConstraint("status_from <> status_to", name="status_changes"),
        CheckConstraint("length(trim(body)) > 0", name="body_not_empty"),
        CheckConstraint("length(trim(department)) > 0", name="department_not_empty"),
        # The idea page's timeline, oldest first.
        Index("ix_idea_responses_idea_created", "idea_id", "created_at"),
        # The official's last department, to prefill the next form.
        Index("ix_idea_responses_actor_created", "actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False
    )
    status_from: Mapped[IdeaStatus] = mapped_column(
        enum_type(IdeaStatus, 16), nullable=False
    )
    # Only a status a response can set: its CHECK lists RESPONSE_TARGETS, not all.
    status_to: Mapped[IdeaStatus] = mapped_column(
        enum_type(IdeaStatus, 16), nullable=False
    )
    # Markdown, shown through ideation.shared.text.render_markdown (sanitized).
    # For a decline it is the public reason.
    body: Mapped[str] = mapped_column(Text, nullable=False)
    department: Mapped[str] = mapped_column(String(120), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )
    # Shared by the rows of one response given to several ideas at once.
    group_key: Mapped[str | None] = mapped_column(String(32), index=True)

    idea: Mapped[Idea] = relationship()
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return (
            f"<IdeaResponse {self.id} idea {self.idea_id} "
            f"{self.status_from}->{self.status_to}>"
        )
