"""Forms of measures: an official's progress update."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ideation.measures.models import Measure
from ideation.measures.queries import status_label
from ideation.shared.forms import (
    MaxLengthFromConfig,
    PlainText,
    strip_outer_whitespace,
)


class MeasureUpdateForm(FlaskForm):
    """The status a measure moves to (or keeps) and a note on what happened."""

    status = SelectField(_l("Status"), validate_choice=False)
    note = TextAreaField(
        _l("What happened"),
        filters=[strip_outer_whitespace],
        validators=[
            DataRequired(message=_l("Write a note: what was done, what changed.")),
            PlainText(multiline=True),
            MaxLengthFromConfig("MEASURE_NOTE_MAX"),
        ],
    )
    submit = SubmitField(_l("Publish the update"))

    def __init__(self, measure: Measure, *args, **kwargs) -> None:
        kwargs.setdefault("status", measure.status)  # unless the form was sent
        super().__init__(*args, **kwargs)
        self.status.choices = [
            (status.value, status_label(status.value))
            for status in measure.next_statuses
        ]

    def validate_status(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Choose one of the statuses offered."))
