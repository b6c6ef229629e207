"""Forms of officials' responses: one idea, or several ideas at once."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, ValidationError

from ideation.ideas.models import IdeaStatus
from ideation.responses.queries import menu_label
from ideation.shared.forms import (
    MaxLengthFromConfig,
    PlainText,
    strip_outer_whitespace,
)

_STRIP = [strip_outer_whitespace]


class ResponseForm(FlaskForm):
    """The new status, the public response (Markdown) and the signing department.

    The view sets `status.choices` to the moves the idea(s) may make.
    """

    status = SelectField(
        _l("New status"),
        validators=[DataRequired(message=_l("Choose the idea's new status."))],
        validate_choice=False,  # the operation says which moves are allowed
    )
    body = TextAreaField(
        _l("Public response"),
        filters=_STRIP,
        validators=[
            PlainText(multiline=True),
            MaxLengthFromConfig("RESPONSE_BODY_MAX"),
        ],
    )
    department = StringField(
        _l("Signed by (department)"),
        filters=_STRIP,
        validators=[
            DataRequired(
                message=_l(
                    "Say which department signs the response, "
                    "e.g. Department of Health."
                )
            ),
            PlainText(),
            MaxLengthFromConfig("RESPONSE_DEPARTMENT_MAX"),
        ],
    )

    def set_targets(self, targets) -> None:
        """Offer these statuses (values), with a first empty choice to pick from."""
        self.status.choices = [SelectChoice("", _("Choose…"))] + [
            SelectChoice(target, menu_label(target)) for target in targets
        ]

    def validate_body(self, field) -> None:
        if field.data:
            return
        if self.status.data == IdeaStatus.DECLINED.value:
            raise ValidationError(
                _(
                    "Give the public reason for declining: it is shown on the "
                    "idea's page and sent to its author and supporters."
                )
            )
        raise ValidationError(_("Write the public response."))


class CorrectionForm(FlaskForm):
    """The corrected wording of a published response, and its department."""

    body = TextAreaField(
        _l("Public response"),
        filters=_STRIP,
        validators=[
            DataRequired(message=_l("Write the public response.")),
            PlainText(multiline=True),
            MaxLengthFromConfig("RESPONSE_BODY_MAX"),
        ],
    )
    department = ResponseForm.department


class GroupResponseForm(ResponseForm):
    """A response to several ideas: the ticked ones (the view sets the choices)."""

    # An idea ticked on the page that has left the group since is left out.
    ideas = SelectMultipleField(
        _l("Ideas to respond to"), coerce=int, validate_choice=False
    )

    def validate_ideas(self, field) -> None:
        offered = {choice.value for choice in field.choices or []}
        field.data = [idea_id for idea_id in field.data or [] if idea_id in offered]
        if not field.data:
            raise ValidationError(_("Tick at least one idea to respond to."))
