"""Forms of the data-rights pages: change the e-mail address, delete the account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from ideation.auth.operations import EMAIL_MAX
from ideation.shared.forms import PlainText


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _current_password_field():
    return PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )


class EmailChangeForm(FlaskForm):
    new_email = EmailField(
        _l("New e-mail address"),
        validators=[
            DataRequired(message=_l("Enter your new e-mail address.")),
            PlainText(),
            Length(max=EMAIL_MAX, message=_l("Use at most %(max)d characters.")),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )
    current_password = _current_password_field()


class ExportForm(FlaskForm):
    """Only the CSRF token: the button that downloads the account's data."""


class DeleteAccountForm(FlaskForm):
    password = _current_password_field()
    confirm = BooleanField(
        _l("I understand that my account and my personal data will be erased."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
