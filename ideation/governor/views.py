"""The Governor Responds: citizens ask and support, officials answer in public."""

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.extensions import limiter
from ideation.governor import operations, queries
from ideation.governor.forms import AnswerForm, AskForm, CloseForm
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.security import allow_frames_from
from ideation.shared.web import (
    account_key,
    configured_limit,
    done,
    on_refusal,
    safe_next,
)
from ideation.supports.views import change_support, support_limit

bp = Blueprint("governor", __name__, url_prefix="/governor")


@bp.get("")
def index():
    """The public page of answers, the newest first."""
    pagination = queries.answered_questions(page_number(request.args))
    return render_template("governor/index.html", pagination=pagination)


@bp.get("/questions")
def questions():
    """The questions awaiting an answer, most supported (or newest) first."""
    listing = queries.open_questions(
        page_number(request.args), request.args.get("sort", "")
    )
    return render_template("governor/questions.html", listing=listing)


@bp.route("/ask", methods=["GET", "POST"])
@login_required
@limiter.limit(
    configured_limit("ASK_LIMIT_PER_ACCOUNT"), key_func=account_key, methods=["POST"]
)
def ask():
    """A signed-in citizen asks the governor a question."""
    form = AskForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            question = operations.ask_question(
                current_user, form.title.data, form.body.data
            )
            return done(
                _("Thank you: your question is published."),
                url_for(".show", question_id=question.id),
            )
    return render_template("governor/ask.html", form=form)


@bp.get("/questions/<int:question_id>")
def show(question_id: int):
    """A question, its supports, and its answer with video and measure once answered."""
    page = queries.question_page(queries.get_question_or_404(question_id))
    answer = page.question.answer
    if answer is not None and answer.video is not None:
        # Only this page embeds, and only from the one privacy-enhanced player.
        allow_frames_from(answer.video.origin)
    return render_template("governor/show.html", page=page)


@bp.post("/questions/<int:question_id>/support")
@login_required
@support_limit
def support(question_id: int):
    """Add the visitor's support (once, however often it is sent)."""
    return _change_support(question_id, operations.support_question, supported=True)


@bp.post("/questions/<int:question_id>/unsupport")
@login_required
@support_limit
def unsupport(question_id: int):
    """Take back the visitor's support."""
    return _change_support(question_id, operations.unsupport_question, supported=False)


@bp.get("/manage")
@role_required(Role.OFFICIAL)
def manage():
    """Officials' queue: the open questions, the most supported first."""
    listing = queries.open_questions(page_number(request.args), "top")
    return render_template("governor/manage.html", listing=listing)


@bp.route("/questions/<int:question_id>/answer", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def answer(question_id: int):
    """An official publishes the answer: text, maybe a video, maybe a measure."""
    question = queries.get_question_or_404(question_id)
    if question.is_answered:
        flash(_("This question has already been answered."), "info")
        return redirect(url_for(".show", question_id=question.id))
    form = AnswerForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            operations.answer_question(
                question,
                current_user,
                form.body.data,
                form.department.data,
                video=form.video,
                transcript=form.transcript.data,
                measure=form.announcement(),
            )
            return done(
                _("The answer is published; the asker and supporters are notified."),
                url_for(".show", question_id=question.id),
            )
    return render_template("governor/answer.html", form=form, question=question)


@bp.route("/questions/<int:question_id>/close", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def close(question_id: int):
    """An official declines the question, or merges it into another, in public."""
    question = queries.get_question_or_404(question_id)
    if not question.is_open:
        flash(_("This question no longer awaits an answer."), "info")
        return redirect(url_for(".show", question_id=question.id))
    form = CloseForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            if form.action.data == "merge":
                target = queries.find_question(form.target_id)
                operations.merge_question(
                    question, target, current_user, form.reason.data
                )
                message = _(
                    "The question is merged; its asker and supporters now support "
                    "the other one and are notified."
                )
            else:
                operations.decline_question(question, current_user, form.reason.data)
                message = _(
                    "The question is closed; the asker and supporters are notified."
                )
            return done(message, url_for(".show", question_id=question.id))
    return render_template("governor/close.html", form=form, question=question)


@bp.get("/closed")
def closed():
    """The questions officials declined or merged, with their reasons."""
    pagination = queries.closed_questions(page_number(request.args))
    return render_template("governor/closed.html", pagination=pagination)


def _change_support(question_id: int, operation, supported: bool):
    question = queries.get_question_or_404(question_id)
    back = safe_next(
        request.form.get("next"), url_for(".show", question_id=question_id)
    )
    message = (
        _("You support this question.")
        if supported
        else _("You no longer support this question.")
    )
    return change_support(question, operation, supported, message, back)
