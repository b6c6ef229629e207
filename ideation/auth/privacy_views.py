"""The privacy notice and terms, and an account's data rights: change the e-mail
address, download everything, delete the account (ideation.auth.data_rights)."""

import json
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ideation.auth.data_rights import (
    change_email,
    delete_account,
    export_account_data,
    request_email_change,
)
from ideation.auth.privacy_forms import DeleteAccountForm, EmailChangeForm, ExportForm
from ideation.extensions import db, limiter
from ideation.shared.i18n import SESSION_KEY
from ideation.shared.web import configured_limit, done, on_refusal

bp = Blueprint("privacy", __name__)


def _refused(response) -> bool:
    # Only a wrong password (the form again) counts against the limit.
    return response.status_code == 200


def _current_account() -> str:
    return f"user:{current_user.get_id()}"


_password_limit = limiter.limit(
    configured_limit("LOGIN_LIMIT_PER_ACCOUNT_AND_IP"),
    key_func=_current_account,
    methods=["POST"],
    deduct_when=_refused,
)


@bp.get("/privacy")
def privacy():
    return _legal_page("PRIVACY_NOTICE_FILE", _("Privacy notice"))


@bp.get("/terms")
def terms():
    return _legal_page("TERMS_FILE", _("Terms of use"))


def _legal_page(setting: str, title: str) -> str:
    """The operator's Markdown text in the reader's language (or the default one)."""
    config = current_app.config
    for locale in (str(get_locale()), config["BABEL_DEFAULT_LOCALE"]):
        path = Path(config[setting].format(locale=locale))
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return render_template("auth/legal.html", title=title, text=text)
    # A missing file is the operator's mistake; say so in the log, not with a 500.
    current_app.logger.error("%s: no file at %s", setting, config[setting])
    abort(404)


@bp.get("/account/data")
@login_required
def data_rights():
    """The page with the three rights: its forms post to the views below."""
    return _render_page()


@bp.post("/account/email")
@login_required
@_password_limit
def email_change():
    form = EmailChangeForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            new_email = request_email_change(
                current_user, form.current_password.data, form.new_email.data
            )
            return done(
                _(
                    "We sent a link to %(email)s: your address changes when you open "
                    "it. It works for %(duration)s.",
                    email=new_email,
                    duration=format_timedelta(
                        current_app.config["EMAIL_CHANGE_MAX_AGE"]
                    ),
                ),
                url_for(".data_rights"),
                "info",
            )
    return _render_page(email_form=form)


@bp.get("/account/email/<token>")
def confirm_email_change(token: str):
    """The link e-mailed to the new address: the account moves to it."""
    back = url_for(".data_rights" if current_user.is_authenticated else "auth.login")
    with on_refusal(back=back):
        user = change_email(token)
        return done(_("Your e-mail address is now %(email)s.", email=user.email), back)


@bp.post("/account/export")
@login_required
def export():
    if not ExportForm().validate_on_submit():
        abort(400)
    body = json.dumps(export_account_data(current_user), ensure_ascii=False, indent=2)
    response = make_response(body)
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = (
        'attachment; filename="my-data-the-governor-asks.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/delete")
@login_required
@_password_limit
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            delete_account(current_user._get_current_object(), form.password.data)
            db.session.commit()
            _log_out()
            flash(_("Your account is deleted. Thank you for taking part."), "info")
            return redirect(url_for("main.index"))
    return _render_page(delete_form=form)


def _log_out() -> None:
    # The sessions are gone on the server; this empties this browser's cookie too,
    # keeping only the chosen language.
    language = session.get(SESSION_KEY)
    logout_user()
    session.clear()
    if language:
        session[SESSION_KEY] = language


def _render_page(
    email_form: EmailChangeForm | None = None,
    delete_form: DeleteAccountForm | None = None,
) -> str:
    return render_template(
        "auth/data_rights.html",
        email_form=email_form or EmailChangeForm(formdata=None),
        export_form=ExportForm(formdata=None),
        delete_form=delete_form or DeleteAccountForm(formdata=None),
    )
