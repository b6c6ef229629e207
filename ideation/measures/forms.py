"""Forms of measures: an official creates a measure, or posts a progress update."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from ideation.measures.models import Measure
from ideation.measures.operations import MeasureAnnouncement
from ideation.measures.queries import status_label
from ideation.shared.forms import (
    DateInRange,
    MaxLengthFromConfig,
    PlainText,
    strip_outer_whitespace,
)

_STRIP = [strip_outer_whitespace]


class MeasureForm(FlaskForm):
    """A new measure: what it does, who answers for it, its budget and dates."""

    title = StringField(
        _l("Title"),
        filters=_STRIP,
        validators=[
            DataRequired(message=_l("Give the measure a title.")),
            PlainText(),
            MaxLengthFromConfig("MEASURE_TITLE_MAX"),
        ],
    )
    description = TextAreaField(
        _l("What the measure will do"),
        filters=_STRIP,
        validators=[
            DataRequired(message=_l("Say what the measure will do.")),
            PlainText(multiline=True),
            MaxLengthFromConfig("MEASURE_DESCRIPTION_MAX"),
        ],
    )
    department = StringField(
        _l("Responsible department"),
        filters=_STRIP,
        validators=[
            DataRequired(
                message=_l("Name the department responsible for the measure.")
            ),
            PlainText(),
            MaxLengthFromConfig("MEASURE_DEPARTMENT_MAX"),
        ],
    )
    budget = StringField(
        _l("Budget in reais (optional)"), filters=_STRIP, validators=[PlainText()]
    )
    start_date = DateField(
        _l("Start date (optional)"),
        validators=[Optional(), DateInRange()],
    )
    target_date = DateField(
        _l("Target date"),
        validators=[
            InputRequired(message=_l("Give the date by which the measure is due.")),
            DateInRange(),
        ],
    )
    submit = SubmitField(_l("Create the measure"))

    # Set by validation: the budget in centavos, or None when left empty.
    budget_cents: int | None = None

    def validate_budget(self, field) -> None:
        self.budget_cents = None
        if not field.data:
            return
        text = field.data.replace("R$", "").strip()
        try:
            value = parse_decimal(text, locale=get_locale(), strict=True)
        except NumberFormatError:
            raise ValidationError(
                _(
                    "Write the budget as a number of reais, e.g. %(example)s.",
                    example=budget_example(),
                )
            ) from None
        if value < 0:
            raise ValidationError(_("A budget cannot be negative."))
        cents = (value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        self.budget_cents = int(cents)

    def announcement(self) -> MeasureAnnouncement:
        """The measure as typed, once validated."""
        return MeasureAnnouncement(
            self.title.data,
            self.description.data,
            self.target_date.data,
            department=self.department.data,
            budget_cents=self.budget_cents,
            start_date=self.start_date.data,
        )


def budget_example() -> str:
    return format_decimal(Decimal("1250000.50"), format="#,##0.00")


_PROGRESS_MESSAGE = _l("Give the progress as a number from 0 to 100.")


class PercentField(IntegerField):
    """A whole percentage; what is not a number gets our message, not WTForms'."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_PROGRESS_MESSAGE)) from None


class MeasureUpdateForm(FlaskForm):
    """The status a measure moves to (or keeps), its progress, and a note."""

    status = SelectField(_l("Status"), validate_choice=False)
    progress = PercentField(
        _l("Progress (percent done)"),
        validators=[
            Optional(),  # left empty: the progress stays as it is
            NumberRange(min=0, max=100, message=_PROGRESS_MESSAGE),
        ],
    )
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
        # Unless the form was sent: where the measure stands now.
        kwargs.setdefault("status", measure.status)
        kwargs.setdefault("progress", measure.progress)
        super().__init__(*args, **kwargs)
        self.status.choices = [
            (status.value, status_label(status.value))
            for status in measure.next_statuses
        ]

    def validate_status(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Choose one of the statuses offered."))
