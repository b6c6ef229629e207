"""The comment form: a plain-text comment, or a reply to one comment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

from ideation.shared.forms import (
    MaxLengthFromConfig,
    PlainText,
    strip_outer_whitespace,
)


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        filters=[strip_outer_whitespace],
        validators=[
            DataRequired(message=_l("Write your comment.")),
            PlainText(multiline=True),
            MaxLengthFromConfig("COMMENT_MAX"),
        ],
    )
    # The comment answered; empty for a comment on the idea itself.
    parent_id = HiddenField(validators=[PlainText()])
