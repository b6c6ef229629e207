"""Reads of comments: an idea's threads, one comment, an account's comments."""

from dataclasses import dataclass, field

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ideation.auth.rules import ensure_email_confirmed, ensure_not_blocked
from ideation.comments.models import Comment
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus
from ideation.shared.errors import DomainError
from ideation.shared.personal_data import iso, rows_of
from ideation.shared.visibility import is_hidden
from ideation.shared.web import as_id


@dataclass
class Thread:
    """A comment on the idea and its replies, oldest first."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def idea_threads(idea: Idea) -> list[Thread]:
    """The idea's comments as threads, oldest first (hidden ones included: the
    page shows their notice, and their text to whoever may see it)."""
    stmt = (
        select(Comment)
        .options(joinedload(Comment.author))
        .where(Comment.idea_id == idea.id)
        .order_by(Comment.created_at, Comment.id)
    )
    threads: dict[int, Thread] = {}
    replies: list[Comment] = []
    for comment in db.session.scalars(stmt):
        if comment.parent_id is None:
            threads[comment.id] = Thread(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in threads:
            threads[reply.parent_id].replies.append(reply)
    return list(threads.values())


def takes_comments(idea: Idea) -> bool:
    """Whether the idea is open for comments (listed, on a public question)."""
    return not (
        is_hidden(idea)
        or idea.status in (IdeaStatus.WITHDRAWN, IdeaStatus.MERGED)
        or not idea.question.is_public()
    )


def may_comment(user) -> bool:
    """Whether to offer `user` the comment form (signed in, confirmed, not
    blocked); others see why not, or a link to log in."""
    if user is None or not user.is_authenticated:
        return False
    try:
        ensure_not_blocked(user)
        ensure_email_confirmed(user)
    except DomainError:
        return False
    return True


def get_comment_or_404(comment_id: int) -> Comment:
    """A comment on an idea of a public question; 404 otherwise."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.idea.question.is_public():
        abort(404)
    return comment


def parent_in(idea: Idea, raw) -> Comment | None:
    """The comment `raw` (a form's parent_id) names, if it is one of `idea`'s; the
    operation refuses a reply's id or another idea's."""
    parent_id = as_id(raw)
    if parent_id is None:
        return None
    comment = db.session.get(Comment, parent_id)
    if comment is None:
        raise DomainError(_("That comment does not exist any more."))
    return comment


def personal_data(user) -> dict[str, list[dict]]:
    """The comments the account wrote."""
    return {
        "comments": [
            {
                "id": comment.id,
                "idea_id": comment.idea_id,
                "parent_id": comment.parent_id,
                "body": comment.body,
                "created_at": iso(comment.created_at),
                "hidden_at": iso(comment.hidden_at),
            }
            for comment in rows_of(Comment, Comment.author_id == user.id)
        ]
    }
