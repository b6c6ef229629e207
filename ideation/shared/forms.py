"""Form helpers shared by every feature."""

import unicodedata
from datetime import date, datetime

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from ideation.shared.errors import DomainError


class ActionForm(FlaskForm):
    """An empty form: a POST-only button (support, publish, withdraw) with CSRF."""


def strip_outer_whitespace(value: str | None) -> str | None:
    """Trim leading and trailing whitespace only; the inside stays as typed."""
    return value.strip() if isinstance(value, str) else value


# Never in a text: control characters (C0, DEL, C1, among them U+0085 NEXT LINE),
# the line and paragraph separators U+2028 and U+2029, and lone surrogates.
# PostgreSQL refuses NUL; the others show as nothing on a page, and break the
# one-line places a text ends up in (e-mail subjects, calendar files).
_CONTROL = frozenset({"Cc", "Cs", "Zl", "Zp"})
# Characters that show nothing on their own: spaces, controls, format characters
# (zero-width space and joiners, the byte-order mark, soft hyphen), lone combining
# marks, and the letters and symbols that are drawn blank.
_INVISIBLE = _CONTROL | {"Zs", "Cf", "Mn", "Me"}
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# What a multi-line text may hold besides printable characters (browsers send
# line breaks as CR LF).
_MULTILINE_CONTROLS = frozenset("\n\r\t")


def _code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def text_problem(text: str, multiline: bool = False) -> str | None:
    """Why `text` cannot be kept as typed (translated), or None when it can.

    A one-line text (a title, a name, an address, a search) takes no control
    character and no line break; a multi-line text takes line breaks and tabs, and
    no other control character. Neither may be made only of invisible characters.
    """
    allowed = _MULTILINE_CONTROLS if multiline else frozenset()
    for position, character in enumerate(text, start=1):
        if character in allowed:
            if character != "\r" or text[position : position + 1] == "\n":
                continue
        elif unicodedata.category(character) not in _CONTROL:
            continue
        if multiline:
            return _(
                "Remove the invisible control character %(code)s (character "
                "%(position)d): only line breaks and tabs can be kept.",
                code=_code_point(character),
                position=position,
            )
        return _(
            "Write this on one line, without line breaks or invisible control "
            "characters (%(code)s at character %(position)d).",
            code=_code_point(character),
            position=position,
        )
    if text and all(_is_invisible(character) for character in text):
        return _(
            "Write something that can be seen: this has only spaces or invisible "
            "characters."
        )
    return None


def _is_invisible(character: str) -> bool:
    return (
        character in _BLANK_LETTERS
        or unicodedata.category(character) in _INVISIBLE
        or character.isspace()
    )


class PlainText:
    """Validator of every text field: only characters people can read.

    One line (`multiline=False`: titles, names, addresses, searches) or several
    (`multiline=True`: descriptions, notes); see `text_problem`.
    """

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str):
            problem = text_problem(field.data, self.multiline)
            if problem:
                raise ValidationError(problem)


# Dates typed in forms: far enough for any plan or record, near enough that moving
# them between time zones, or a day on, stays within the years Python holds (1-9999).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


class DateInRange:
    """Validator of every date and date-time field: between EARLIEST_DATE and
    LATEST_DATE, both included."""

    def __call__(self, form, field) -> None:
        value = field.data
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(
                _(
                    "Enter a date between %(first)s and %(last)s.",
                    first=format_date(EARLIEST_DATE),
                    last=format_date(LATEST_DATE),
                )
            )


class MaxLengthFromConfig:
    """At most `config[key]` characters, read per request so tests can change it."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, form, field) -> None:
        limit = current_app.config[self.key]
        if field.data and len(field.data) > limit:
            raise ValidationError(
                _(
                    "Use at most %(max)d characters (you typed %(length)d).",
                    max=limit,
                    length=len(field.data),
                )
            )


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Show an operation's refusal on the field it concerns, else above the form."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        form.form_errors.append(str(error))
