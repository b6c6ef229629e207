"""The officials' overview of a question's themes."""

from flask import Blueprint, render_template

from ideation.extensions import db
from ideation.questions.models import Question
from ideation.shared.roles import Role, role_required
from ideation.themes import queries

bp = Blueprint("themes", __name__, url_prefix="/questions")


@bp.get("/<int:question_id>/themes")
@role_required(Role.OFFICIAL)
def overview(question_id):
    question = db.get_or_404(Question, question_id)
    return render_template(
        "themes/overview.html",
        question=question,
        summaries=queries.themes_overview(question),
        unassigned=queries.ideas_without_theme(question),
    )
