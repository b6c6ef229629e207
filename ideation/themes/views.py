"""The officials' overview of a question's themes."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ideation.extensions import db
from ideation.questions.models import Question
from ideation.shared.roles import Role, role_required
from ideation.shared.web import done, on_refusal
from ideation.themes import operations, queries
from ideation.themes.forms import RenameThemeForm
from ideation.themes.models import Theme

bp = Blueprint("themes", __name__, url_prefix="/questions")


@bp.get("/<int:question_id>/themes")
@role_required(Role.OFFICIAL)
def overview(question_id):
    question = db.get_or_404(Question, question_id)
    return _render_overview(question)


@bp.post("/<int:question_id>/themes/<int:theme_id>/rename")
@role_required(Role.OFFICIAL)
def rename(question_id: int, theme_id: int):
    """An official names a theme (or gives it back its keywords)."""
    question = db.get_or_404(Question, question_id)
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.question_id != question.id:
        abort(404)
    form = RenameThemeForm(prefix=f"theme-{theme.id}")
    if form.validate_on_submit():
        with on_refusal(form=form):
            operations.rename_theme(theme, current_user, form.label.data)
            back = url_for(".overview", question_id=question.id)
            return done(_("The theme's name is saved."), f"{back}#theme-{theme.id}")
    return _render_overview(question, refused=form, refused_theme=theme.id)


def _render_overview(question, refused=None, refused_theme=None):
    return render_template(
        "themes/overview.html",
        question=question,
        summaries=queries.themes_overview(question),
        unassigned=queries.ideas_without_theme(question),
        refused=refused,
        refused_theme=refused_theme,
        rename_form=RenameThemeForm,
    )
