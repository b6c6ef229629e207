"""The calendar file: RFC 5545 escaping, folding at 75 octets, CRLF, UTC times."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ideation.sessions.ics import CalendarEvent, calendar

START = datetime(2026, 4, 3, 17, 0, tzinfo=UTC)


def event(**overrides) -> CalendarEvent:
    values = {
        "uid": "design-session-7@participa.example.gov.br",
        "stamp": datetime(2026, 3, 1, 9, 30, 5, tzinfo=UTC),
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "summary": "Evening clinics",
    }
    values.update(overrides)
    return CalendarEvent(**values)


def unfold(text: str) -> list[str]:
    """Content lines as a reader sees them (RFC 5545, 3.1)."""
    return text.replace("\r\n ", "").split("\r\n")


def prop(text: str, name: str) -> str:
    [value] = [line for line in unfold(text) if line.startswith(name + ":")]
    return value[len(name) + 1 :]


def physical_lines(text: str, name: str) -> list[str]:
    """The lines one property takes in the file, as folded."""
    lines = text.split("\r\n")
    start = next(n for n, line in enumerate(lines) if line.startswith(name + ":"))
    end = next(n for n in range(start + 1, len(lines)) if lines[n][:1] != " ")
    return lines[start:end]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a;b,c", "a\\;b\\,c"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two\\nlines"),
        ("windows\r\nbreak", "windows\\nbreak"),
        ("old mac\rbreak", "old mac\\nbreak"),
        ("\\;", "\\\\\\;"),  # the backslash first, so the semicolon's is not doubled
    ],
)
def test_text_is_escaped(raw, escaped):
    assert prop(calendar(event(summary=raw)), "SUMMARY") == escaped


def test_times_are_utc_z_form():
    sao_paulo = timezone(timedelta(hours=-3))
    start = datetime(2026, 4, 3, 14, 0, tzinfo=sao_paulo)
    text = calendar(event(starts_at=start, ends_at=start + timedelta(hours=2)))
    assert prop(text, "DTSTART") == "20260403T170000Z"
    assert prop(text, "DTEND") == "20260403T190000Z"
    with pytest.raises(ValueError):
        calendar(event(starts_at=datetime(2026, 4, 3, 14, 0)))


def test_short_lines_are_not_folded():
    lines = calendar(event(summary="short", description="X" * 62)).split("\r\n")
    assert "SUMMARY:short" in lines
    assert "DESCRIPTION:" + "X" * 62 in lines  # 74 octets


def test_long_lines_fold_at_75_octets_and_unfold_back():
    description = "abcdefghij" * 30
    text = calendar(event(description=description))
    parts = physical_lines(text, "DESCRIPTION")
    assert len(parts) == 5
    assert all(part.startswith(" ") for part in parts[1:])
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(len(part.encode()) >= 74 for part in parts[:-1])  # folded when full
    assert prop(text, "DESCRIPTION") == description


def test_folding_never_splits_a_character():
    summary = "ação " * 40 + "🙂" * 30
    text = calendar(event(summary=summary))
    for part in text.split("\r\n"):
        encoded = part.encode("utf-8")
        assert len(encoded) <= 75
        encoded.decode("utf-8")  # each line is valid UTF-8 by itself
    assert prop(text, "SUMMARY") == summary


def test_calendar_structure_and_crlf():
    text = calendar(event(description="Agenda", location="Sala 3"))
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # no bare LF
    lines = unfold(text)[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and "BEGIN:VEVENT" in lines and "END:VEVENT" in lines
    assert prop(text, "UID") == "design-session-7@participa.example.gov.br"
    assert prop(text, "DTSTAMP") == "20260301T093005Z"
    assert prop(text, "DTSTART") == "20260403T170000Z"
    assert prop(text, "DTEND") == "20260403T190000Z"
    assert prop(text, "STATUS") == "CONFIRMED"
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_values_are_escaped_and_urls_are_not():
    text = calendar(
        event(
            summary="Clinics; evenings, weekends",
            description="1. Welcome\n2. Sketch, vote; decide \\ done",
            location="Palácio Piratini, Sala 3",
            url="https://meet.example.org/a,b;c?x=1&y=2",
        )
    )
    assert prop(text, "SUMMARY") == "Clinics\\; evenings\\, weekends"
    assert prop(text, "DESCRIPTION") == (
        "1. Welcome\\n2. Sketch\\, vote\\; decide \\\\ done"
    )
    assert prop(text, "LOCATION") == "Palácio Piratini\\, Sala 3"
    assert prop(text, "URL") == "https://meet.example.org/a,b;c?x=1&y=2"


def test_a_line_break_in_a_url_cannot_inject_a_property():
    text = calendar(event(url="https://example.org/\r\nATTENDEE:evil"))
    assert "ATTENDEE" not in [line.split(":")[0] for line in unfold(text)]


def test_optional_properties_are_left_out_and_cancelled_says_so():
    text = calendar(event(cancelled=True))
    names = [line.split(":")[0] for line in unfold(text)]
    assert "LOCATION" not in names and "URL" not in names
    assert "DESCRIPTION" not in names
    assert prop(text, "STATUS") == "CANCELLED"


# Line boundaries for str.splitlines() (and so for many readers), and controls.
LINE_BREAKS = ["\u2028", "\u2029", "\x85", "\v", "\f", "\x1c", "\x1d", "\x1e"]
CONTROLS = ["\x00", "\x07", "\x08", "\x0e", "\x1b", "\x1f", "\x7f", "\x80", "\x9b"]


def every_text(char: str) -> CalendarEvent:
    return event(
        uid=f"design{char}session@example.org",
        summary=f"Evening{char}clinics",
        description=f"Agenda{char}Vote",
        location=f"Sala 3{char}Piratini",
        url=f"https://meet.example.org/{char}clinics",
    )


@pytest.mark.parametrize("char", LINE_BREAKS)
def test_unicode_line_breaks_become_escaped_line_breaks(char):
    text = calendar(every_text(char))
    assert text.splitlines() == text.split("\r\n")[:-1]  # no other line boundary
    assert prop(text, "UID") == "design\\nsession@example.org"
    assert prop(text, "SUMMARY") == "Evening\\nclinics"
    assert prop(text, "DESCRIPTION") == "Agenda\\nVote"
    assert prop(text, "LOCATION") == "Sala 3\\nPiratini"
    assert prop(text, "URL") == "https://meet.example.org/clinics"


@pytest.mark.parametrize("char", CONTROLS)
def test_control_characters_are_removed(char):
    text = calendar(every_text(char))
    assert char not in text
    assert prop(text, "UID") == "designsession@example.org"
    assert prop(text, "SUMMARY") == "Eveningclinics"
    assert prop(text, "DESCRIPTION") == "AgendaVote"
    assert prop(text, "LOCATION") == "Sala 3Piratini"
    assert prop(text, "URL") == "https://meet.example.org/clinics"


def test_a_tab_stays_in_text_but_not_in_a_url():
    text = calendar(every_text("\t"))
    assert prop(text, "SUMMARY") == "Evening\tclinics"
    assert prop(text, "URL") == "https://meet.example.org/clinics"
