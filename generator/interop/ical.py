"""`/calendar.ics` (RFC 5545): scheduled events and commitment deadlines, for readers to subscribe to.

Events that are `scheduled` (and `cancelled` ones not yet past, marked CANCELLED so subscribed calendars drop
them) become all-day entries spanning their date at its precision: a day, a whole month or a whole year, marked
TENTATIVE when the day is not known. Open commitments with a target become all-day deadlines on the last day the
target allows (`2030` → 31 December 2030). UIDs are permanent; DTSTAMP comes from the content, never the clock.
Text is escaped (backslash, semicolon, comma, newline) and lines are folded at 75 octets. Entry point:
`calendar()`.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from ..corpus import Corpus
from ..model import Citation, Commitment, Event, PartialDate, Source, ends_before
from ..render import urls
from .textutil import absolute, clean
from .updated import content_updated

OPEN_STATUSES = ("announced", "in-progress", "stalled")
PRODID = "-//Dyad//Dyad static site generator//EN"


def escape_text(text: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    text = clean(text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets, never inside a UTF-8 character, CRLF-ended."""
    pieces: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces) + "\r\n"


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _stamp(day: dt.date) -> str:
    return day.strftime("%Y%m%dT000000Z")


def _host(site_url: str, corpus: Corpus) -> str:
    host = urlsplit(site_url).hostname if site_url else None
    return host or f"{'-'.join(corpus.config.focus)}.dyad.invalid"


def _sources_text(corpus: Corpus, citations: tuple[Citation, ...]) -> str:
    found = [corpus.get(c.id) for c in citations]
    return "; ".join(f"{s.publisher}, {s.title} <{s.url}>" for s in found if isinstance(s, Source))


def _precision_note(date: PartialDate) -> str:
    return {"year": f"Date known only to the year: {date.human()}.",
            "month": f"Date known only to the month: {date.human()}.", "day": ""}[date.precision]


def _event_lines(corpus: Corpus, event: Event, site_url: str) -> list[str]:
    page = absolute(site_url, urls.record_url(event)) if site_url else ""
    start, last = event.date.earliest(), event.span_end.latest()
    exact = event.date.precision == "day" and event.span_end.precision == "day"
    status = "CANCELLED" if event.status == "cancelled" else "CONFIRMED" if exact else "TENTATIVE"
    tracks = corpus.tracks
    description = "\n\n".join(part for part in (
        event.summary, _precision_note(event.date), f"Sources: {_sources_text(corpus, event.sources)}", page) if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.id}@{_host(site_url, corpus)}",
        f"DTSTAMP:{_stamp(content_updated(corpus, event))}",
        f"DTSTART;VALUE=DATE:{_date(start)}",
        f"DTEND;VALUE=DATE:{_date(last + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(description)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.tracks:
        names = (tracks[t].title if t in tracks else t for t in event.tracks)
        lines.append("CATEGORIES:" + ",".join(escape_text(name) for name in names))
    lines.append(f"STATUS:{status}")
    lines.append("TRANSP:TRANSPARENT")
    if page:
        lines.append(f"URL:{clean(page)}")
    lines.append("END:VEVENT")
    return lines


def _commitment_lines(corpus: Corpus, commitment: Commitment, site_url: str) -> list[str]:
    assert commitment.target is not None
    page = absolute(site_url, urls.record_url(commitment)) if site_url else ""
    due = commitment.target.latest()
    current = commitment.current_status
    description = "\n\n".join(part for part in (
        commitment.summary,
        f"Target: {commitment.target.human()} (due by {PartialDate(due.year, due.month, due.day).human()}). Status: "
        f"{current.status.replace('-', ' ')} since {current.date.human()}.",
        f"Sources: {_sources_text(corpus, commitment.sources)}", page) if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:commitment-{commitment.id}@{_host(site_url, corpus)}",
        f"DTSTAMP:{_stamp(content_updated(corpus, commitment))}",
        f"DTSTART;VALUE=DATE:{_date(due)}",
        f"DTEND;VALUE=DATE:{_date(due + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text('Due: ' + commitment.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        "CATEGORIES:" + escape_text("Commitment deadline"),
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
    ]
    if page:
        lines.append(f"URL:{clean(page)}")
    lines.append("END:VEVENT")
    return lines


def calendar_entries(corpus: Corpus) -> tuple[list[Event], list[Commitment]]:
    """What the calendar holds: scheduled events, cancelled ones not yet past, open commitments with a target."""
    as_of = corpus.config.as_of
    events = [e for e in corpus.events if e.status == "scheduled"
              or (e.status == "cancelled" and not ends_before(e.span_end, as_of))]
    commitments = [c for c in corpus.of_kind(Commitment)
                   if c.target is not None and c.current_status.status in OPEN_STATUSES]
    return events, sorted(commitments, key=lambda c: (c.target.sort_key() if c.target else (0, 0, 0), c.id))


def calendar(corpus: Corpus, site_url: str) -> str:
    """The whole VCALENDAR text, CRLF line ends."""
    events, commitments = calendar_entries(corpus)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(corpus.config.title)}",
             f"X-WR-CALDESC:{escape_text('Scheduled events and commitment deadlines in the record.')}"]
    for event in events:
        lines.extend(_event_lines(corpus, event, site_url))
    for commitment in commitments:
        lines.extend(_commitment_lines(corpus, commitment, site_url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
