"""Accounts."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from ideation.audit.links import AuditLink
from ideation.extensions import db
from ideation.shared.db import UTCDateTime, check_enum, enum_type, utcnow
from ideation.shared.roles import ROLE_RANK, Role


class EmailPreference(enum.StrEnum):
    """How a user hears of notifications by e-mail (notifications/preferences)."""

    IMMEDIATELY = "immediately"  # one e-mail per notification
    DAILY = "daily"  # one digest a day of what is still unread
    OFF = "off"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(check_enum("role", Role), name="role"),
        CheckConstraint("length(display_name) > 0", name="display_name_not_empty"),
        CheckConstraint(
            check_enum("email_preference", EmailPreference), name="email_preference"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique index is case-insensitive everywhere.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Read through `display_name`, which names a deleted account in the reader's
    # language.
    _display_name: Mapped[str] = mapped_column("display_name", String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, 16), default=Role.CITIZEN)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by a moderator (ideation.moderation): a blocked account cannot log in.
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the owner opens the link e-mailed to the address; until then the
    # account may read but not submit, support or ask (see ideation/auth/rules.py).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_preference: Mapped[EmailPreference] = mapped_column(
        enum_type(EmailPreference, 16),
        default=EmailPreference.IMMEDIATELY,
        server_default=EmailPreference.IMMEDIATELY.value,
    )
    # The privacy notice and terms accepted at registration: when, and which
    # version (PRIVACY_NOTICE_VERSION). Kept when the account is deleted, as the
    # record of the consent. NULL for accounts made before consent was asked.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_version: Mapped[str | None] = mapped_column(String(32))
    # Set when the owner deleted the account (ideation.auth.data_rights): the row
    # stays, emptied of personal data, so that contributions keep their author.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @hybrid_property
    def display_name(self) -> str:
        if self.deleted_at is not None:
            return _("Deleted account")
        return self._display_name

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self._display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        return cls._display_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def has_role(self, role: Role) -> bool:
        """True when the user's role is `role` or a more powerful one."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[role]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(db.Model):
    """One signed-in browser. Its session cookie holds a random token; the row
    holds the token's digest, so that deleting the row (logout, a password change
    or reset) ends the session even for a copy of the cookie."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the token, hex: a copy of this table opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Updated at most once a minute (ideation.auth.login_sessions), for the idle
    # timeout.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The audit log links an account to the admins' user list, searched by address.
AUDIT_LINKS = [
    AuditLink(
        "users",
        User,
        _l("Account"),
        "admin.users",
        "q",
        key="email",
        text="display_name",
    )
]
