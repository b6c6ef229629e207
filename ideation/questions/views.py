"""Public question pages, and the officials' pages to write and run questions."""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ideation.extensions import db
from ideation.questions import operations, queries
from ideation.questions.forms import QuestionForm
from ideation.questions.models import Question
from ideation.shared.forms import ActionForm
from ideation.shared.i18n import local_to_utc, utc_to_local
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.web import done, on_refusal

bp = Blueprint("questions", __name__, url_prefix="/questions")


@bp.get("/")
def index():
    region = request.args.get("region") or None
    page = page_number(request.args)
    pagination = queries.public_questions(
        page, current_app.config["QUESTIONS_PER_PAGE"], region
    )
    return render_template(
        "questions/index.html",
        pagination=pagination,
        region=region,
        regions=queries.public_regions(),
    )


@bp.get("/manage")
@role_required(Role.OFFICIAL)
def manage():
    page = page_number(request.args)
    pagination = queries.all_questions(page, current_app.config["QUESTIONS_PER_PAGE"])
    return render_template(
        "questions/manage.html", pagination=pagination, action_form=ActionForm()
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def new():
    form = QuestionForm()
    if request.method == "GET":
        form.response_days.data = current_app.config["RESPONSE_DEADLINE_DAYS"]
    if form.validate_on_submit():
        with on_refusal(form=form):
            question = operations.create_question(current_user, **_fields(form))
            return done(
                _("The question was saved as a draft."),
                url_for(".preview", question_id=question.id),
            )
    return render_template("questions/form.html", form=form, question=None)


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit(question_id):
    question = db.get_or_404(Question, question_id)
    form = QuestionForm(data=_form_data(question) if request.method == "GET" else None)
    if form.validate_on_submit():
        with on_refusal(form=form):
            operations.update_question(question, current_user, **_fields(form))
            return done(
                _("The question was updated."),
                url_for(".preview", question_id=question.id),
            )
    return render_template("questions/form.html", form=form, question=question)


@bp.get("/<int:question_id>/preview")
@role_required(Role.OFFICIAL)
def preview(question_id):
    question = db.get_or_404(Question, question_id)
    return render_template(
        "questions/preview.html", question=question, action_form=ActionForm()
    )


@bp.post("/<int:question_id>/publish")
@role_required(Role.OFFICIAL)
def publish(question_id):
    return _change_state(question_id, operations.publish_question, _("Published."))


@bp.post("/<int:question_id>/close")
@role_required(Role.OFFICIAL)
def close(question_id):
    return _change_state(question_id, operations.close_question, _("Closed."))


def _change_state(question_id, operation, done_message):
    # CSRFProtect has already checked the token of this POST.
    question = db.get_or_404(Question, question_id)
    back = url_for(".preview", question_id=question.id)
    with on_refusal(back=back):
        operation(question, current_user)
    return done(done_message, back)


def _fields(form: QuestionForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "context": form.context.data or "",
        "region": (form.region.data or "").strip() or None,
        "opens_at": local_to_utc(form.opens_at.data),
        "closes_at": local_to_utc(form.closes_at.data),
        "response_days": form.response_days.data,
    }


def _form_data(question: Question) -> dict:
    return {
        "title": question.title,
        "context": question.context,
        "region": question.region,
        "opens_at": utc_to_local(question.opens_at),
        "closes_at": utc_to_local(question.closes_at),
        "response_days": question.response_days,
    }
