"""Ideas: submit, show, edit, withdraw, support. Rules live in operations/rules."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.extensions import limiter
from ideation.ideas.forms import IdeaForm
from ideation.ideas.operations import (
    edit_idea,
    submit_idea,
    support_idea,
    unsupport_idea,
    withdraw_idea,
)
from ideation.ideas.queries import (
    get_visible_idea_or_404,
    idea_listing,
    idea_page,
    supported_idea_ids,
)
from ideation.ideas.rules import (
    can_toggle_support,
    ensure_accepts_ideas,
    ensure_editable,
)
from ideation.questions.queries import get_public_question_or_404
from ideation.shared.visibility import visible_title
from ideation.shared.web import (
    account_key,
    configured_limit,
    done,
    on_refusal,
    safe_next,
)
from ideation.similarity.queries import duplicate_ideas, warm_up_model
from ideation.supports.views import change_support, support_limit

bp = Blueprint("ideas", __name__)


@bp.get("/questions/<int:question_id>")
def question(question_id: int):
    """A public question and its ideas: sorted, filtered by theme, paginated."""
    question = get_public_question_or_404(question_id)
    listing = idea_listing(question, request.args, session)
    return render_template("ideas/question.html", question=question, listing=listing)


@bp.route("/questions/<int:question_id>/ideas/new", methods=["GET", "POST"])
@login_required
@limiter.limit(
    configured_limit("IDEA_LIMIT_PER_ACCOUNT"), key_func=account_key, methods=["POST"]
)
def new(question_id: int):
    """Propose an idea for an open question."""
    question = get_public_question_or_404(question_id)
    form = IdeaForm()
    with on_refusal(back=url_for("ideas.question", question_id=question.id)):
        ensure_accepts_ideas(question)
        if form.validate_on_submit() and "revise" not in request.form:
            duplicates = _unconfirmed_duplicates(question, form)
            if duplicates:
                return _confirm_different(question, form, duplicates)
            idea = submit_idea(
                question, current_user, form.title.data, form.description.data
            )
            return done(
                _("Thank you: your idea is published."),
                url_for(".show", idea_id=idea.id),
            )
    warm_up_model()
    return render_template("ideas/new.html", question=question, form=form)


def _unconfirmed_duplicates(question, form: IdeaForm) -> list:
    """Ideas very like the typed one, unless the citizen said theirs is different."""
    if request.form.get("confirmed_different") == "1":
        return []
    return duplicate_ideas(question, form.title.data, form.description.data)


def _confirm_different(question, form: IdeaForm, duplicates: list):
    """The step before publishing: support a similar idea, or publish anyway."""
    supported = supported_idea_ids(current_user, [d.idea.id for d in duplicates])
    return render_template(
        "similar/confirm.html",
        question=question,
        form=form,
        duplicates=duplicates,
        supported=supported,
        may_support={
            d.idea.id: can_toggle_support(d.idea, current_user, d.idea.id in supported)
            for d in duplicates
        },
    )


@bp.get("/ideas/<int:idea_id>")
def show(idea_id: int):
    """An idea, its supports, and what the visitor may do with it."""
    idea = get_visible_idea_or_404(idea_id)
    if idea.is_merged:
        flash(_merged_note(idea), "info")
        return redirect(url_for(".show", idea_id=idea.merged_into_id))
    # Co-authors and merges come from the duplicates feature (template globals).
    return render_template("ideas/show.html", page=idea_page(idea))


def _merged_note(idea) -> str:
    hidden = _("Hidden idea")
    return _(
        "The idea “%(source)s” was merged into this one, “%(target)s”, which says "
        "nearly the same thing.",
        source=visible_title(idea, current_user, hidden),
        target=visible_title(idea.merged_into, current_user, hidden),
    )


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@login_required
def edit(idea_id: int):
    """The author corrects their idea, early and before any support."""
    idea = get_visible_idea_or_404(idea_id)
    form = IdeaForm(obj=idea)
    back = url_for(".show", idea_id=idea.id)
    with on_refusal(back=back):
        ensure_editable(idea, current_user)
        if form.validate_on_submit():
            edit_idea(idea, current_user, form.title.data, form.description.data)
            return done(_("Your changes are saved."), back)
    return render_template("ideas/edit.html", idea=idea, form=form)


@bp.post("/ideas/<int:idea_id>/withdraw")
@login_required
def withdraw(idea_id: int):
    """The author takes their idea out of the list."""
    idea = get_visible_idea_or_404(idea_id)
    back = url_for(".show", idea_id=idea.id)
    with on_refusal(back=back):
        withdraw_idea(idea, current_user)
    return done(_("Your idea is withdrawn. It no longer appears in the list."), back)


@bp.post("/ideas/<int:idea_id>/support")
@login_required
@support_limit
def support(idea_id: int):
    """Add the visitor's support (once, however often it is sent)."""
    return _change_support(idea_id, support_idea, supported=True)


@bp.post("/ideas/<int:idea_id>/unsupport")
@login_required
@support_limit
def unsupport(idea_id: int):
    """Take back the visitor's support."""
    return _change_support(idea_id, unsupport_idea, supported=False)


def _change_support(idea_id: int, operation, supported: bool):
    idea = get_visible_idea_or_404(idea_id)
    back = safe_next(request.form.get("next"), url_for(".show", idea_id=idea.id))
    message = (
        _("You support this idea.")
        if supported
        else _("You no longer support this idea.")
    )
    return change_support(idea, operation, supported, message, back)
