"""The shortlist board of a question (officials and admins), its CSV export, the
shortlist with private notes, and the governor's office's decision (admins)."""

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ideation.questions.queries import get_public_question_or_404
from ideation.responses.queries import last_department
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.security import keep_private
from ideation.shared.web import done, on_refusal, safe_next
from ideation.shortlist import operations, queries
from ideation.shortlist.forms import BoardFilterForm, DecisionForm, NoteForm

bp = Blueprint("shortlist", __name__, url_prefix="/questions/<int:question_id>")


@bp.get("/board")
@role_required(Role.OFFICIAL)
def board(question_id: int):
    """The question's ideas with their signals, filtered and ranked; the shortlist."""
    question = get_public_question_or_404(question_id)
    return _render_board(question, _decision_form(question, formdata=None))


@bp.get("/board.csv")
@role_required(Role.OFFICIAL)
def board_csv(question_id: int):
    """Exactly the rows the board's filters show (every page), as CSV for Excel."""
    question = get_public_question_or_404(question_id)
    filters = _filter_form(question).filters()
    text = queries.board_csv(question, queries.board_rows(question, filters))
    keep_private()  # officials' private notes
    # The byte-order mark tells Excel the file is UTF-8 (else ç, ã, ñ break).
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": (
                f'attachment; filename="question-{question.id}-board.csv"'
            )
        },
    )


@bp.post("/board/shortlist/<int:idea_id>/add")
@role_required(Role.OFFICIAL)
def add(question_id: int, idea_id: int):
    """Put an idea on the shortlist."""
    question = get_public_question_or_404(question_id)
    idea = queries.get_question_idea_or_404(question, idea_id)
    with on_refusal(back=url_for(".board", question_id=question.id)):
        operations.add_to_shortlist(idea, current_user)
    back = _back(question, idea_id)
    return done(_("“%(title)s” is on the shortlist.", title=idea.title), back)


@bp.post("/board/shortlist/<int:idea_id>/remove")
@role_required(Role.OFFICIAL)
def remove(question_id: int, idea_id: int):
    """Take an idea off the shortlist, with its note."""
    question = get_public_question_or_404(question_id)
    idea = queries.get_question_idea_or_404(question, idea_id)
    with on_refusal(back=url_for(".board", question_id=question.id)):
        removed = operations.remove_from_shortlist(idea, current_user)
    back = _back(question, idea_id)
    if removed:
        return done(_("“%(title)s” is off the shortlist.", title=idea.title), back)
    return done(
        _("“%(title)s” was not on the shortlist.", title=idea.title), back, "info"
    )


@bp.route("/board/shortlist/<int:idea_id>/note", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def note(question_id: int, idea_id: int):
    """Edit the private note of a shortlisted idea."""
    question = get_public_question_or_404(question_id)
    entry = queries.get_entry_or_404(question, idea_id)
    form = NoteForm(data={"note": entry.note} if request.method == "GET" else None)
    if form.validate_on_submit():
        with on_refusal(form=form):
            operations.update_note(entry, current_user, form.note.data)
            return done(_("The note is saved."), _back(question, idea_id))
    return render_template(
        "shortlist/note.html", question=question, entry=entry, form=form
    )


@bp.post("/board/decision")
@role_required(Role.ADMIN)
def decide(question_id: int):
    """Record the governor's office's decision; maybe select the chosen ideas."""
    question = get_public_question_or_404(question_id)
    form = _decision_form(question)
    if form.validate_on_submit():
        chosen = [
            e.idea for e in queries.shortlist(question) if e.idea_id in form.ideas.data
        ]
        selection = (
            operations.SelectionResponse(form.body.data, form.department.data)
            if form.select.data
            else None
        )
        with on_refusal(form=form):
            operations.record_decision(
                question, current_user, chosen, form.reason.data, selection=selection
            )
            return done(
                _("The decision is recorded."),
                url_for(".board", question_id=question.id, _anchor="decisions"),
            )
    return _render_board(question, form)


def _filter_form(question) -> BoardFilterForm:
    form = BoardFilterForm(
        question, queries.question_themes(question), formdata=request.args
    )
    form.validate()
    return form


def _decision_form(question, **kwargs) -> DecisionForm | None:
    if not current_user.has_role(Role.ADMIN):
        return None
    defaults = {"department": last_department(current_user)}
    form = DecisionForm(data=defaults if request.method == "GET" else None, **kwargs)
    form.ideas.choices = [
        SelectChoice(entry.idea_id, entry.idea.title)
        for entry in queries.shortlist(question)
    ]
    return form


def _render_board(question, decision_form):
    filter_form = _filter_form(question)
    page = page_number(request.args)
    return render_template(
        "shortlist/board.html",
        board=queries.board(question, filter_form.filters(), page),
        filter_form=filter_form,
        decision_form=decision_form,
        note_form=NoteForm(formdata=None),
    )


def _back(question, idea_id: int) -> str:
    default = url_for(".board", question_id=question.id, _anchor=f"idea-{idea_id}")
    return safe_next(request.form.get("next"), default)
