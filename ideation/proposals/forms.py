"""Forms of the consultation cycle and of proposals."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ideation.proposals.models import PHASE_LABELS, PHASES
from ideation.proposals.operations import CycleDates
from ideation.shared.forms import DateInRange, MaxLengthFromConfig, PlainText
from ideation.shared.i18n import local_to_utc, utc_to_local

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _date_field(label):
    return DateTimeLocalField(
        label, format=DATETIME_FORMAT, validators=[Optional(), DateInRange()]
    )


class CycleForm(FlaskForm):
    phase = SelectField(
        _l("Phase"),
        choices=[SelectChoice(p.value, PHASE_LABELS[p]) for p in PHASES],
        validators=[DataRequired()],
    )
    ideas_close_at = _date_field(_l("Ideas close"))
    voting_opens_at = _date_field(_l("Voting opens"))
    voting_close_at = _date_field(_l("Voting closes"))
    meeting_at = _date_field(_l("Meeting with the governor"))
    submit = SubmitField(_l("Save the cycle"))

    @classmethod
    def of(cls, cycle, **kwargs):
        """The form filled with the cycle's phase and dates (local time)."""
        if cycle is None:
            return cls(**kwargs)
        data = {
            "phase": cycle.current_phase().value,
            "ideas_close_at": utc_to_local(cycle.ideas_close_at),
            "voting_opens_at": utc_to_local(cycle.voting_opens_at),
            "voting_close_at": utc_to_local(cycle.voting_close_at),
            "meeting_at": utc_to_local(cycle.meeting_at),
        }
        return cls(data=data, **kwargs)

    def dates(self) -> CycleDates:
        return CycleDates(
            ideas_close_at=local_to_utc(self.ideas_close_at.data),
            voting_opens_at=local_to_utc(self.voting_opens_at.data),
            voting_close_at=local_to_utc(self.voting_close_at.data),
            meeting_at=local_to_utc(self.meeting_at.data),
        )


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProposalForm(FlaskForm):
    ideas = MultiCheckboxField(_l("Ideas this proposal comes from"), coerce=int)
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give the proposal a title.")),
            PlainText(),
            MaxLengthFromConfig("PROPOSAL_TITLE_MAX"),
        ],
    )
    body = TextAreaField(
        _l("Text"),
        validators=[
            Optional(),
            PlainText(multiline=True),
            MaxLengthFromConfig("PROPOSAL_BODY_MAX"),
        ],
    )
    sub_theme = StringField(
        _l("Sub-theme"),
        validators=[
            Optional(),
            PlainText(),
            MaxLengthFromConfig("PROPOSAL_SUB_THEME_MAX"),
        ],
    )
    submit = SubmitField(_l("Publish the proposal"))

    def __init__(self, ideas, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered_ideas = ideas
        self.ideas.choices = [SelectChoice(idea.id, idea.title) for idea in ideas]
        if not self.is_submitted():
            self.ideas.data = [idea.id for idea in ideas]

    def chosen_ideas(self):
        wanted = set(self.ideas.data or [])
        return [idea for idea in self.offered_ideas if idea.id in wanted]
