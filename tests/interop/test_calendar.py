"""`/calendar.ics`: RFC 5545 that a real iCalendar parser reads back, with scheduled events and deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar

from generator.corpus import Corpus
from generator.interop.ical import calendar, escape_text, fold

from .conftest import SITE, resolved

EVENTS = {
    "events/2026-12-05-summit.yaml": (
        'title: "Summit; talks, and more \\\\ <b>"\ndate: 2026-12-05\nend: 2026-12-06\n'
        "summary: |\n  Leaders will meet.\n  A second line, with commas; and semicolons.\n"
        "tracks: [diplomacy, trade]\nstatus: scheduled\nlocation: New Delhi, India\nsources: [s1]\n"),
    "events/2027-visit.yaml": "title: A visit\ndate: 2027\nsummary: Some time in 2027.\ntracks: [diplomacy]\n"
                              "status: scheduled\nsources: [s1]\n",
    "events/2026-11-24-called-off.yaml": "title: Called off\ndate: 2026-11-24\nsummary: Cancelled.\n"
                                         "tracks: [trade]\nstatus: cancelled\nsources: [s1]\n",
    "events/2020-01-01-old-cancelled.yaml": "title: Old\ndate: 2020-01-01\nsummary: Cancelled long ago.\n"
                                            "tracks: [trade]\nstatus: cancelled\nsources: [s1]\n",
    "events/2025-01-01-made.yaml": "title: Made\ndate: 2025-01-01\nsummary: A promise was made.\ntracks: [trade]\n"
                                   "sources: [s1]\n",
    "commitments/open.yaml": "title: Open promise\nsummary: Promised.\nmade_on: 2025-01-01-made\ntarget: 2030\n"
                             "status:\n  - {date: 2025-01-01, status: announced, sources: [s1]}\nsources: [s1]\n",
    "commitments/done.yaml": "title: Done promise\nsummary: Promised.\nmade_on: 2025-01-01-made\ntarget: 2026\n"
                             "status:\n  - {date: 2025-01-01, status: delivered, sources: [s1]}\nsources: [s1]\n",
}


def vevents(text: str) -> dict[str, Any]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


def test_the_calendar_parses_and_holds_what_is_scheduled(make_content: Any) -> None:
    text = calendar(resolved(make_content(EVENTS)), SITE)
    found = vevents(text)
    assert sorted(found) == ["commitment-open@example.org", "event-2026-11-24-called-off@example.org",
                             "event-2026-12-05-summit@example.org", "event-2027-visit@example.org"]
    summit = found["event-2026-12-05-summit@example.org"]
    assert str(summit["SUMMARY"]) == "Summit; talks, and more \\ <b>"
    assert str(summit["DESCRIPTION"]).startswith("Leaders will meet.\nA second line, with commas; and semicolons.")
    assert str(summit["LOCATION"]) == "New Delhi, India"
    assert summit.decoded("DTSTART") == dt.date(2026, 12, 5) and summit.decoded("DTEND") == dt.date(2026, 12, 7)
    assert str(summit["STATUS"]) == "CONFIRMED" and str(summit["URL"]) == f"{SITE}events/2026-12-05-summit/"
    assert [str(c) for c in summit["CATEGORIES"].cats] == ["Diplomacy", "Trade"]
    visit = found["event-2027-visit@example.org"]  # a year: the whole year, tentative
    assert visit.decoded("DTSTART") == dt.date(2027, 1, 1) and visit.decoded("DTEND") == dt.date(2028, 1, 1)
    assert str(visit["STATUS"]) == "TENTATIVE" and "known only to the year" in str(visit["DESCRIPTION"])
    assert str(found["event-2026-11-24-called-off@example.org"]["STATUS"]) == "CANCELLED"
    deadline = found["commitment-open@example.org"]
    assert deadline.decoded("DTSTART") == dt.date(2030, 12, 31) and str(deadline["SUMMARY"]) == "Due: Open promise"


def test_lines_are_folded_crlf_and_stamped_from_content(mini: Corpus) -> None:
    text = calendar(mini, SITE)
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    talks = vevents(text)["event-2026-09-trade-talks@example.org"]
    assert talks.decoded("DTSTAMP") == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # the source's date
    assert talks.decoded("DTSTART") == dt.date(2026, 9, 1) and talks.decoded("DTEND") == dt.date(2026, 10, 1)
    assert calendar(mini, SITE) == text


def test_escaping_and_folding_follow_rfc_5545() -> None:
    assert escape_text("a\\b;c,d\r\ne\x0bf") == "a\\\\b\\;c\\,d\\ne" + "f"
    folded = fold("DESCRIPTION:" + "é" * 80)
    lines = folded.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines) and lines[1].startswith(" ")
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "DESCRIPTION:" + "é" * 80
