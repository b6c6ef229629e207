"""The public impact dashboard, the officials' view with more, the charts' CSV
files, and the public ledger of answer deadlines."""

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user

from ideation.impact import charts, ledger, queries
from ideation.questions.queries import get_public_question_or_404
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, has_role, role_required
from ideation.shared.security import keep_private
from ideation.shared.spreadsheet import csv_download
from ideation.shared.web import as_id

bp = Blueprint("impact", __name__)


@bp.get("/impact/")
def dashboard():
    return _dashboard(official=False)


@bp.get("/impact/official")
@role_required(Role.OFFICIAL)
def official():
    return _dashboard(official=True)


@bp.get("/impact/<chart>.csv")
def chart_csv(chart: str):
    return _csv(chart, official=False)


@bp.get("/impact/official/<chart>.csv")
@role_required(Role.OFFICIAL)
def official_chart_csv(chart: str):
    keep_private()
    return _csv(chart, official=True)


@bp.get("/questions/<int:question_id>/answers")
def ledger_page(question_id: int):
    """Which of the question's ideas were answered on time, late, or not yet."""
    question = get_public_question_or_404(question_id)
    show = request.args.get("show")
    if show not in ledger.CATEGORIES:
        show = ledger.OVERDUE
    page = page_number(request.args)
    return render_template(
        "impact/ledger.html",
        question=question,
        deadline=question.response_deadline(),
        counts=ledger.question_counts(question),
        show=show,
        categories=ledger.CATEGORIES,
        ideas=ledger.question_ideas(
            question, show, page, current_app.config["LEDGER_IDEAS_PER_PAGE"]
        ),
    )


@bp.get("/answers")
def summary():
    """Every public question's answers against its deadline, and the totals."""
    ledgers = queries.cached(("summary",), ledger.site_summary)
    return render_template(
        "impact/summary.html",
        ledgers=ledgers,
        totals=ledger.totals(ledgers),
        categories=ledger.CATEGORIES,
    )


def _scope(official: bool) -> queries.Scope:
    """The dashboard's scope from the query string; 404 for a question that is not
    public (so the cache only ever holds real scopes)."""
    question_id = as_id(request.args.get("question"))
    if request.args.get("question") and question_id is None:
        abort(404)
    if question_id is not None:
        get_public_question_or_404(question_id)
    period = request.args.get("period")
    if period not in queries.PERIODS:
        period = queries.PERIODS[0]
    return queries.Scope(question_id, period, official)


def _dashboard(official: bool):
    scope = _scope(official)
    figures = queries.figures(scope)
    found = charts.charts(figures, scope.period, official)
    args = {"question": scope.question_id, "period": scope.period}
    endpoint = ".official_chart_csv" if official else ".chart_csv"
    return render_template(
        "impact/dashboard.html",
        scope=scope,
        figures=figures,
        charts=found,
        csv_urls={key: url_for(endpoint, chart=key, **args) for key in found},
        questions=queries.public_questions(),
        official=official,
        can_see_official=has_role(current_user, Role.OFFICIAL),
        share=charts.share,
        number=charts.number,
    )


def _csv(key: str, official: bool):
    if key not in (charts.OFFICIAL_CHARTS if official else charts.PUBLIC_CHARTS):
        abort(404)
    scope = _scope(official)
    found = charts.charts(queries.figures(scope), scope.period, official)
    if key not in found:  # regions of one question
        abort(404)
    name = f"impact-{key}"
    if scope.question_id is not None:
        name += f"-question-{scope.question_id}"
    return csv_download(found[key].csv(), f"{name}-{scope.period}.csv")
