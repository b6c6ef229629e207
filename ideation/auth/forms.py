"""Forms of the accounts pages."""

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)

from ideation.auth.models import User
from ideation.auth.operations import DISPLAY_NAME_MAX, EMAIL_MAX
from ideation.auth.passwords import password_problem
from ideation.notifications.preferences import LABELS as EMAIL_PREFERENCE_LABELS
from ideation.shared.forms import PlainText


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PasswordPolicy:
    """Validator: the platform's password policy, as for every account."""

    def __call__(self, form, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


def _display_name_field():
    return StringField(
        _l("Display name"),
        validators=[
            DataRequired(message=_l("Enter a display name.")),
            PlainText(),
            Length(
                max=DISPLAY_NAME_MAX,
                message=_l("Use at most %(max)d characters."),
            ),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )


class RegisterForm(FlaskForm):
    display_name = _display_name_field()
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            PlainText(),
            Length(max=EMAIL_MAX, message=_l("Use at most %(max)d characters.")),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Choose a password.")), PasswordPolicy()],
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    # Its label links to the notice and terms (templates/auth/register.html).
    consent = BooleanField(
        _l("I have read the privacy notice and accept the terms of use."),
        validators=[
            DataRequired(
                message=_l("To create an account, accept the privacy notice and terms.")
            )
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            PlainText(),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileForm(FlaskForm):
    display_name = _display_name_field()
    locale = SelectField(_l("Language"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language named in itself, marked up so screen readers say it right.
        self.locale.choices = [
            SelectChoice(code, name, render_kw={"lang": code.replace("_", "-")})
            for code, name in current_app.config["LANGUAGES"].items()
        ]

    @classmethod
    def for_user(cls, user: User, **kwargs) -> "ProfileForm":
        """The form filled with the account's current values."""
        return cls(
            display_name=user.display_name,
            locale=user.locale or str(get_locale()),
            **kwargs,
        )


class EmailPreferenceForm(FlaskForm):
    email_preference = RadioField(
        _l("E-mail me about my notifications"),
        choices=[
            SelectChoice(str(key), label)
            for key, label in EMAIL_PREFERENCE_LABELS.items()
        ],
        validators=[InputRequired(message=_l("Choose how often we e-mail you."))],
    )

    @classmethod
    def for_user(cls, user: User, **kwargs) -> "EmailPreferenceForm":
        """The form with the account's current choice."""
        return cls(email_preference=user.email_preference, **kwargs)


class ResendConfirmationForm(FlaskForm):
    """Only the CSRF token: the button that sends the confirmation e-mail again."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            PlainText(),
            Length(max=EMAIL_MAX, message=_l("Use at most %(max)d characters.")),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Choose a new password.")),
            PasswordPolicy(),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    new_password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("Repeat the new password.")),
            EqualTo("new_password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(ResetPasswordForm):
    """Change the password while signed in: the reset form, plus the current one."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
