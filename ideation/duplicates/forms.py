"""Forms of the duplicate inbox."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, NumberRange
from wtforms.widgets import HiddenInput

from ideation.shared.forms import PlainText, strip_outer_whitespace
from ideation.shared.web import ID_MAX

_AN_ID = NumberRange(min=1, max=ID_MAX)


class MergeForm(FlaskForm):
    """The confirmation of a merge; the ideas come as `target` and `source` values."""

    reason = TextAreaField(
        _l("Reason (kept in the audit log)"),
        filters=[strip_outer_whitespace],
        validators=[
            DataRequired(message=_l("Give a reason for the merge.")),
            PlainText(multiline=True),
        ],
    )


class UndoMergeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for undoing (kept in the audit log)"),
        filters=[strip_outer_whitespace],
        validators=[
            DataRequired(message=_l("Give a reason for undoing the merge.")),
            PlainText(multiline=True),
        ],
    )


class DismissForm(FlaskForm):
    """ "Not duplicates" for one suggested pair."""

    idea_a = IntegerField(widget=HiddenInput(), validators=[DataRequired(), _AN_ID])
    idea_b = IntegerField(widget=HiddenInput(), validators=[DataRequired(), _AN_ID])
