"""Where every published data file lives. Like page URLs these paths are permalinks: readers script against
them, so they never change once published. Entry point: `downloads()`, the list the data page and the JSON-LD
`Dataset` describe.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..corpus import Corpus
from ..model import Series

from ..render.urls import (CALENDAR, CORPUS_JSON, CORPUS_SCHEMA, EVENTS_CSV, FEED, SERIES_CSV, TIMELINE_JSON,
                           feed_of, series_csv)

__all__ = ["CALENDAR", "CORPUS_JSON", "CORPUS_SCHEMA", "EVENTS_CSV", "FEED", "FEED_ENTRIES", "SERIES_CSV",
           "TIMELINE_JSON", "Download", "downloads", "feed_of", "series_csv"]

# How many events each Atom feed carries: those most recently added or corrected. Feed readers poll feeds and keep
# what they have seen, so a feed needs only its newest entries; every event is in the JSON and CSV downloads.
# The data page says this number in words (templates/data.md.j2); a test keeps the two the same.
FEED_ENTRIES = 50


@dataclass(frozen=True)
class Download:
    """One file a reader can take: its path in the site, media type, name and what it holds."""

    path: str
    media_type: str
    name: str
    description: str


def downloads(corpus: Corpus) -> list[Download]:
    """The corpus-wide files, then one CSV per series (in the corpus's series order)."""
    found = [
        Download(CORPUS_JSON, "application/json", "The whole record (JSON)",
                 "Every record with its sources, and every series value, as one JSON document."),
        Download(CORPUS_SCHEMA, "application/schema+json", "JSON Schema of the record",
                 "What each field of dyad.json means (JSON Schema 2020-12)."),
        Download(EVENTS_CSV, "text/csv", "Events (CSV)", "One row per event, with its tracks and source ids."),
        Download(SERIES_CSV, "text/csv", "Every series value (CSV, long form)",
                 "One row per value: series, period, reporter, partner, flow, value, unit, source ids."),
        Download(TIMELINE_JSON, "application/json", "Timeline (TimelineJS 3 JSON)",
                 "Every event as a TimelineJS 3 slide, for embedding or re-use."),
        Download(FEED, "application/atom+xml", "Newest events (Atom feed)",
                 f"The {FEED_ENTRIES} events most recently added or corrected."),
        Download(CALENDAR, "text/calendar", "Scheduled events and deadlines (iCalendar)",
                 "Upcoming meetings and commitment deadlines, to subscribe to in a calendar."),
    ]
    for series in corpus.of_kind(Series):
        found.append(Download(series_csv(series.id), "text/csv", f"{series.title} (CSV)",
                              f"{series.title}, in {series.unit}, one row per value."))
    return found
