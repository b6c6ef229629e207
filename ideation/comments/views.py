"""Comments on an idea's page: post one, reply to one, link to one."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.comments import operations, queries
from ideation.comments.forms import CommentForm
from ideation.extensions import limiter
from ideation.ideas.queries import get_visible_idea_or_404, idea_page
from ideation.shared.web import account_key, configured_limit, done, on_refusal

bp = Blueprint("comments", __name__)


@bp.app_template_global()
def idea_comments(idea):
    """The idea's comment threads (for ideas/show.html)."""
    return queries.idea_threads(idea)


@bp.app_template_global()
def comment_box(idea) -> dict:
    """What the idea's page offers the visitor: the form, or why there is none."""
    return {
        "open": queries.takes_comments(idea),
        "may_comment": queries.may_comment(current_user),
    }


@bp.post("/ideas/<int:idea_id>/comments")
@login_required
@limiter.limit(configured_limit("COMMENT_LIMIT_PER_ACCOUNT"), key_func=account_key)
def post(idea_id: int):
    """A comment on the idea, or a reply to one of its comments."""
    idea = get_visible_idea_or_404(idea_id)
    form = CommentForm()
    back = url_for("ideas.show", idea_id=idea.id)
    if not queries.takes_comments(idea):
        # Its page may show nothing of it (hidden): say so above whatever it shows.
        with on_refusal(back=back):
            operations.ensure_open_for_comments(idea)
    if form.validate_on_submit():
        with on_refusal(form=form):
            parent = queries.parent_in(idea, form.parent_id.data)
            comment = operations.post_comment(
                idea, current_user, form.body.data, parent
            )
            target = url_for("ideas.show", idea_id=idea.id)
            return done(
                _("Your comment is published."), f"{target}#comment-{comment.id}"
            )
    # The idea's page again, with what was typed and why it was refused.
    return render_template("ideas/show.html", page=idea_page(idea), comment_form=form)


@bp.get("/comments/<int:comment_id>")
def show(comment_id: int):
    """A comment's place on its idea's page (links from notifications, reports)."""
    comment = queries.get_comment_or_404(comment_id)
    target = url_for("ideas.show", idea_id=comment.idea_id)
    return redirect(f"{target}#comment-{comment.id}")
