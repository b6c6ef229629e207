"""Forms of the ideas feature."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, ValidationError


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


class IdeaForm(FlaskForm):
    """An idea's title and optional description, as plain text."""

    title = StringField(
        _l("Title"),
        filters=[strip_outer_whitespace],
        validators=[
            DataRequired(message=_l("Give your idea a title.")),
            MaxLengthFromConfig("IDEA_TITLE_MAX"),
        ],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        filters=[strip_outer_whitespace],
        validators=[MaxLengthFromConfig("IDEA_DESCRIPTION_MAX")],
    )
    submit = SubmitField(_l("Publish idea"))
