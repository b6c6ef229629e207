"""Forms of the ideas feature."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from ideation.shared.forms import (
    MaxLengthFromConfig,
    PlainText,
    strip_outer_whitespace,
)


class IdeaForm(FlaskForm):
    """An idea's title and optional description, as plain text."""

    title = StringField(
        _l("Title"),
        filters=[strip_outer_whitespace],
        validators=[
            DataRequired(message=_l("Give your idea a title.")),
            PlainText(),
            MaxLengthFromConfig("IDEA_TITLE_MAX"),
        ],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        filters=[strip_outer_whitespace],
        validators=[
            PlainText(multiline=True),
            MaxLengthFromConfig("IDEA_DESCRIPTION_MAX"),
        ],
    )
    submit = SubmitField(_l("Publish idea"))
