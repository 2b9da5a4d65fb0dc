"""CSV downloads in long (tidy) form: `data/events.csv`, `data/series.csv` and `data/series/<id>.csv`.

One row per event or per value, one column per variable, so a spreadsheet or a data frame reads them without
reshaping. Lists inside a cell (tracks, source ids) are joined with ';'. Values keep their exact decimal text.
A text cell that starts with = + - @ is prefixed with an apostrophe, so a spreadsheet shows it instead of running
it as a formula. Entry point: `csv_files()`.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from ..corpus import Corpus, SeriesPoint
from ..model import Citation, Event, Series
from ..render.urls import record_url
from .downloads import EVENTS_CSV, SERIES_CSV, series_csv
from .factfile import decimal_text
from .textutil import absolute, clean

EVENT_COLUMNS = ("id", "date", "end", "precision", "title", "summary", "tracks", "status", "importance",
                 "confidence", "location", "actors", "sources", "url")
SERIES_COLUMNS = ("series", "period", "reporter", "partner", "flow", "value", "unit", "source", "note", "announced",
                  "event", "legal_basis")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str | None) -> str:
    """Free text for a cell: cleaned, and never read by a spreadsheet as a formula."""
    value = clean(text or "")
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _ids(citations: Iterable[Citation]) -> str:
    return ";".join(dict.fromkeys(c.id for c in citations))


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def _event_row(event: Event, site_url: str) -> list[str]:
    return [event.id, event.date.iso, event.end.iso if event.end else "", event.date.precision,
            text_cell(event.title), text_cell(event.summary), ";".join(event.tracks), event.status,
            str(event.importance), event.confidence, text_cell(event.location), ";".join(a.id for a in event.actors),
            _ids(event.sources), absolute(site_url, record_url(event))]


def _series_rows(series: Series, points: list[SeriesPoint]) -> list[list[str]]:
    return [[series.id, point.period.iso, series.reporter or "", series.partner or "", series.flow,
             decimal_text(point.value), text_cell(series.unit), _ids(point.sources), text_cell(point.note),
             point.announced.iso if point.announced else "", point.event or "", text_cell(point.legal_basis)]
            for point in points]


def csv_files(corpus: Corpus, site_url: str) -> dict[str, str]:
    """Every CSV download: path in the site → text."""
    files = {EVENTS_CSV: _table(EVENT_COLUMNS, (_event_row(e, site_url) for e in corpus.events))}
    everything: list[list[str]] = []
    for series in corpus.of_kind(Series):
        rows = _series_rows(series, corpus.series_points.get(series.id, []))
        files[series_csv(series.id)] = _table(SERIES_COLUMNS, rows)
        everything.extend(rows)
    files[SERIES_CSV] = _table(SERIES_COLUMNS, everything)
    return files
