"""Forms of The Governor Responds: a citizen's question, an official's answer."""

import re

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from ideation.governor.video import Video, VideoLinkError, parse_video_url
from ideation.measures.operations import MeasureAnnouncement
from ideation.shared.forms import (
    DateInRange,
    MaxLengthFromConfig,
    PlainText,
    strip_outer_whitespace,
)
from ideation.shared.i18n import local_today
from ideation.shared.web import as_id

_STRIP = [strip_outer_whitespace]


class AskForm(FlaskForm):
    """A citizen's question to the governor, as plain text."""

    title = StringField(
        _l("Your question"),
        filters=_STRIP,
        validators=[
            DataRequired(message=_l("Write your question in one sentence.")),
            PlainText(),
            MaxLengthFromConfig("GOVERNOR_QUESTION_TITLE_MAX"),
        ],
    )
    body = TextAreaField(
        _l("Details"),
        filters=_STRIP,
        validators=[
            DataRequired(
                message=_l("Explain your question: what happened, what you need.")
            ),
            PlainText(multiline=True),
            MaxLengthFromConfig("GOVERNOR_QUESTION_BODY_MAX"),
        ],
    )
    submit = SubmitField(_l("Send the question"))


def video_link_message(reason: str) -> str:
    """Why a video link was refused, for the official who pasted it."""
    if reason == "host":
        return _(
            "Only YouTube and Vimeo videos can be shown. Paste the address of the "
            "video's page, e.g. https://www.youtube.com/watch?v=… or "
            "https://vimeo.com/…"
        )
    if reason == "video":
        return _(
            "This link does not point to a single video. Paste the address of the "
            "video's page or its Share link."
        )
    return _("This is not a web address. Paste a link starting with https://")


class AnswerForm(FlaskForm):
    """An official's answer: Markdown, the signing department, a video, a measure."""

    body = TextAreaField(
        _l("Answer"),
        filters=_STRIP,
        validators=[
            DataRequired(message=_l("Write the answer.")),
            PlainText(multiline=True),
            MaxLengthFromConfig("GOVERNOR_ANSWER_MAX"),
        ],
    )
    department = StringField(
        _l("Signed by (department)"),
        filters=_STRIP,
        validators=[
            DataRequired(
                message=_l(
                    "Say which department signs the answer, "
                    "e.g. Office of the Governor."
                )
            ),
            PlainText(),
            MaxLengthFromConfig("GOVERNOR_DEPARTMENT_MAX"),
        ],
    )
    video_url = StringField(
        _l("Video link (optional)"), filters=_STRIP, validators=[PlainText()]
    )
    transcript = TextAreaField(
        _l("Transcript of the video"),
        filters=_STRIP,
        validators=[
            PlainText(multiline=True),
            MaxLengthFromConfig("GOVERNOR_TRANSCRIPT_MAX"),
        ],
    )
    measure_title = StringField(
        _l("Measure"),
        filters=_STRIP,
        validators=[PlainText(), MaxLengthFromConfig("MEASURE_TITLE_MAX")],
    )
    measure_description = TextAreaField(
        _l("What the measure will do"),
        filters=_STRIP,
        validators=[
            PlainText(multiline=True),
            MaxLengthFromConfig("MEASURE_DESCRIPTION_MAX"),
        ],
    )
    measure_target_date = DateField(
        _l("Target date"), validators=[Optional(), DateInRange()]
    )
    submit = SubmitField(_l("Publish the answer"))

    # The parsed link, set by validation: what the answer stores and embeds.
    video: Video | None = None

    def validate_video_url(self, field) -> None:
        self.video = None
        if not field.data:
            return
        try:
            self.video = parse_video_url(
                field.data, current_app.config["VIDEO_EMBED_PROVIDERS"]
            )
        except VideoLinkError as error:
            raise ValidationError(video_link_message(error.reason)) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checks across fields, each message on the field to fix.
        if self.video_url.data and not self.transcript.data:
            self.transcript.errors.append(
                _(
                    "A video needs a transcript, for people who cannot watch or "
                    "hear it: write what is said in the video."
                )
            )
            valid = False
        return self._validate_measure() and valid

    @property
    def announces_measure(self) -> bool:
        """Whether any measure field was filled in (then all three are needed)."""
        typed_date = (self.measure_target_date.raw_data or [""])[0].strip()
        return bool(
            self.measure_title.data or self.measure_description.data or typed_date
        )

    def announcement(self) -> MeasureAnnouncement | None:
        """The measure the answer announces, once validated; None if none."""
        if not self.announces_measure:
            return None
        return MeasureAnnouncement(
            self.measure_title.data,
            self.measure_description.data,
            self.measure_target_date.data,
            # The department that signs the answer is the one that answers for it.
            department=self.department.data or None,
        )

    def _validate_measure(self) -> bool:
        if not self.announces_measure:
            return True
        if not self.measure_title.data:
            self.measure_title.errors.append(
                _("Give the measure a title, or empty the other measure fields.")
            )
        if not self.measure_description.data:
            self.measure_description.errors.append(_("Say what the measure will do."))
        target = self.measure_target_date
        if target.data is None and not target.errors:
            target.errors.append(_("Give the date by which the measure is due."))
        elif target.data is not None and target.data <= local_today():
            target.errors.append(
                _("The target date must be in the future (after today).")
            )
        return not any(
            field.errors
            for field in (self.measure_title, self.measure_description, target)
        )


CLOSING_CHOICES = {
    "decline": _l("Decline: it will not be answered"),
    "merge": _l("Merge: another question asks the same"),
}
# "12", "#12", or the question's address ending in /governor/questions/12.
_QUESTION_NUMBER = re.compile(r"#?(\d+)/?$")


class CloseForm(FlaskForm):
    """An official closes a question: declined, or merged into another; a reason."""

    action = RadioField(
        _l("How to close it"),
        choices=[
            SelectChoice(value, label) for value, label in CLOSING_CHOICES.items()
        ],
        validators=[InputRequired(message=_l("Choose to decline or to merge."))],
    )
    target = StringField(
        _l("The question it repeats (for a merge)"),
        filters=_STRIP,
        validators=[PlainText()],
    )
    reason = TextAreaField(
        _l("Public reason"),
        filters=_STRIP,
        validators=[
            DataRequired(
                message=_l(
                    "Give the public reason: it is shown on the question's page "
                    "and sent to the asker and the supporters."
                )
            ),
            PlainText(multiline=True),
            MaxLengthFromConfig("GOVERNOR_CLOSING_REASON_MAX"),
        ],
    )
    submit = SubmitField(_l("Close the question"))

    # The number of the question to merge into, set by validation.
    target_id: int | None = None

    def validate_target(self, field) -> None:
        self.target_id = None
        if self.action.data != "merge":
            return
        found = _QUESTION_NUMBER.search(field.data or "")
        self.target_id = as_id(found.group(1)) if found else None
        if self.target_id is None:
            raise ValidationError(
                _(
                    "Give the number of the question it repeats, or paste its "
                    "address (it ends in /governor/questions/ and the number)."
                )
            )
