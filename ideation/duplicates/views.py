"""The duplicate inbox of officials and moderators: groups, merge, undo."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ideation.duplicates import operations, queries
from ideation.duplicates.forms import DismissForm, MergeForm, UndoMergeForm
from ideation.questions.queries import get_public_question_or_404
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.web import done, on_refusal

bp = Blueprint("duplicates", __name__)
bp.add_app_template_filter(queries.highlight, "highlight")


@bp.get("/duplicates/")
@role_required(Role.MODERATOR)
def index():
    pagination, counts = queries.inbox_overview(page_number(request.args))
    return render_template(
        "duplicates/index.html", pagination=pagination, counts=counts
    )


@bp.get("/questions/<int:question_id>/duplicates")
@role_required(Role.MODERATOR)
def inbox(question_id: int):
    question = get_public_question_or_404(question_id)
    page = queries.inbox(question, page_number(request.args))
    return render_template(
        "duplicates/inbox.html",
        question=question,
        inbox=page,
        merges=queries.recent_merges(question),
    )


@bp.route("/questions/<int:question_id>/duplicates/merge", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def merge(question_id: int):
    """Show exactly what a merge will do; merge once a reason is given."""
    question = get_public_question_or_404(question_id)
    back = url_for(".inbox", question_id=question.id)
    with on_refusal(back=back):
        target, sources = queries.merge_choice(question, request.values)
    form = MergeForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            operations.merge_into(target, sources, current_user, form.reason.data)
            return done(_merged_message(target, len(sources)), back)
    preview = queries.merge_preview(target, sources, current_user)
    return render_template(
        "duplicates/merge.html", question=question, preview=preview, form=form
    )


@bp.post("/questions/<int:question_id>/duplicates/dismiss")
@role_required(Role.MODERATOR)
def dismiss(question_id: int):
    """ "Not duplicates": the pair is never suggested again."""
    question = get_public_question_or_404(question_id)
    back = url_for(".inbox", question_id=question.id, page=request.args.get("page"))
    form = DismissForm()
    if not form.validate_on_submit():
        flash(_("Choose the two ideas that are not duplicates."), "error")
        return redirect(back)
    idea_a, idea_b = queries.question_ideas_or_404(
        question, form.idea_a.data, form.idea_b.data
    )
    with on_refusal(back=back):
        operations.dismiss_pair(idea_a, idea_b, current_user)
    return done(
        _("Noted: these two ideas will not be suggested as duplicates again."), back
    )


@bp.route("/merges/<int:merge_id>/undo", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def undo(merge_id: int):
    """Undo a merge: every support goes back as it was."""
    merge = queries.get_merge_or_404(merge_id)
    form = UndoMergeForm()
    if merge.is_active and form.validate_on_submit():
        with on_refusal(form=form):
            operations.undo_merge(merge, current_user, form.reason.data)
            return done(
                _("The merge is undone: both ideas are listed again."),
                url_for("ideas.show", idea_id=merge.source_id),
            )
    return render_template(
        "duplicates/undo.html", preview=queries.undo_preview(merge), form=form
    )


def _merged_message(target, count: int) -> str:
    return ngettext(
        "%(num)d idea was merged into “%(title)s”.",
        "%(num)d ideas were merged into “%(title)s”.",
        count,
        title=target.title,
    )


# The idea page shows who co-authored an idea and, to admins, what was merged into
# it: the duplicates feature lends it these reads, so ideas need not import it.
bp.add_app_template_global(queries.coauthors, "coauthors_of")
bp.add_app_template_global(queries.merges_into, "merges_into")
