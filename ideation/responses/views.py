"""Officials set ideas' statuses with a public response: one idea, or a whole
duplicate group or theme at once. The timeline on the idea page is public."""

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from ideation.ideas.models import Idea
from ideation.ideas.queries import get_visible_idea_or_404
from ideation.questions.queries import get_public_question_or_404
from ideation.responses import queries
from ideation.responses.forms import CorrectionForm, GroupResponseForm, ResponseForm
from ideation.responses.operations import correct_response, respond_to_ideas
from ideation.shared.roles import Role, role_required
from ideation.shared.web import done, on_refusal
from ideation.themes.models import Theme
from ideation.themes.queries import requested_theme_id

bp = Blueprint("responses", __name__)
bp.add_app_template_filter(queries.status_label, "idea_status")


@dataclass(frozen=True)
class ResponsePanel:
    """The idea page's timeline, and the response form when the reader may use it."""

    entries: list
    form: ResponseForm | None
    official: bool = False


@bp.app_template_global()
def response_panel(idea: Idea) -> ResponsePanel:
    """What the idea page shows of responses: everyone the timeline, officials
    the form (only with the moves the idea may make)."""
    form = None
    official = current_user.is_authenticated and current_user.has_role(Role.OFFICIAL)
    targets = queries.menu_choices([idea.status])
    if official and targets:
        form = ResponseForm(
            formdata=None, department=queries.last_department(current_user)
        )
        form.set_targets(targets)
    return ResponsePanel(queries.timeline(idea), form, official)


@bp.route("/ideas/<int:idea_id>/respond", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def respond(idea_id: int):
    """Change one idea's status with a public response."""
    idea = get_visible_idea_or_404(idea_id)
    form = ResponseForm(data=_defaults() if request.method == "GET" else None)
    form.set_targets(queries.menu_choices([idea.status]))
    if form.validate_on_submit():
        with on_refusal(form=form):
            respond_to_ideas(
                [idea],
                current_user,
                form.status.data,
                form.body.data,
                form.department.data,
            )
            return done(
                _("The response is published; the author and supporters are notified."),
                url_for("ideas.show", idea_id=idea.id, _anchor="responses"),
            )
    return render_template(
        "responses/respond.html", idea=idea, form=form, entries=queries.timeline(idea)
    )


@bp.route("/responses/<int:response_id>/correct", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def correct(response_id: int):
    """Correct a published response; the earlier wording stays visible."""
    response = queries.get_response_or_404(response_id)
    idea = get_visible_idea_or_404(response.idea_id)
    form = CorrectionForm(obj=response if request.method == "GET" else None)
    if form.validate_on_submit():
        with on_refusal(form=form):
            correct_response(
                response, current_user, form.body.data, form.department.data
            )
            return done(
                _("The correction is published; the earlier wording stays visible."),
                url_for("ideas.show", idea_id=idea.id, _anchor="responses"),
            )
    return render_template(
        "responses/correct.html",
        idea=idea,
        response=response,
        form=form,
        shared_with=queries.shared_with(response),
    )


@dataclass(frozen=True)
class Scope:
    """The ideas one group response concerns: a duplicate group, or a theme."""

    ideas: list[Idea]
    group: str | None = None
    theme: Theme | None = None


def _scope(question) -> Scope:
    if request.args.get("group"):
        group = request.args["group"]
        return Scope(queries.group_ideas(question, group), group=group)
    theme = queries.theme_of_question(question, requested_theme_id(request.args))
    if theme is None:
        abort(404)
    return Scope(queries.theme_ideas(theme), theme=theme)


@bp.route("/questions/<int:question_id>/respond", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def respond_group(question_id: int):
    """One response to the ticked ideas of a duplicate group (?group=) or a theme
    (?theme=), applied to each of them."""
    question = get_public_question_or_404(question_id)
    scope = _scope(question)
    defaults = {**_defaults(), "ideas": [idea.id for idea in scope.ideas]}
    form = GroupResponseForm(data=defaults if request.method == "GET" else None)
    form.ideas.choices = [SelectChoice(idea.id, idea.title) for idea in scope.ideas]
    form.set_targets(queries.targets_for(scope.ideas))
    confirm = None
    if form.validate_on_submit():
        chosen = [idea for idea in scope.ideas if idea.id in form.ideas.data]
        if request.form.get("confirmed") != confirmation_key(chosen):
            confirm = chosen  # first the official sees exactly which ideas it reaches
        else:
            with on_refusal(form=form):
                respond_to_ideas(
                    chosen,
                    current_user,
                    form.status.data,
                    form.body.data,
                    form.department.data,
                )
                theme_id = scope.theme.id if scope.theme else None
                return done(
                    _answered_message(len(chosen)),
                    url_for("shortlist.board", question_id=question.id, theme=theme_id),
                )
    return render_template(
        "responses/group.html",
        question=question,
        scope=scope,
        form=form,
        confirm=confirm,
        confirm_key=confirmation_key(confirm or []),
    )


def confirmation_key(ideas) -> str:
    """What the confirming form carries: the ids of the ideas it was shown."""
    return "-".join(str(i) for i in sorted(idea.id for idea in ideas))


def _defaults() -> dict:
    return {"department": queries.last_department(current_user)}


def _answered_message(count: int) -> str:
    return ngettext(
        "The response is published on %(num)d idea; authors and supporters are "
        "notified.",
        "The response is published on each of the %(num)d ideas; authors and "
        "supporters are notified.",
        count,
    )
