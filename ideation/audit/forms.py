"""The audit log's filters."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from ideation.audit.links import action_label, target_label
from ideation.shared.forms import DateInRange, PlainText, strip_outer_whitespace

_STRIP = [strip_outer_whitespace]


class AuditFilterForm(FlaskForm):
    """The audit log's filters, read from the query string (a GET: no CSRF)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False)
    actor = StringField(
        _l("Done by (name or e-mail address)"),
        filters=_STRIP,
        validators=[PlainText()],
    )
    target_type = SelectField(_l("Kind of target"), validate_choice=False)
    date_from = DateField(_l("From (date)"), validators=[Optional(), DateInRange()])
    date_to = DateField(
        _l("To (date, included)"), validators=[Optional(), DateInRange()]
    )
    text = StringField(
        _l("Words in the reason"), filters=_STRIP, validators=[PlainText()]
    )

    def __init__(self, actions, target_types, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # In the reader's language, sorted by what they read.
        self.action.choices = [SelectChoice("", _("All actions"))] + sorted(
            (SelectChoice(action, action_label(action)) for action in actions),
            key=lambda choice: choice.label.casefold(),
        )
        self.target_type.choices = [SelectChoice("", _("All kinds"))] + sorted(
            (SelectChoice(kind, target_label(kind)) for kind in target_types),
            key=lambda choice: choice.label.casefold(),
        )

    def validate_date_to(self, field) -> None:
        start = self.date_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_("The end date is before the start date."))
