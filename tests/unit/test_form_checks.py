"""The shared checks of typed text and dates (shared/forms.py: PlainText,
DateInRange), on every field of their kind."""

import importlib
import inspect
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

import ideation
from ideation.shared.forms import DateInRange, PlainText, text_problem
from ideation.shared.text import one_line


@pytest.mark.parametrize(
    "text",
    [
        "Evening clinics",
        "Saúde já: ação, niño",
        "e\u0301",  # e and a combining acute accent
        "👍 more buses",
        "عيادات مسائية",
        "Zero\u200bwidth inside a word",
    ],
)
def test_readable_one_line_texts_pass(app, text):
    assert text_problem(text) is None


@pytest.mark.parametrize(
    "text, code",
    [
        ("NUL\x00byte", "U+0000"),
        ("line\nbreak", "U+000A"),
        ("tab\there", "U+0009"),
        ("vertical\x0btab", "U+000B"),
        ("next\x85line", "U+0085"),
        ("line\u2028separator", "U+2028"),
        ("paragraph\u2029separator", "U+2029"),
        ("escape\x1b[31m", "U+001B"),
    ],
)
def test_one_line_texts_refuse_control_characters_and_line_breaks(app, text, code):
    problem = text_problem(text)
    assert problem is not None and code in problem


@pytest.mark.parametrize("text", ["two\nlines", "two\r\nlines", "a\ttable"])
def test_multi_line_texts_keep_line_breaks_and_tabs(app, text):
    assert text_problem(text, multiline=True) is None


@pytest.mark.parametrize(
    "text", ["NUL\x00", "bare\rreturn", "next\x85line", "line\u2028separator"]
)
def test_multi_line_texts_refuse_other_control_characters(app, text):
    assert text_problem(text, multiline=True) is not None


@pytest.mark.parametrize(
    "text",
    [
        "\u200b\u200b\u200b",  # zero-width spaces
        "\u200d\u200c\ufeff\u2060",  # joiners, byte-order mark, word joiner
        "\u00ad",  # soft hyphen
        "\u3164\u115f",  # Hangul fillers, letters drawn blank
        "\u2800",  # braille blank
        "\u3000\u00a0",  # ideographic and no-break spaces
        "\u0301\u0301",  # combining marks with nothing to combine with
    ],
)
def test_only_invisible_characters_are_refused(app, text):
    assert "can be seen" in text_problem(text)
    assert "can be seen" in text_problem(text, multiline=True)


def test_one_line_joins_every_kind_of_line_break():
    assert one_line(" a\u2028b\x85c\r\nd\x0be\x00f\tg ") == "a b c d e f g"


def _form_classes() -> list[type]:
    for module in pkgutil.walk_packages(ideation.__path__, "ideation."):
        if module.name.rpartition(".")[2].endswith("forms"):
            importlib.import_module(module.name)
    found, todo = set(), [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("ideation.") and sub not in found:
                found.add(sub)
                todo.append(sub)
    assert len(found) > 25
    return sorted(found, key=lambda cls: cls.__qualname__)


def _fields(form_class, kinds):
    for name, value in inspect.getmembers(form_class):
        if isinstance(value, UnboundField) and issubclass(value.field_class, kinds):
            if not issubclass(value.field_class, PasswordField):
                yield name, value


def _validators(field) -> list:
    return field.kwargs.get("validators") or (
        field.args[1] if len(field.args) > 1 else []
    )


def test_every_text_field_of_every_form_checks_its_characters():
    unchecked, wrong_kind = [], []
    for form_class in _form_classes():
        for name, field in _fields(form_class, StringField):
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            checks = [v for v in _validators(field) if isinstance(v, PlainText)]
            if not checks:
                unchecked.append(where)
            elif checks[0].multiline != issubclass(field.field_class, TextAreaField):
                wrong_kind.append(where)
    assert unchecked == []
    assert wrong_kind == []


def test_every_date_field_of_every_form_checks_its_range():
    unchecked = [
        f"{form_class.__qualname__}.{name}"
        for form_class in _form_classes()
        for name, field in _fields(form_class, (DateField, DateTimeField))
        if not any(isinstance(v, DateInRange) for v in _validators(field))
    ]
    assert unchecked == []
