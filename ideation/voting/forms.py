"""Forms of the pairwise vote and of the meeting with the governor."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from ideation.sessions.scheduling import SessionFields
from ideation.shared.forms import DateInRange, PlainText
from ideation.shared.i18n import local_to_utc
from ideation.voting.models import UndecidedReason
from ideation.voting.operations import FIRST, SECOND, UNDECIDED

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
REASON_LABELS = {
    UndecidedReason.BOTH_GOOD: _l("Both are good"),
    UndecidedReason.DONT_KNOW: _l("I don't know enough"),
    UndecidedReason.SAME: _l("They are the same"),
}


class VoteForm(FlaskForm):
    """The answer comes from the button pressed; the reason is optional."""

    answer = StringField(
        validators=[
            InputRequired(_l("Choose one of the two proposals, or “I can't decide”.")),
            AnyOf(
                (FIRST, SECOND, UNDECIDED),
                message=_l("Choose one of the two proposals, or “I can't decide”."),
            ),
            PlainText(),
        ]
    )
    reason = RadioField(
        _l("Why can't you decide? (optional)"),
        choices=[SelectChoice(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[Optional()],
        validate_choice=False,  # an unknown reason is dropped, not refused
    )


class MeetingForm(FlaskForm):
    """The meeting with the governor, scheduled as a design session."""

    title = StringField(
        _l("Title"), validators=[DataRequired(), PlainText(), Length(max=140)]
    )
    agenda = TextAreaField(
        _l("Agenda"), validators=[Optional(), PlainText(multiline=True)]
    )
    starts_at = DateTimeLocalField(
        _l("Starts at"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(), DateInRange()],
    )
    ends_at = DateTimeLocalField(
        _l("Ends at"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(), DateInRange()],
    )
    place = StringField(
        _l("Place"), validators=[Optional(), PlainText(), Length(max=200)]
    )
    online_url = StringField(
        _l("Online meeting link"),
        validators=[Optional(), PlainText(), Length(max=500)],
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Say how many people can take part.")),
            NumberRange(min=1, message=_l("Offer at least one seat.")),
        ],
    )
    submit = SubmitField(_l("Schedule the meeting and invite the authors"))

    def fields(self) -> SessionFields:
        return SessionFields(
            title=self.title.data or "",
            agenda=self.agenda.data or "",
            starts_at=local_to_utc(self.starts_at.data),
            ends_at=local_to_utc(self.ends_at.data),
            place=self.place.data,
            online_url=self.online_url.data,
            capacity=self.capacity.data,
        )
