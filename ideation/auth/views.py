"""Register, log in, log out, and the account page."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..i18n import SESSION_KEY
from ..main.views import safe_next
from ..models import User
from ..moderation.rules import blocked_message, is_blocked
from .forms import LoginForm, PasswordForm, ProfileForm, RegisterForm, show_error
from .operations import (
    EMAIL_MAX,
    AccountError,
    authenticate,
    change_password,
    create_account,
    update_profile,
)
from .queries import normalize_email

bp = Blueprint("auth", __name__)


def _configured(name: str):
    """A limit read from the configuration at request time."""
    return lambda: current_app.config[name]


def _refused(response) -> bool:
    # Only refusals count against a limit: a re-rendered form, not a redirect.
    return response.status_code == 200


def _submitted_account() -> str:
    return "account:" + normalize_email(request.form.get("email", ""))[:EMAIL_MAX]


def _current_account() -> str:
    return f"user:{current_user.get_id()}"


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_configured("REGISTER_LIMIT_PER_IP"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_account(
                form.email.data, form.display_name.data, form.password.data
            )
        except AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Welcome, %(name)s!", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _configured("LOGIN_LIMIT_PER_IP"), methods=["POST"], deduct_when=_refused
)
@limiter.limit(
    _configured("LOGIN_LIMIT_PER_ACCOUNT"),
    key_func=_submitted_account,
    methods=["POST"],
    deduct_when=_refused,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None and is_blocked(user):
            # Said only to whoever knows the password.
            form.form_errors.append(blocked_message(user))
        elif user is not None:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")))
        # The same words whether the address or the password was wrong.
        form.form_errors.append(_("Wrong e-mail address or password."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    _fresh_session()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm.for_user(current_user)
    if form.validate_on_submit():
        try:
            update_profile(current_user, form.display_name.data, form.locale.data)
        except AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your account is updated."), "success")
            return redirect(url_for("auth.account"))
    return _render_account(profile_form=form, password_form=PasswordForm(formdata=None))


@bp.post("/account/password")
@login_required
@limiter.limit(
    _configured("LOGIN_LIMIT_PER_ACCOUNT"),
    key_func=_current_account,
    deduct_when=_refused,
)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.account"))
    profile_form = ProfileForm.for_user(current_user, formdata=None)
    return _render_account(profile_form=profile_form, password_form=form)


def _render_account(profile_form: ProfileForm, password_form: PasswordForm) -> str:
    return render_template(
        "auth/account.html", profile_form=profile_form, password_form=password_form
    )


def _fresh_session() -> None:
    """Empty the session, keeping only the chosen language."""
    language = session.get(SESSION_KEY)
    session.clear()
    if language:
        session[SESSION_KEY] = language


def _start_session(user: User) -> None:
    # A fresh session at login: nothing planted before it (fixation) survives.
    _fresh_session()
    login_user(user)


@bp.before_app_request
def log_out_blocked_account():
    """A moderator blocked the signed-in account: its session ends on this request."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    if is_blocked(current_user):
        message = blocked_message(current_user)
        logout_user()
        _fresh_session()
        flash(message, "error")
