"""Every user-visible string is translated in every shipped language."""

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "ideation" / "translations"
METHODS = [
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
]
KEYWORDS = {
    "_": None,
    "_l": None,
    "gettext": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT / "ideation"), METHODS, keywords=KEYWORDS
    ):
        found.add((message[0] if isinstance(message, tuple) else message, context))
    return found


@pytest.fixture(scope="module")
def source_messages():
    messages = _source_messages()
    assert len(messages) > 50  # the extractor found the app's strings
    return messages


@pytest.mark.parametrize("locale", ["pt_BR", "es", "en"])
def test_catalogue_is_complete(locale, source_messages):
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    catalogue = read_po(io.BytesIO(path.read_bytes()), locale=locale)
    missing = []
    for msgid, context in sorted(source_messages, key=lambda m: (m[0], m[1] or "")):
        entry = catalogue.get(msgid, context=context)
        if entry is None or entry.fuzzy:
            missing.append(msgid)
        elif locale != "en" and not (
            entry.string if isinstance(entry.string, str) else all(entry.string)
        ):
            missing.append(msgid)
    assert missing == [], f"{len(missing)} untranslated in {locale}: {missing[:10]}"
