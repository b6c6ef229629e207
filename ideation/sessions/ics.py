"""A calendar file (RFC 5545) for one design session, written by hand: it is small.

Text values are escaped (backslash, semicolon, comma, newline), every content line
is folded at 75 octets without splitting a UTF-8 character, and lines end in CRLF.
Times are written in UTC ("Z" form), so no VTIMEZONE is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

LINE_OCTETS = 75
CRLF = "\r\n"
PRODID = "-//The Governor Asks//Design sessions//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """What the calendar file says about a session."""

    uid: str
    stamp: datetime
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str | None = None
    url: str | None = None
    cancelled: bool = False


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): \\ ; , escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form: 20260403T140000Z."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the calendar")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets (RFC 5545, 3.1).

    Continuation lines begin with a space, which counts towards their 75 octets.
    """
    pieces: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _clean_uri(value: str) -> str:
    # A URI is not a TEXT value (no escaping), but must stay on its content line.
    return "".join(char for char in value if char not in "\r\n")


def calendar(event: CalendarEvent) -> str:
    """The VCALENDAR with one VEVENT, CRLF line endings, folded lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{_clean_uri(event.url)}")
    lines.append(f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
