"""Forms of design sessions."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ideation.sessions import queries
from ideation.sessions.invitations import ACCEPT, DECLINE
from ideation.sessions.scheduling import SessionFields
from ideation.shared.forms import DateInRange, PlainText
from ideation.shared.i18n import local_to_utc

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ScheduleForm(FlaskForm):
    ideas = MultiCheckboxField(_l("Ideas to design"), coerce=int)
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
    extra_emails = TextAreaField(
        _l("Also invite (e-mail addresses of accounts)"),
        validators=[Optional(), PlainText(multiline=True), Length(max=10000)],
    )
    submit = SubmitField(_l("Schedule and send the invitations"))

    def __init__(self, ideas, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered_ideas = ideas
        self.ideas.choices = [SelectChoice(idea.id, idea.title) for idea in ideas]
        self.extra_users = []

    def validate_ideas(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one idea for the session."))

    def validate_capacity(self, field):
        limit = current_app.config["SESSION_CAPACITY_MAX"]
        if field.data is not None and field.data > limit:
            raise ValidationError(_l("Offer at most %(max)d seats.", max=limit))

    def validate_extra_emails(self, field):
        addresses = queries.split_addresses(field.data)
        found, unknown = queries.users_by_emails(addresses)
        if unknown:
            raise ValidationError(
                _l(
                    "No account has these addresses: %(addresses)s. Correct them or "
                    "leave them out.",
                    addresses=", ".join(unknown),
                )
            )
        self.extra_users = found

    def chosen_ideas(self):
        wanted = set(self.ideas.data or [])
        return [idea for idea in self.offered_ideas if idea.id in wanted]

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


class RsvpForm(FlaskForm):
    """Accept or decline in the app: one form, a button for each answer."""

    choice = RadioField(
        _l("Your answer"),
        choices=[
            SelectChoice(ACCEPT, _l("Accept")),
            SelectChoice(DECLINE, _l("Decline")),
        ],
        validators=[InputRequired(_l("Choose to accept or to decline."))],
    )


class AttendanceForm(FlaskForm):
    attended = MultiCheckboxField(_l("Who came"), coerce=int)
    submit = SubmitField(_l("Save attendance"))

    def __init__(self, seats, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        self.attended.choices = [SelectChoice(i.id, i.user.display_name) for i in seats]
        if kwargs.get("formdata", True) is None or not self.is_submitted():
            self.attended.data = [i.id for i in seats if i.attended]


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(
        _l("Outcome notes"),
        validators=[
            DataRequired(_l("Write the outcome: what was decided, what comes next.")),
            PlainText(multiline=True),
        ],
    )
    submit = SubmitField(_l("Publish the outcome"))


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for cancelling"),
        validators=[
            DataRequired(_l("Give the reason for cancelling: invitees will read it.")),
            PlainText(multiline=True),
            Length(max=2000),
        ],
    )
