"""Design sessions: the public session page, invitees' answers, officials' pages."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.sessions import answers, closing, queries, scheduling
from ideation.sessions.answers import Answer
from ideation.sessions.forms import (
    AttendanceForm,
    CancelForm,
    OutcomeForm,
    RsvpForm,
    ScheduleForm,
)
from ideation.sessions.ics import calendar as calendar_text
from ideation.sessions.tokens import load_rsvp_token
from ideation.shared.db import utcnow
from ideation.shared.forms import ActionForm
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.text import one_line
from ideation.shared.web import as_id, done, on_refusal, safe_next

bp = Blueprint("sessions", __name__)


@bp.app_template_filter("session_time")
def session_time(session) -> str:
    """When a session takes place, in the reader's language (every template)."""
    return queries.time_range(session)


@bp.app_template_global()
def idea_design_sessions(idea):
    """The design sessions on `idea` with a published outcome (for its page)."""
    return queries.sessions_with_outcome(idea)


@bp.get("/sessions/manage")
@role_required(Role.OFFICIAL)
def manage():
    """Every session, the latest first, with how invitees answered."""
    pagination = queries.sessions_page(page_number(request.args))
    counts = queries.answer_counts(pagination.items)
    return render_template("sessions/manage.html", pagination=pagination, counts=counts)


@bp.route("/sessions/new", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def new():
    """Schedule a session on shortlisted or selected ideas, and invite in one step."""
    asked = [i for i in map(as_id, request.args.getlist("idea")) if i is not None]
    ideas = queries.schedule_choices(asked, as_id(request.args.get("question")))
    form = ScheduleForm(ideas, data=_initial(ideas, asked))
    if form.validate_on_submit():
        with on_refusal(form=form):
            session = scheduling.schedule_session(
                current_user, form.chosen_ideas(), form.fields(), form.extra_users
            )
            return done(
                _("The session is scheduled and the invitations are sent."),
                url_for(".show", session_id=session.id),
            )
    return render_template("sessions/new.html", form=form)


@bp.get("/sessions/invitations")
@login_required
def invitations():
    """The signed-in user's invitations, to answer them."""
    return render_template(
        "sessions/invitations.html",
        invitations=queries.invitations_of(current_user),
        form=RsvpForm(formdata=None),
        position=queries.waitlist_position,
        closed=answers.closed_reason,
    )


@bp.get("/sessions/<int:session_id>")
def show(session_id: int):
    """A session: public facts; place, link and attendees for invitees and officials."""
    return _show(queries.get_session_or_404(session_id))


@bp.get("/sessions/<int:session_id>.ics")
def calendar(session_id: int):
    """The session as a calendar file (RFC 5545)."""
    session = queries.get_session_or_404(session_id)
    event = queries.calendar_event(session, current_user, utcnow())
    return Response(
        calendar_text(event),
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="session-{session.id}.ics"'
        },
    )


@bp.post("/sessions/<int:session_id>/rsvp")
@login_required
def rsvp(session_id: int):
    """The invitee accepts or declines in the app."""
    session = queries.get_session_or_404(session_id)
    invitation = queries.invitation_of(session, current_user)
    if invitation is None:
        abort(403)
    form = RsvpForm()
    back = safe_next(request.form.get("next"), url_for(".show", session_id=session.id))
    if not form.validate_on_submit():
        flash(_("Choose to accept or to decline the invitation."), "error")
        return redirect(back)
    return _answer(answers.respond_to_invitation, invitation, form.choice.data, back)


@bp.route("/rsvp/<token>", methods=["GET", "POST"])
def rsvp_link(token: str):
    """The link e-mailed to an invitee: a page to confirm; only the POST answers.

    Link scanners and prefetchers follow GETs, so a GET never changes anything. The
    token is the credential: it answers for the invitee it names, signed in or not.
    """
    with on_refusal(back=url_for(".invitations")):
        invitation, choice = load_rsvp_token(token)
    form = ActionForm()
    if form.validate_on_submit():
        back = url_for(".show", session_id=invitation.session_id)
        return _answer(answers.answer_by_link, invitation, choice, back)
    return render_template(
        "sessions/rsvp.html",
        invitation=invitation,
        choice=choice,
        form=form,
        closed=answers.answer_refusal(invitation),
    )


@bp.post("/sessions/<int:session_id>/attendance")
@role_required(Role.OFFICIAL)
def attendance(session_id: int):
    """Officials mark who of those holding a seat came."""
    session = queries.get_session_or_404(session_id)
    form = AttendanceForm(queries.accepted_invitations(session))
    return _official_action(
        session,
        form,
        lambda: closing.mark_attendance(
            session, current_user, form.attended.data or []
        ),
        _("Attendance is saved."),
        attendance_form=form,
    )


@bp.post("/sessions/<int:session_id>/outcome")
@role_required(Role.OFFICIAL)
def outcome(session_id: int):
    """Officials publish (or correct) the outcome notes."""
    session = queries.get_session_or_404(session_id)
    form = OutcomeForm()
    return _official_action(
        session,
        form,
        lambda: closing.publish_outcome(session, current_user, form.outcome.data),
        _("The outcome is published on this page and on the ideas' pages."),
        outcome_form=form,
    )


@bp.post("/sessions/<int:session_id>/cancel")
@role_required(Role.OFFICIAL)
def cancel(session_id: int):
    """Officials cancel a scheduled session, with a reason."""
    session = queries.get_session_or_404(session_id)
    form = CancelForm()
    return _official_action(
        session,
        form,
        lambda: closing.cancel_session(session, current_user, form.reason.data),
        _("The session is cancelled and the invitees are told."),
        cancel_form=form,
    )


# -- helpers ---------------------------------------------------------------------------


def _show(session, status: int = 200, **forms):
    page = queries.session_page(session, current_user)
    if page.official:
        forms.setdefault(
            "attendance_form", AttendanceForm(page.attendees, formdata=None)
        )
        forms.setdefault(
            "outcome_form", OutcomeForm(formdata=None, outcome=session.outcome)
        )
        forms.setdefault("cancel_form", CancelForm(formdata=None))
    return (
        render_template(
            "sessions/show.html",
            page=page,
            rsvp_form=RsvpForm(formdata=None),
            closed=answers.closed_reason(session),
            **forms,
        ),
        status,
    )


def _official_action(session, form, run, done_message: str, **forms):
    if not form.validate_on_submit():
        return _show(session, 200, **forms)
    back = url_for(".show", session_id=session.id)
    with on_refusal(back=back):
        run()
    return done(done_message, back)


def _answer(answer_with, invitation, choice: str, back: str):
    """Answer, commit, and say what happened; a refusal keeps everything as it was."""
    with on_refusal(back=back):
        answer = answer_with(invitation, choice)
    return done(_answer_message(answer, invitation), back, _ANSWER_CATEGORY[answer])


_ANSWER_CATEGORY = {
    Answer.ACCEPTED: "success",
    Answer.ALREADY_ACCEPTED: "info",
    Answer.WAITLISTED: "info",
    Answer.ALREADY_WAITLISTED: "info",
    Answer.DECLINED: "success",
    Answer.ALREADY_DECLINED: "info",
}


def _answer_message(answer: Answer, invitation) -> str:
    title = invitation.session.title
    name = invitation.user.display_name
    if answer is Answer.ACCEPTED:
        return _("%(name)s, you are attending “%(title)s”.", name=name, title=title)
    if answer is Answer.ALREADY_ACCEPTED:
        return _(
            "You had already accepted: you are attending “%(title)s”, with one seat.",
            title=title,
        )
    if answer in (Answer.WAITLISTED, Answer.ALREADY_WAITLISTED):
        return _(
            "“%(title)s” is full: you are on the waitlist, number %(position)d. If a "
            "seat frees up it is yours, and we will tell you.",
            title=title,
            position=queries.waitlist_position(invitation) or 0,
        )
    if answer is Answer.DECLINED:
        return _("You declined the invitation to “%(title)s”.", title=title)
    return _("You had already declined the invitation to “%(title)s”.", title=title)


def _initial(ideas, asked: list[int]) -> dict | None:
    if request.method != "GET":
        return None
    data: dict = {"ideas": asked}
    chosen = [idea for idea in ideas if idea.id in asked]
    if len(chosen) == 1:
        title = one_line(chosen[0].title)
        data["title"] = _("Design session: %(title)s", title=title)[:140]
    return data
