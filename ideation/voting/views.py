"""The vote page and its answers (signed-in citizens), the results and their
downloads, and the meeting with the governor (officials)."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.extensions import db, limiter
from ideation.questions.queries import get_public_question_or_404
from ideation.shared.db import writes_on_get
from ideation.shared.roles import Role, role_required
from ideation.shared.spreadsheet import csv_download
from ideation.shared.web import (
    account_key,
    configured_limit,
    done,
    on_refusal,
    wants_json,
)
from ideation.voting import operations, queries
from ideation.voting.forms import REASON_LABELS, MeetingForm, VoteForm

bp = Blueprint("voting", __name__, url_prefix="/questions/<int:question_id>")


@bp.get("/vote")
@login_required
@writes_on_get  # issues the pair the voter answers next
def vote(question_id: int):
    """Two proposals of the question, or word that the voter has seen them all."""
    question = get_public_question_or_404(question_id)
    with on_refusal(back=url_for("ideas.question", question_id=question.id)):
        pair = operations.issue_pair(question, current_user)
    db.session.commit()
    return render_template(
        "voting/vote.html",
        question=question,
        pair=pair,
        form=VoteForm(formdata=None),
        reasons=REASON_LABELS,
        answered=queries.voter_progress(question, current_user),
    )


@bp.post("/vote/<int:pair_id>")
@login_required
@limiter.limit(configured_limit("VOTE_LIMIT_PER_ACCOUNT"), key_func=account_key)
# Per address too, generous: public access points put many voters behind one.
@limiter.limit(configured_limit("VOTE_LIMIT_PER_IP"))
def answer(question_id: int, pair_id: int):
    """Answer a pair; the page's script gets the next pair at once as JSON."""
    question = get_public_question_or_404(question_id)
    pair = queries.get_pair_or_404(question, pair_id)
    if pair.voter_id != current_user.id:
        abort(403)  # the pair was issued to someone else
    form = VoteForm()
    back = url_for(".vote", question_id=question.id)
    if not form.validate():
        message = form.answer.errors[0] if form.answer.errors else ""
        if wants_json():
            return jsonify(error=str(message)), 400
        return done(str(message), back, "error")
    with on_refusal(back=back):
        choice = operations.cast_vote(
            pair, current_user, form.answer.data, form.reason.data
        )
        following = operations.issue_pair(question, current_user)
    message = (
        _("Noted: you can't decide between these two.")
        if choice == "undecided"
        else _("Your vote is counted.")
    )
    if not wants_json():
        return done(message, back)
    # Read before the commit, which would expire what was loaded.
    answer = jsonify(
        message=message,
        answered=queries.voter_progress(question, current_user),
        next=_pair_json(question, following),
    )
    db.session.commit()
    return answer


def _pair_json(question, pair) -> dict | None:
    if pair is None:
        return None
    first, second = pair.shown
    return {
        "action": url_for(".answer", question_id=question.id, pair_id=pair.id),
        "first": _proposal_json(first),
        "second": _proposal_json(second),
    }


def _proposal_json(proposal) -> dict:
    return {
        "title": proposal.title,
        "body": proposal.body,
        "sub_theme": proposal.sub_theme,
        "url": url_for("proposals.show", proposal_id=proposal.id),
    }


@bp.get("/results")
def results(question_id: int):
    """The ranking, a chart of it and the downloads (once voting is over)."""
    question = get_public_question_or_404(question_id)
    visible = queries.results_visible(question, current_user)
    return render_template(
        "voting/results.html",
        question=question,
        visible=visible,
        results=queries.results(question, request.args.get("sub_theme"))
        if visible
        else None,
        top_n=_top_n(),
    )


@bp.get("/results.csv")
def results_csv(question_id: int):
    """The ranking as CSV for a spreadsheet."""
    question = _results_question(question_id)
    text = queries.results_csv(queries.results(question, request.args.get("sub_theme")))
    return csv_download(text, f"question-{question.id}-results.csv")


@bp.get("/results.json")
def results_json(question_id: int):
    """The ranking as JSON."""
    question = _results_question(question_id)
    text = queries.results_json(
        queries.results(question, request.args.get("sub_theme"))
    )
    return Response(
        text,
        mimetype="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="question-{question.id}-results.json"'
            )
        },
    )


def _results_question(question_id: int):
    question = get_public_question_or_404(question_id)
    if not queries.results_visible(question, current_user):
        abort(404)
    return question


@bp.post("/results/recompute")
@role_required(Role.OFFICIAL)
def recompute(question_id: int):
    """Ask for the scores to be refitted now (by the job queue, not here)."""
    question = get_public_question_or_404(question_id)
    operations.schedule_scores(question.id, delay=operations.NO_DELAY)
    return done(
        _("The scores will be recomputed in a moment."),
        url_for(".results", question_id=question.id),
    )


@bp.route("/meeting", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def meeting(question_id: int):
    """The top proposals, their authors, and the invitation to meet the governor."""
    question = get_public_question_or_404(question_id)
    top = queries.top_proposals(question, _top_n())
    form = MeetingForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            session = operations.invite_to_meeting(
                question, current_user, [s.proposal for s in top], form.fields()
            )
            return done(
                _("The meeting is scheduled and the authors are invited."),
                url_for("sessions.show", session_id=session.id),
            )
    return render_template(
        "voting/meeting.html",
        question=question,
        top=top,
        top_n=_top_n(),
        people=queries.credited_count([s.proposal_id for s in top]),
        form=form,
    )


@bp.post("/meeting/shortlist")
@role_required(Role.OFFICIAL)
def shortlist(question_id: int):
    """Put the ideas of the top proposals on the shortlist board."""
    question = get_public_question_or_404(question_id)
    top = queries.top_proposals(question, _top_n())
    with on_refusal(back=url_for(".meeting", question_id=question.id)):
        count = operations.shortlist_top(
            question, current_user, [s.proposal for s in top]
        )
    return done(
        _(
            "%(count)d ideas of the top proposals are on the shortlist board.",
            count=count,
        ),
        url_for("shortlist.board", question_id=question.id),
    )


def _top_n() -> int:
    return current_app.config["MEETING_TOP_N"]
