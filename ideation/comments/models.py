"""Comments on ideas."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.audit.links import AuditLink
from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.shared.db import UTCDateTime, utcnow
from ideation.shared.visibility import ModeratedKind

# What a comment is called where a title is wanted (moderation queue, reports,
# notifications): its first characters.
TITLE_CHARACTERS = 80


class Comment(db.Model):
    """A citizen's or official's comment on an idea, or a reply to one.

    A reply names its parent and the same idea: the foreign key on (parent_id,
    idea_id) makes a reply to a comment of another idea impossible. That a parent
    is not itself a reply is checked by the operation, under the parent's lock.
    """

    __tablename__ = "comments"
    __table_args__ = (
        # The target of the replies' foreign key (id alone is unique already).
        UniqueConstraint("id", "idea_id"),
        ForeignKeyConstraint(
            ["parent_id", "idea_id"],
            ["comments.id", "comments.idea_id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("length(trim(body)) > 0", name="body_not_empty"),
        CheckConstraint("length(body) <= 2000", name="body_length"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # An idea's page: its comments in order.
        Index("ix_comments_idea_created", "idea_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False
    )
    parent_id: Mapped[int | None] = mapped_column(index=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("users.id"), nullable=False, index=True
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # Written by an official (or admin) as such: shown with a mark. Kept as written,
    # so a later change of role does not rewrite what the comment was.
    official: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, nullable=False
    )
    # Hidden by the moderators (ideation.moderation); an empty reason means
    # "pending review" (hidden automatically after enough flags).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    idea: Mapped[Idea] = relationship()
    author: Mapped[User] = relationship()
    parent: Mapped[Comment | None] = relationship(
        primaryjoin="foreign(Comment.parent_id) == remote(Comment.id)",
        viewonly=True,
    )

    @property
    def title(self) -> str:
        """The comment's first words, where a title is shown (moderation)."""
        text = " ".join(self.body.split())
        if len(text) <= TITLE_CHARACTERS:
            return text
        return text[: TITLE_CHARACTERS - 1].rstrip() + "…"

    @property
    def question(self):
        return self.idea.question


AUDIT_LINKS = [
    AuditLink("comments", Comment, _l("Comment"), "comments.show", "comment_id")
]
# People may report comments; a comment is public where its idea is.
MODERATED = [
    ModeratedKind(
        "comment",
        Comment,
        "comments.show",
        "comment_id",
        is_public=lambda comment: comment.idea.question.is_public(),
    )
]
