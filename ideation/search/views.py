"""The search page: site-wide, or within one question's ideas."""

from flask import Blueprint, render_template, request

from ideation.questions.queries import get_public_question_or_404
from ideation.search import queries

bp = Blueprint("search", __name__)


@bp.get("/search")
def everywhere():
    """Ideas of every public question that hold the words typed."""
    return _results(None)


@bp.get("/questions/<int:question_id>/search")
def in_question(question_id: int):
    """Ideas of one question that hold the words typed, by status and theme."""
    return _results(get_public_question_or_404(question_id))


def _results(question):
    wanted = queries.search_request(request.args, question)
    return render_template(
        "search/results.html",
        question=question,
        wanted=wanted,
        results=queries.search_ideas(wanted, question),
        statuses=queries.STATUSES,
    )
