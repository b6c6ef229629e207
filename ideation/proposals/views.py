"""The cycle of a question (officials), the synthesis board, writing proposals,
and the public pages of proposals."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ideation.proposals import operations, queries
from ideation.proposals.forms import CycleForm, ProposalForm
from ideation.proposals.models import PHASE_LABELS, Phase
from ideation.questions.queries import get_public_question_or_404
from ideation.shared.roles import Role, role_required
from ideation.shared.web import done, on_refusal

bp = Blueprint("proposals", __name__)


@bp.app_template_global()
def question_cycle(question):
    """The question's cycle as steps, or None (the question page)."""
    return queries.cycle_info(question)


@bp.app_template_global()
def idea_proposals(idea):
    """The proposals an idea went into (the idea page)."""
    return queries.proposals_of_idea(idea)


@bp.app_template_global()
def phase_label(phase) -> str:
    return str(PHASE_LABELS[Phase(phase)])


@bp.route("/questions/<int:question_id>/cycle", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def cycle(question_id: int):
    """Give the question a consultation cycle, or change its phase and dates."""
    question = get_public_question_or_404(question_id)
    form = CycleForm.of(queries.get_cycle(question))
    if form.validate_on_submit():
        with on_refusal(form=form):
            operations.set_cycle(
                question, current_user, Phase(form.phase.data), form.dates()
            )
            return done(
                _("The consultation cycle is saved."),
                url_for("ideas.question", question_id=question.id),
            )
    return render_template(
        "proposals/cycle.html",
        question=question,
        form=form,
        info=queries.cycle_info(question),
    )


@bp.post("/questions/<int:question_id>/cycle/advance")
@role_required(Role.OFFICIAL)
def advance(question_id: int):
    """Move the question on to the next phase of its cycle."""
    question = get_public_question_or_404(question_id)
    # CSRFProtect has already checked the token of this POST.
    with on_refusal(back=url_for(".cycle", question_id=question.id)):
        phase = operations.advance_phase(question, current_user)
    return done(
        _("The question is now in the phase “%(phase)s”.", phase=phase_label(phase)),
        url_for("ideas.question", question_id=question.id),
    )


@bp.get("/questions/<int:question_id>/synthesis")
@role_required(Role.OFFICIAL)
def synthesis(question_id: int):
    """Ideas no proposal used yet, by theme and duplicate group, with counts."""
    question = get_public_question_or_404(question_id)
    return render_template(
        "proposals/synthesis.html",
        question=question,
        board=queries.synthesis_board(question),
        proposals=queries.question_proposals(question),
    )


@bp.route("/questions/<int:question_id>/proposals/new", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def new(question_id: int):
    """Write a proposal from a duplicate group, a theme or hand-picked ideas."""
    question = get_public_question_or_404(question_id)
    form = ProposalForm(queries.ideas_to_synthesise(question, request.args))
    if form.validate_on_submit():
        with on_refusal(form=form):
            proposal = operations.write_proposal(
                question,
                current_user,
                form.title.data,
                form.body.data or "",
                form.sub_theme.data or "",
                form.chosen_ideas(),
            )
            return done(
                _("The proposal is published and its authors are credited."),
                url_for(".show", proposal_id=proposal.id),
            )
    return render_template(
        "proposals/new.html",
        question=question,
        form=form,
        sub_themes=queries.sub_themes(question),
    )


@bp.get("/questions/<int:question_id>/proposals")
def index(question_id: int):
    """The question's proposals, by sub-theme."""
    question = get_public_question_or_404(question_id)
    return render_template(
        "proposals/index.html",
        question=question,
        proposals=queries.question_proposals(question),
        info=queries.cycle_info(question),
    )


@bp.get("/proposals/<int:proposal_id>")
def show(proposal_id: int):
    """A proposal, the ideas it comes from and the people it credits."""
    proposal = queries.get_proposal_or_404(proposal_id)
    question = get_public_question_or_404(proposal.question_id)
    return render_template("proposals/show.html", proposal=proposal, question=question)
