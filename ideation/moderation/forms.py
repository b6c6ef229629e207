"""Forms of moderation: a report, the moderators' decisions, the audit filters."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from ideation.moderation.models import FlagReason
from ideation.shared.forms import (
    MaxLengthFromConfig,
    PlainText,
    strip_outer_whitespace,
)

_STRIP = [strip_outer_whitespace]

REASON_LABELS = {
    FlagReason.SPAM.value: _l("Spam or advertising"),
    FlagReason.OFFENSIVE.value: _l("Offensive, abusive or hateful"),
    FlagReason.OFF_TOPIC.value: _l("Off-topic: not about this question"),
    FlagReason.OTHER.value: _l("Something else (say what below)"),
}


class FlagForm(FlaskForm):
    """A person's report of an idea or a question: why, and an optional note."""

    reason = RadioField(
        _l("Why should the moderators look at it?"),
        choices=[SelectChoice(value, label) for value, label in REASON_LABELS.items()],
        validators=[InputRequired(message=_l("Choose why you report it."))],
    )
    note = TextAreaField(
        _l("Note for the moderators (needed for “Something else”)"),
        filters=_STRIP,
        validators=[PlainText(multiline=True), MaxLengthFromConfig("FLAG_NOTE_MAX")],
    )

    def validate_note(self, field) -> None:
        if self.reason.data == FlagReason.OTHER.value and not field.data:
            raise ValidationError(
                _("Say in a few words what is wrong (needed for “Something else”).")
            )


def _reason_field(label, message=None):
    validators = [
        PlainText(multiline=True),
        MaxLengthFromConfig("MODERATION_REASON_MAX"),
    ]
    if message is not None:
        validators.insert(0, DataRequired(message=message))
    return TextAreaField(label, filters=_STRIP, validators=validators)


class HideForm(FlaskForm):
    reason = _reason_field(
        _l("Public reason, shown on its page"),
        _l("Give the public reason for hiding it."),
    )


class RestoreForm(FlaskForm):
    reason = _reason_field(
        _l("Public reason, sent to its author"),
        _l("Give the public reason for restoring it."),
    )


class DismissForm(FlaskForm):
    reason = _reason_field(_l("Note (optional, kept in the audit log)"))


class BlockForm(FlaskForm):
    reason = _reason_field(
        _l("Reason, shown to the person when they try to log in"),
        _l("Give a reason for blocking the account."),
    )
    hide_content = BooleanField(
        _l(
            "Also hide everything this account published, with this reason shown "
            "on each item's page (for spam)"
        )
    )


class UnblockForm(FlaskForm):
    reason = _reason_field(
        _l("Reason (kept in the audit log)"),
        _l("Give a reason for unblocking the account."),
    )


# The decisions on an item of the queue, by the last part of their URL.
ITEM_FORMS = {"hide": HideForm, "restore": RestoreForm, "dismiss": DismissForm}
ACCOUNT_FORMS = {"block": BlockForm, "unblock": UnblockForm}


def item_form(action: str, key: str, bind: bool = False) -> FlaskForm:
    """The `action` form of one queue item; the prefix keeps ids unique on the page."""
    kwargs = {} if bind else {"formdata": None}
    form = ITEM_FORMS[action](prefix=f"{action}-{key}", **kwargs)
    form.slot = f"{action}-{key}"
    return form


def account_form(action: str, user_id: int, bind: bool = False) -> FlaskForm:
    """The block or unblock form of one account row."""
    kwargs = {} if bind else {"formdata": None}
    form = ACCOUNT_FORMS[action](prefix=f"{action}-user-{user_id}", **kwargs)
    form.slot = f"{action}-user-{user_id}"
    return form
