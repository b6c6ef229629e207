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

# An idea in these statuses takes no more responses, not even an update: the author
# withdrew it, or a moderator merged it into another idea (whose page goes on).
CLOSED_TO_RESPONSES = (S.WITHDRAWN, S.MERGED)

# What the status menu sends for "no change": a public update, the status stays.
UPDATE = "update"

# Statuses a response can set: every target of the table.
RESPONSE_TARGETS = tuple(
    status for status in IdeaStatus if any(status in t for t in TRANSITIONS.values())
)

_TARGETS = [s.value for s in RESPONSE_TARGETS]


class IdeaResponse(db.Model):
    """A status change of an idea with its public response, signed by a department;
    or, when the status stays (`status_to == status_from`), a public update.

    A published response can be corrected: its earlier wording is kept as an
    IdeaResponseRevision, and the idea page shows both.
    """

    __tablename__ = "idea_responses"
    __table_args__ = (
        CheckConstraint(check_enum("status_from", IdeaStatus), name="status_from"),
        # A move the table allows, or an update that keeps the status.
        CheckConstraint(
            f"{check_in('status_to', _TARGETS)} OR status_to = status_from",
            name="status_to",
        ),
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
    # When the wording was last corrected (the earlier ones: `revisions`).
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    idea: Mapped[Idea] = relationship()
    actor: Mapped[User | None] = relationship()
    revisions: Mapped[list[IdeaResponseRevision]] = relationship(
        order_by="IdeaResponseRevision.id",
        back_populates="response",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_update(self) -> bool:
        """A public update: the idea's status stayed as it was."""
        return self.status_to == self.status_from

    def __repr__(self) -> str:
        return (
            f"<IdeaResponse {self.id} idea {self.idea_id} "
            f"{self.status_from}->{self.status_to}>"
        )


class IdeaResponseRevision(db.Model):
    """The wording a response had before an official corrected it: public history."""

    __tablename__ = "idea_response_revisions"
    __table_args__ = (
        CheckConstraint("length(trim(body)) > 0", name="body_not_empty"),
        CheckConstraint("length(trim(department)) > 0", name="department_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("idea_responses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    department: Mapped[str] = mapped_column(String(120), nullable=False)
    # When this wording was published (the response's date, or the last correction).
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # When it was replaced, and by whom.
    replaced_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    response: Mapped[IdeaResponse] = relationship(back_populates="revisions")
