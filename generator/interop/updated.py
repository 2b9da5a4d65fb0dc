"""When a record last changed, read from the content itself, never from the build clock.

A record's "updated" date is the latest of: its own dates (an event's date, a commitment's status dates, the date
of each entry under `corrections`), leaving out any after the corpus's `as_of`; and the `published` and `accessed`
dates of every source it cites, corrections' sources included. So recording a correction, citing a new source or
re-reading one (its `accessed` date) moves it; rebuilding does not. With none of these, it is the corpus's
`as_of`. Atom `updated` and iCalendar `DTSTAMP` both use it, so the same content always gives the same files.
Entry point: `content_updated()`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Iterator

from ..corpus import Corpus
from ..model import Citation, Commitment, Event, PartialDate, Record, Source, ends_before


def citations_in(value: Any) -> Iterator[Citation]:
    """Every citation anywhere in a record: its sources, its notes' sources, its roles' and statuses' sources."""
    if isinstance(value, Citation):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from citations_in(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name != "meta":
                yield from citations_in(getattr(value, item.name))


def _own_dates(record: Record) -> list[PartialDate]:
    dates = [getattr(c, "date") for c in getattr(record, "corrections", ()) if hasattr(c, "date")]
    if isinstance(record, Event):
        dates.append(record.date)
    if isinstance(record, Commitment):
        dates.extend(entry.date for entry in record.status)
    return [d for d in dates if isinstance(d, PartialDate)]


def content_updated(corpus: Corpus, record: Record) -> dt.date:
    """The latest content date of a record (see the module's docstring)."""
    as_of = corpus.config.as_of
    dates = [d.earliest() for d in _own_dates(record) if not ends_before(as_of, d)]
    for citation in citations_in(record):
        source = corpus.get(citation.id)
        if isinstance(source, Source):
            dates.extend(d.earliest() for d in (source.published, source.accessed) if d is not None)
    return max(dates) if dates else as_of.earliest()
