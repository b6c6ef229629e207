"""Forms of the questions feature."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ideation.questions.models import RESPONSE_DAYS_MAX
from ideation.shared.forms import DateInRange, PlainText


class QuestionForm(FlaskForm):
    title = StringField(
        _l("Question"), validators=[DataRequired(), PlainText(), Length(max=200)]
    )
    context = TextAreaField(
        _l("Context"),
        validators=[Optional(), PlainText(multiline=True), Length(max=20000)],
    )
    region = StringField(
        _l("Region or community"), validators=[PlainText(), Length(max=80)]
    )
    opens_at = DateTimeLocalField(
        _l("Opens at"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional(), DateInRange()],
    )
    closes_at = DateTimeLocalField(
        _l("Closes at"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional(), DateInRange()],
    )
    response_days = IntegerField(
        _l("Days officials have to answer each idea"),
        validators=[
            Optional(),  # blank: the site's default (RESPONSE_DEADLINE_DAYS)
            NumberRange(
                min=1,
                max=RESPONSE_DAYS_MAX,
                message=_l("Give a number of days from %(min)s to %(max)s."),
            ),
        ],
    )

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(
                _l("The closing date must be after the opening date.")
            )
