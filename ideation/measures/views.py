"""Measures: public pages with status and dated updates; officials post updates."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context

from ideation.measures import queries
from ideation.measures.forms import MeasureUpdateForm
from ideation.measures.operations import ensure_updatable, post_measure_update
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.web import done, on_refusal

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


@bp.get("")
def index():
    """Every measure, the most recently announced first; filter by status."""
    status = request.args.get("status") or None
    pagination = queries.measures(page_number(request.args), status)
    return render_template(
        "measures/index.html",
        pagination=pagination,
        status=status if status in queries.STATUS_LABELS else None,
        status_labels=queries.STATUS_LABELS,
    )


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
            post_measure_update(measure, current_user, form.status.data, form.note.data)
            return done(_("The update is published."), back)
    return _show(measure, form)


def _show(measure, form: MeasureUpdateForm):
    official = current_user.is_authenticated and current_user.has_role(Role.OFFICIAL)
    return render_template(
        "measures/show.html",
        measure=measure,
        updates=queries.measure_updates(measure),
        form=form if official and not measure.is_final else None,
    )
