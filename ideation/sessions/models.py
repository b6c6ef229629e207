"""Design sessions, the ideas they design, and the invitations to them.

Overbooking is impossible in the schema: `seats_taken` counts accepted invitations
and a CHECK keeps it between 0 and the capacity; accepting takes a seat with one
conditional UPDATE of that counter (see seats.take_seat).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"  # attendance marked or outcome published


class InvitationStatus(enum.StrEnum):
    INVITED = "invited"  # no answer yet
    ACCEPTED = "accepted"  # holds one of the session's seats
    DECLINED = "declined"
    WAITLISTED = "waitlisted"  # accepted when the session was full


class DesignSession(db.Model):
    __tablename__ = "design_sessions"
    __table_args__ = (
        CheckConstraint(check_enum("status", SessionStatus), name="status"),
        CheckConstraint(
            "length(title) > 0 AND length(title) <= 140", name="title_length"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            "place IS NOT NULL OR online_url IS NOT NULL", name="place_or_online"
        ),
        CheckConstraint("length(place) > 0", name="place_not_empty"),
        CheckConstraint("length(online_url) > 0", name="online_url_not_empty"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        # A cancelled session says when and why; only a cancelled one does.
        CheckConstraint(
            "(status = 'cancelled' AND cancelled_at IS NOT NULL"
            " AND cancel_reason IS NOT NULL)"
            " OR (status <> 'cancelled' AND cancelled_at IS NULL"
            " AND cancel_reason IS NULL)",
            name="cancelled_with_reason",
        ),
        CheckConstraint(
            "outcome_published_at IS NULL OR outcome IS NOT NULL",
            name="published_outcome_has_text",
        ),
        Index("ix_design_sessions_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(140))
    # Markdown, shown through ideation.shared.text.render_markdown (sanitized).
    agenda: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Where it happens: an address, an online meeting link, or both. Shown only to
    # the invitees and officials.
    place: Mapped[str | None] = mapped_column(String(200))
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int] = mapped_column(Integer)
    # Accepted invitations; changed only by conditional UPDATEs (seats.py).
    seats_taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus, 16), default=SessionStatus.SCHEDULED
    )
    # Markdown, like the agenda; public once outcome_published_at is set.
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()
    ideas: Mapped[list[Idea]] = relationship(
        secondary="design_session_ideas", order_by=lambda: Idea.id, viewonly=True
    )

    @property
    def is_scheduled(self) -> bool:
        return self.status == SessionStatus.SCHEDULED

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def has_outcome(self) -> bool:
        return self.outcome_published_at is not None

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.starts_at


class SessionIdea(db.Model):
    """An idea that a design session works on."""

    __tablename__ = "design_session_ideas"
    __table_args__ = (UniqueConstraint("session_id", "idea_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("design_sessions.id", ondelete="CASCADE"), nullable=False
    )
    # The idea page lists its sessions: WHERE idea_id = ?
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False, index=True
    )


class Invitation(db.Model):
    """One person invited to one session, and their answer."""

    __tablename__ = "session_invitations"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint(check_enum("status", InvitationStatus), name="status"),
        # The waitlist is served in the order people joined it.
        CheckConstraint(
            "status <> 'waitlisted' OR waitlisted_at IS NOT NULL",
            name="waitlisted_has_time",
        ),
        # Attendance is marked for those who held a seat, and only for them.
        CheckConstraint(
            "attended IS NULL OR status = 'accepted'", name="attended_when_accepted"
        ),
        # The next in line: WHERE session_id = ? AND status = 'waitlisted'
        # ORDER BY waitlisted_at, id.
        Index(
            "ix_session_invitations_waitlist", "session_id", "status", "waitlisted_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("design_sessions.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[InvitationStatus] = mapped_column(
        enum_type(InvitationStatus, 16), default=InvitationStatus.INVITED
    )
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    # When an e-mailed answer link was last used: every link made before it dies
    # (see tokens.py), which makes each link single-use.
    token_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[DesignSession] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_accepted(self) -> bool:
        return self.status == InvitationStatus.ACCEPTED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == InvitationStatus.WAITLISTED
