"""Forms of the shortlist board: its filters, a private note, the decision."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, ValidationError

from ideation.responses.queries import status_label, theme_of_question
from ideation.shared.forms import (
    MaxLengthFromConfig,
    PlainText,
    strip_outer_whitespace,
)
from ideation.shared.web import ID_MAX
from ideation.shortlist.queries import (
    DEFAULT_SORT,
    LISTED_STATUSES,
    SORTS,
    BoardFilters,
)

_STRIP = [strip_outer_whitespace]


class BoardFilterForm(FlaskForm):
    """The board's filters, read from the query string (a GET form: no CSRF).

    A value that makes no sense is reported on its field and left out of the
    filtering, so the board still shows something.
    """

    class Meta:
        csrf = False

    q = StringField(
        _l("Search in titles and descriptions"),
        filters=_STRIP,
        validators=[PlainText()],
    )
    status = SelectField(_l("Status"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    min_supports = StringField(
        _l("At least this many supports"), filters=_STRIP, validators=[PlainText()]
    )
    shortlisted = BooleanField(_l("Only the shortlist"))
    sort = SelectField(_l("Order"), validate_choice=False)

    def __init__(self, question, themes, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.status.choices = [SelectChoice("", _("Any status"))] + [
            SelectChoice(status, status_label(status)) for status in LISTED_STATUSES
        ]
        self.theme.choices = [SelectChoice("", _("Any theme"))] + [
            SelectChoice(str(theme.id), _theme_name(theme)) for theme in themes
        ]
        self.sort.choices = [
            SelectChoice(key, str(label)) for key, label in SORTS.items()
        ]

    def validate_min_supports(self, field) -> None:
        if field.data and not (field.data.isdigit() and field.data.isascii()):
            raise ValidationError(_("Enter a whole number, 0 or more."))

    def validate_theme(self, field) -> None:
        offered = {choice.value for choice in self.theme.choices}
        if field.data and field.data not in offered:
            raise ValidationError(
                _(
                    "That theme no longer exists: themes are recomputed as new "
                    "ideas arrive. Showing every theme."
                )
            )

    def filters(self) -> BoardFilters:
        """The filters to apply: the valid ones (call validate() first)."""
        theme = None
        if self.theme.data and not self.theme.errors:
            theme = theme_of_question(self.question, int(self.theme.data))
        min_supports = None
        if self.min_supports.data and not self.min_supports.errors:
            # More than any count can be: the same as the largest.
            min_supports = min(int(self.min_supports.data), ID_MAX)
        status = self.status.data if self.status.data in LISTED_STATUSES else None
        sort = self.sort.data if self.sort.data in SORTS else DEFAULT_SORT
        return BoardFilters(
            status=status,
            theme=theme,
            min_supports=min_supports,
            shortlisted=bool(self.shortlisted.data),
            text="" if self.q.errors else self.q.data or "",
            sort=sort,
        )


def _theme_name(theme) -> str:
    if theme.keywords:
        return ", ".join(theme.keywords)
    return _("Theme %(number)d", number=theme.number + 1)


class NoteForm(FlaskForm):
    """The private note on a shortlisted idea."""

    note = TextAreaField(
        _l("Private note (officials only)"),
        filters=_STRIP,
        validators=[
            PlainText(multiline=True),
            MaxLengthFromConfig("SHORTLIST_NOTE_MAX"),
        ],
    )


class DecisionForm(FlaskForm):
    """The governor's office's decision: the chosen ideas, why, and maybe their
    public move to "selected"."""

    ideas = SelectMultipleField(_l("Ideas chosen"), coerce=int, validate_choice=False)
    reason = TextAreaField(
        _l("Why these ideas (kept with the decision)"),
        filters=_STRIP,
        validators=[
            DataRequired(
                message=_l(
                    "Say why these ideas were chosen: the reason is kept with the "
                    "decision."
                )
            ),
            PlainText(multiline=True),
            MaxLengthFromConfig("DECISION_REASON_MAX"),
        ],
    )
    select = BooleanField(
        _l("Also mark the chosen ideas as selected, with this public response")
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
        validators=[PlainText(), MaxLengthFromConfig("RESPONSE_DEPARTMENT_MAX")],
    )

    def validate_ideas(self, field) -> None:
        offered = {choice.value for choice in field.choices or []}
        field.data = [idea_id for idea_id in field.data or [] if idea_id in offered]
        if not field.data:
            raise ValidationError(_("Tick the ideas the decision chooses."))

    def validate_body(self, field) -> None:
        if self.select.data and not field.data:
            raise ValidationError(
                _("Write the public response the chosen ideas will show.")
            )

    def validate_department(self, field) -> None:
        if self.select.data and not field.data:
            raise ValidationError(
                _("Say which department signs the response, e.g. Department of Health.")
            )
