"""Themes of a question and which theme each idea is in.

The assignment has its own table, so the ideas table is untouched and a
recomputation replaces a question's themes wholesale (delete, then insert).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ideation.audit.links import AuditLink
from ideation.extensions import db
from ideation.shared.db import UTCDateTime, utcnow


class Theme(db.Model):
    """A cluster of one question's ideas, as of its last computation."""

    __tablename__ = "themes"
    __table_args__ = (
        UniqueConstraint("question_id", "number"),
        CheckConstraint("size >= 0", name="size_not_negative"),
        CheckConstraint("number >= 0", name="number_not_negative"),
        # Ids are never reused (SQLite would reuse them after a recomputation
        # deletes every theme): an old ?theme= link must not show another theme.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    )
    # 0, 1, ... within the question, largest theme first.
    number: Mapped[int] = mapped_column(nullable=False)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    # The name an official gave the theme, shown instead of its keywords; kept
    # through recomputations while the theme goes on (ideation/themes/matching.py).
    label: Mapped[str | None] = mapped_column(String(80))
    # Ideas in the theme when it was computed: an idea withdrawn since still counts
    # until the next computation.
    size: Mapped[int] = mapped_column(nullable=False)
    model: Mapped[str] = mapped_column(String(200), nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def name(self) -> str:
        """What the theme is called: its official name, else its keywords."""
        return self.label or ", ".join(self.keywords or [])

    def __repr__(self) -> str:
        return f"<Theme {self.id} q{self.question_id}#{self.number} {self.size}>"


class IdeaTheme(db.Model):
    """An idea's theme: at most one per idea."""

    __tablename__ = "idea_themes"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True
    )


# An official renaming a theme is in the audit log, linked to the themes overview.
AUDIT_LINKS = [
    AuditLink(
        "themes",
        Theme,
        _l("Theme"),
        "themes.overview",
        "question_id",
        key="question_id",
        text="name",
    )
]
