"""Register, confirm the address, log in, log out, reset a forgotten password, and
the account page."""

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ideation.auth import login_sessions
from ideation.auth.data_rights import record_consent
from ideation.auth.events import log_event, log_failed_login, log_throttled
from ideation.auth.forms import (
    EmailPreferenceForm,
    ForgotPasswordForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetPasswordForm,
)
from ideation.auth.models import User
from ideation.auth.operations import (
    EMAIL_MAX,
    AccountError,
    authenticate,
    change_password,
    confirm_email,
    register_account,
    request_password_reset,
    reset_password,
    send_email_confirmation,
    update_profile,
)
from ideation.auth.queries import normalize_email
from ideation.auth.rules import blocked_message, ensure_email_confirmed, is_blocked
from ideation.auth.tokens import load_confirmation_token, load_password_reset_token
from ideation.extensions import db, limiter
from ideation.notifications.preferences import set_email_preference
from ideation.shared.db import writes_on_get
from ideation.shared.i18n import SESSION_KEY
from ideation.shared.web import configured_limit, done, on_refusal, safe_next

bp = Blueprint("auth", __name__)


def _refused(response) -> bool:
    # Only refusals count against a limit: a re-rendered form, not a redirect.
    return response.status_code == 200


def _submitted_account() -> str:
    return "account:" + normalize_email(request.form.get("email", ""))[:EMAIL_MAX]


def _current_account() -> str:
    return f"user:{current_user.get_id()}"


# Failed logins count per account *and* address: someone guessing from elsewhere
# cannot lock the owner out (any official, any admin), only themselves; the
# address's own limit, over every account, stops one place trying many.
def _submitted_account_here() -> str:
    return f"{_submitted_account()} from:{request.remote_addr}"


def _current_account_here() -> str:
    return f"{_current_account()} from:{request.remote_addr}"


def _registered(response) -> bool:
    return response.status_code == 302


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(
    configured_limit("REGISTER_LIMIT_PER_IP"), methods=["POST"], on_breach=log_throttled
)
# Each registration e-mails the address (a confirmation, or word of the attempt to
# the account that has it): a few per address, so nobody floods a mailbox.
@limiter.limit(
    configured_limit("REGISTER_LIMIT_PER_EMAIL"),
    key_func=_submitted_account,
    methods=["POST"],
    deduct_when=_registered,
    on_breach=log_throttled,
)
def register():
    """Create an account, then log in. The answer is the same whether or not the
    address already has an account (that account gets an e-mail instead)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            user = register_account(
                form.email.data,
                form.display_name.data,
                form.password.data,
                locale=str(get_locale()),
            )
            if user is not None:
                record_consent(user)
                log_event("registered", user)
            message = _(
                "Thank you. We sent an e-mail to %(email)s: open the link in it to "
                "confirm your address, and log in here. No e-mail? Check the spam "
                "folder, or the spelling of the address.",
                email=normalize_email(form.email.data),
            )
            login = url_for("auth.login", next=request.args.get("next"))
            return done(message, login, "info")
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    configured_limit("LOGIN_LIMIT_PER_IP"),
    methods=["POST"],
    deduct_when=_refused,
    on_breach=log_throttled,
)
@limiter.limit(
    configured_limit("LOGIN_LIMIT_PER_ACCOUNT_AND_IP"),
    key_func=_submitted_account_here,
    methods=["POST"],
    deduct_when=_refused,
    on_breach=log_throttled,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            log_failed_login(form.email.data)
            # The same words whether the address or the password was wrong.
            form.form_errors.append(_("Wrong e-mail address or password."))
        elif is_blocked(user):
            log_event("login_refused_blocked", user, logging.WARNING)
            # Said only to whoever knows the password.
            form.form_errors.append(blocked_message(user))
        else:
            _start_session(user)
            db.session.commit()
            log_event("login", user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        log_event("logout", current_user)
    # This browser's session only: the account stays signed in elsewhere.
    login_sessions.end_login_session(session.get(login_sessions.SESSION_KEY))
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm.for_user(current_user)
    if form.validate_on_submit():
        with on_refusal(form=form):
            update_profile(current_user, form.display_name.data, form.locale.data)
            return done(_("Your account is updated."), url_for("auth.account"))
    return _render_account(profile_form=form)


@bp.post("/account/password")
@login_required
@limiter.limit(
    configured_limit("LOGIN_LIMIT_PER_ACCOUNT_AND_IP"),
    key_func=_current_account_here,
    deduct_when=_refused,
    on_breach=log_throttled,
)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            session[login_sessions.SESSION_KEY] = change_password(
                current_user, form.current_password.data, form.new_password.data
            )
            log_event("password_changed", current_user)
            return done(_("Your password is changed."), url_for("auth.account"))
        log_event("password_change_refused", current_user, logging.WARNING)
    return _render_account(password_form=form)


@bp.post("/account/email-notifications")
@login_required
def email_notifications():
    form = EmailPreferenceForm()
    if form.validate_on_submit():
        set_email_preference(current_user, form.email_preference.data)
        db.session.commit()
        flash(_("Your choice of e-mails is saved."), "success")
        return redirect(url_for("auth.account"))
    return _render_account(preference_form=form)


def _render_account(
    profile_form: ProfileForm | None = None,
    password_form: PasswordForm | None = None,
    preference_form: EmailPreferenceForm | None = None,
) -> str:
    """The account page; forms not given are shown filled from the account."""
    return render_template(
        "auth/account.html",
        profile_form=profile_form or ProfileForm.for_user(current_user, formdata=None),
        password_form=password_form or PasswordForm(formdata=None),
        preference_form=preference_form
        or EmailPreferenceForm.for_user(current_user, formdata=None),
        resend_form=ResendConfirmationForm(formdata=None),
    )


# E-mail address confirmation


# A GET that writes: link scanners and the person may open it at the same time.
@bp.get("/confirm/<token>", endpoint="confirm_email")
@writes_on_get
def confirm_email_link(token: str):
    """The link e-mailed at registration: confirms the address (it does not log in)."""
    with on_refusal(back=url_for("auth.resend_confirmation")):
        user = load_confirmation_token(token)
    if current_user.is_authenticated and current_user.id != user.id:
        flash(
            _(
                "This link confirms the e-mail address of another account. Log out, "
                "then open the link again."
            ),
            "error",
        )
        return redirect(url_for("main.index"))
    newly_confirmed = confirm_email(user)
    db.session.commit()
    if newly_confirmed:
        flash(_("Thank you: your e-mail address is confirmed."), "success")
    else:
        flash(_("Your e-mail address was already confirmed."), "info")
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return redirect(url_for("auth.login"))


@bp.route("/confirm/resend", methods=["GET", "POST"])
@login_required
@limiter.limit(
    configured_limit("CONFIRM_RESEND_LIMIT"),
    key_func=_current_account,
    methods=["POST"],
    on_breach=log_throttled,
)
def resend_confirmation():
    """Send the confirmation link again (the page explains; the button sends)."""
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        try:
            send_email_confirmation(current_user)
        except AccountError as error:
            flash(str(error), "info")
        else:
            db.session.commit()
            flash(_confirmation_sent_message(current_user), "success")
        return redirect(safe_next(request.form.get("next"), url_for(request.endpoint)))
    return render_template("auth/confirm_resend.html", form=form)


def _confirmation_sent_message(user: User) -> str:
    return _(
        "We sent a link to %(email)s: open it to confirm your address. It works "
        "for %(duration)s.",
        email=user.email,
        duration=format_timedelta(current_app.config["EMAIL_TOKEN_MAX_AGE"]),
    )


# Contributions wait for a confirmed address. Supports are refused by the rules
# (ideas/rules.py, governor/rules.py); submitting an idea and asking the governor
# are refused here, before the form, until their operations check the author too.
_CONFIRMED_ONLY = {
    "ideas.new": lambda args: url_for(
        "ideas.question", question_id=args["question_id"]
    ),
    "governor.ask": lambda args: url_for("governor.questions"),
}


# The operations refuse unconfirmed accounts too; this sends them to the explanation
# before they type a whole idea into a form they cannot submit.
@bp.before_app_request
def _contributions_need_a_confirmed_address():
    back = _CONFIRMED_ONLY.get(request.endpoint)
    if back is None or not current_user.is_authenticated:
        return
    with on_refusal(back=back(request.view_args or {})):
        ensure_email_confirmed(current_user)


# Forgotten password


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    configured_limit("PASSWORD_RESET_LIMIT_PER_IP"),
    methods=["POST"],
    on_breach=log_throttled,
)
@limiter.limit(
    configured_limit("PASSWORD_RESET_LIMIT_PER_EMAIL"),
    key_func=_submitted_account,
    methods=["POST"],
    on_breach=log_throttled,
)
def forgot_password():
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        db.session.commit()
        # Which account is for the job to find: this request looks nothing up.
        log_event("password_reset_requested")
        # The same words whether or not an account uses the address.
        flash(
            _(
                "If an account uses %(email)s, we sent it a link to choose a new "
                "password. It works for %(duration)s. No e-mail? Check the spam "
                "folder, or the spelling of the address.",
                email=normalize_email(form.email.data),
                duration=format_timedelta(current_app.config["PASSWORD_RESET_MAX_AGE"]),
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"], endpoint="reset_password")
@limiter.limit(
    configured_limit("PASSWORD_RESET_LIMIT_PER_IP"),
    methods=["POST"],
    on_breach=log_throttled,
)
def reset_password_link(token: str):
    """The link e-mailed to reset a password: choose a new one, once."""
    with on_refusal(back=url_for("auth.forgot_password")):
        user = load_password_reset_token(token)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            reset_password(user, form.new_password.data)
            log_event("password_reset", user)
            if current_user.is_authenticated:
                logout_user()
                _fresh_session()
            return done(
                _("Your password is changed. Log in with the new one."),
                url_for("auth.login"),
            )
    response = make_response(
        render_template("auth/reset_password.html", form=form, user=user)
    )
    # The token is in this page's address: never send it on in a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _fresh_session() -> None:
    """Empty the session, keeping only the chosen language."""
    language = session.get(SESSION_KEY)
    session.clear()
    if language:
        session[SESSION_KEY] = language


def _start_session(user: User) -> None:
    # A fresh session at login: nothing planted before it (fixation) survives.
    _fresh_session()
    session[login_sessions.SESSION_KEY] = login_sessions.open_login_session(user)
    login_user(user)


@bp.before_app_request
def log_out_blocked_account():
    """A moderator blocked the signed-in account: its session ends on this request."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    if is_blocked(current_user):
        message = blocked_message(current_user)
        log_event("session_ended_blocked", current_user, logging.WARNING)
        logout_user()
        _fresh_session()
        flash(message, "error")
