"""In-app notifications: what happened, stored as a kind and its parameters.

The sentence is rendered when it is read, in the reader's language (see messages.py),
so nothing untranslated is ever stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ideation.extensions import db
from ideation.shared.db import UTCDateTime, utcnow


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The unread count in the header of every page: WHERE user_id = ? AND
        # read_at IS NULL.
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # A path inside the app ("/ideas/12"), without the script root.
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When an e-mail told the user about it (at once, or in a daily digest); NULL
    # while it was not e-mailed, so a digest never repeats what was already sent.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def message(self) -> str:
        """The sentence in the current language."""
        from ideation.notifications.messages import render_message

        return render_message(self)
