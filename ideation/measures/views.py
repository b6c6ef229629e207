"""Measures: public pages with status and dated updates; officials post updates."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context

from ideation.measures import queries
from ideation.measures.forms import MeasureForm, MeasureUpdateForm, budget_example
from ideation.measures.operations import (
    create_measure,
    ensure_sources,
    ensure_updatable,
    post_measure_update,
)
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.web import as_id, done, on_refusal

bp = Blueprint("measures", __name__, url_prefix="/measures")


@bp.app_template_filter("measure_status")
@pass_context
def measure_status(context, status: str) -> str:
    """A measure status in the reader's language (for every template).

    It takes the context only so that Jinja never folds `"announced"|measure_status`
    into a constant at compile time: the compiled template is shared by every
    request, so the first reader's language would stay for all.
    """
    return queries.status_label(status)


@bp.app_template_filter("brl")
def brl(cents: int | None) -> str:
    """A budget in centavos as reais, written the reader's way."""
    return queries.budget_label(cents)


@bp.app_template_global("measures_for_idea")
def measures_for_idea(idea) -> list:
    """The measures an idea led to, for the idea's page."""
    return queries.measures_for_idea(idea)


@bp.get("")
def index():
    """Every measure, the newest first; filter by status and department."""
    status = request.args.get("status") or None
    department = request.args.get("department") or None
    pagination = queries.measures(page_number(request.args), status, department)
    return render_template(
        "measures/index.html",
        pagination=pagination,
        status=status if status in queries.STATUS_LABELS else None,
        status_labels=queries.STATUS_LABELS,
        department=department,
        departments=queries.departments(),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def new():
    """An official turns a selected idea, a decision or a session into a measure."""
    sources, back = _sources()
    form = MeasureForm()
    with on_refusal(back=back):
        ensure_sources(**sources)
    if form.validate_on_submit():
        with on_refusal(form=form):
            measure = create_measure(current_user, form.announcement(), **sources)
            return done(
                _("The measure is published."),
                url_for(".show", measure_id=measure.id),
            )
    return render_template(
        "measures/new.html",
        form=form,
        back=back,
        budget_example=budget_example(),
        **sources,
    )


def _sources() -> tuple[dict, str]:
    """What the new measure comes from (?idea=, ?decision= or ?session=), and the
    page to go back to; 404 without one."""
    args = request.args
    sources = {"ideas": [], "shortlist_decision": None, "design_session": None}
    if idea_id := as_id(args.get("idea")):
        idea = queries.idea_for_measure_or_404(idea_id)
        sources["ideas"] = [idea]
        return sources, url_for("ideas.show", idea_id=idea.id)
    if decision_id := as_id(args.get("decision")):
        decision = queries.decision_or_404(decision_id)
        sources["shortlist_decision"] = decision
        return sources, url_for(
            "shortlist.board", question_id=decision.question_id, _anchor="decisions"
        )
    if session_id := as_id(args.get("session")):
        session = queries.design_session_or_404(session_id)
        sources["design_session"] = session
        return sources, url_for("sessions.show", session_id=session.id)
    abort(404)


@bp.get("/<int:measure_id>")
def show(measure_id: int):
    """A measure: status, target date, where it came from, its dated updates."""
    measure = queries.get_measure_or_404(measure_id)
    return _show(measure, MeasureUpdateForm(measure))


@bp.post("/<int:measure_id>/updates")
@role_required(Role.OFFICIAL)
def add_update(measure_id: int):
    """An official posts a progress update; the question's participants hear of it."""
    measure = queries.get_measure_or_404(measure_id)
    form = MeasureUpdateForm(measure)
    back = url_for(".show", measure_id=measure.id)
    with on_refusal(back=back):
        ensure_updatable(measure)
        if form.validate_on_submit():
            post_measure_update(
                measure,
                current_user,
                form.status.data,
                form.note.data,
                progress=form.progress.data,
            )
            return done(_("The update is published."), back)
    return _show(measure, form)


def _show(measure, form: MeasureUpdateForm):
    official = current_user.is_authenticated and current_user.has_role(Role.OFFICIAL)
    return render_template(
        "measures/show.html",
        measure=measure,
        updates=queries.measure_updates(measure),
        ideas=queries.linked_ideas(measure),
        form=form if official and not measure.is_final else None,
    )
