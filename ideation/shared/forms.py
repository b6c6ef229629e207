"""Form helpers shared by every feature."""

from flask import current_app
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from ideation.shared.errors import DomainError


class ActionForm(FlaskForm):
    """An empty form: a POST-only button (support, publish, withdraw) with CSRF."""


def strip_outer_whitespace(value: str | None) -> str | None:
    """Trim leading and trailing whitespace only; the inside stays as typed."""
    return value.strip() if isinstance(value, str) else value


class MaxLengthFromConfig:
    """At most `config[key]` characters, read per request so tests can change it."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, form, field) -> None:
        limit = current_app.config[self.key]
        if field.data and len(field.data) > limit:
            raise ValidationError(
                _(
                    "Use at most %(max)d characters (you typed %(length)d).",
                    max=limit,
                    length=len(field.data),
                )
            )


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Show an operation's refusal on the field it concerns, else above the form."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        form.form_errors.append(str(error))
