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
from typing import Any

from ..corpus import Corpus
from ..model import Citation, Commitment, Event, PartialDate, Record, Source, ends_before


def citations_in(value: Any) -> list[Citation]:
    """Every citation anywhere in a record: its sources, its notes' sources, its roles' and statuses' sources."""
    found: list[Citation] = []
    pending = [value]  # depth first, in field order
    while pending:
        item = pending.pop()
        cls = type(item)
        if cls in _PLAIN:
            continue
        if isinstance(item, Citation):
            found.append(item)
        elif isinstance(item, tuple):
            pending.extend(reversed(item))
        else:  # a model object (never a class: the type of a class is not a dataclass), or another plain value
            names = _field_names(cls)
            if names:
                pending.extend(getattr(item, name) for name in reversed(names))
    return found


_PLAIN = {str, int, bool, float, type(None), PartialDate}  # values that hold no citation
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The dataclass fields of a type that may hold citations (not `meta`); () for any other type."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls) if f.name != "meta") if (
            dataclasses.is_dataclass(cls)) else ()
        _FIELD_NAMES[cls] = names
    return names


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
