"""The e-mail outbox: every message is a row before it is sent, so none is lost."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ideation.extensions import db
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow


class EmailStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"


class OutboxEmail(db.Model):
    __tablename__ = "outbox_emails"
    __table_args__ = (
        CheckConstraint(check_enum("status", EmailStatus), name="status"),
        CheckConstraint("length(to_address) > 3", name="to_address_not_empty"),
        CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)", name="sent_when_sent_at"
        ),
        Index("ix_outbox_emails_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    # Kept when the account is deleted: the row is the record of what was sent.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[EmailStatus] = mapped_column(
        enum_type(EmailStatus, 16), default=EmailStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
