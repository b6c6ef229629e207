"""Writing comments: one operation, which never commits."""

from flask import current_app
from flask_babel import gettext as _

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.auth.rules import ensure_email_confirmed, ensure_not_blocked
from ideation.comments.models import Comment
from ideation.comments.queries import takes_comments
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.notifications.operations import notify
from ideation.shared.db import lock_row, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role
from ideation.shared.visibility import is_hidden
from ideation.shared.web import link_for


def post_comment(
    idea: Idea, author: User, body: str, parent: Comment | None = None, now=None
) -> Comment:
    """`author` comments on `idea`, or replies to `parent` (a comment, not a reply);
    the idea's author (and the parent's) are told. An official's comment is marked
    and written to the audit log."""
    ensure_not_blocked(author)
    ensure_email_confirmed(author)
    body = _checked_body(body)
    idea = lock_row(idea)
    ensure_open_for_comments(idea)
    if parent is not None:
        parent = lock_row(parent)
        _ensure_answerable(parent, idea)
    comment = Comment(
        idea_id=idea.id,
        parent_id=parent.id if parent is not None else None,
        author_id=author.id,
        body=body,
        official=author.has_role(Role.OFFICIAL),
        created_at=now or utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    if comment.official:
        record_action(author, "comment.official", comment, idea_id=idea.id)
    _notify(comment, idea, author, parent)
    return comment


def _checked_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your comment."), "body")
    highest = current_app.config["COMMENT_MAX"]
    if len(body) > highest:
        raise DomainError(
            _("A comment has at most %(max)d characters.", max=highest), "body"
        )
    return body


def ensure_open_for_comments(idea: Idea) -> None:
    """Raise DomainError unless the idea takes comments (listed, public)."""
    if not takes_comments(idea):
        raise DomainError(_("This idea no longer takes comments."))


def _ensure_answerable(parent: Comment, idea: Idea) -> None:
    if parent.idea_id != idea.id:
        raise DomainError(_("That comment is not on this idea."))
    if parent.parent_id is not None:
        raise DomainError(_("Reply to the comment itself: replies are not threaded."))
    if is_hidden(parent):
        raise DomainError(_("That comment was hidden by the moderators."))


def _notify(comment: Comment, idea: Idea, author: User, parent: Comment | None):
    link = link_for("comments.show", comment_id=comment.id)
    name = author.display_name
    notify(
        [idea.author_id],
        "comments.on_idea",
        link,
        exclude=[author],
        name=name,
        title=idea.title,
    )
    if parent is not None:
        notify(
            [parent.author_id],
            "comments.reply",
            link,
            # The idea's author heard of it already.
            exclude=[author, idea.author_id],
            name=name,
            title=idea.title,
        )
