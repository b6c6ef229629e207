"""A calendar file (RFC 5545) for one design session, written with icalendar.

icalendar escapes TEXT values (backslash, semicolon, comma, line breaks), folds
content lines at 75 octets without splitting a character, and ends lines in CRLF.
Times are written in UTC ("Z" form), so no VTIMEZONE is needed.

What icalendar passes through unchanged is cleaned here first: characters that some
readers take for the end of a line (U+2028, U+0085, VT, FF, ...) would let a value
spill onto a line of its own, and RFC 5545 allows no control character but HTAB.
(icalendar also reads a typed "\\N" as a line break, RFC 5545's escaped form.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event

PRODID = "-//The Governor Asks//Design sessions//EN"

# Every line boundary of str.splitlines(): readers split files in all these ways.
LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# The C0 and C1 controls and DEL. TEXT keeps HTAB, and LF (written escaped); a URI
# keeps neither.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
URI_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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


def calendar(event: CalendarEvent) -> str:
    """The VCALENDAR with one VEVENT, CRLF line endings, folded lines."""
    vcalendar = Calendar()
    vcalendar.add("prodid", PRODID)
    vcalendar.add("version", "2.0")
    vcalendar.add("calscale", "GREGORIAN")
    vcalendar.add("method", "PUBLISH")
    vevent = Event()
    vevent.add("uid", _text(event.uid))
    vevent.add("dtstamp", _utc(event.stamp))
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("summary", _text(event.summary))
    if event.description:
        vevent.add("description", _text(event.description))
    if event.location:
        vevent.add("location", _text(event.location))
    if event.url:
        vevent.add("url", _uri(event.url))
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vcalendar.add_component(vevent)
    return vcalendar.to_ical().decode("utf-8")


def _text(value: str) -> str:
    # Any line break becomes LF, which icalendar writes as the escaped "\n".
    return TEXT_CONTROL.sub("", LINE_BREAK.sub("\n", value))


def _uri(value: str) -> str:
    # A URI is not escaped: nothing may break its content line.
    return URI_CONTROL.sub("", LINE_BREAK.sub("", value))


def _utc(moment: datetime) -> datetime:
    # A naive time would be written "floating": the same clock time in every zone.
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the calendar")
    return moment.astimezone(UTC)
