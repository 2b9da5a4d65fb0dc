"""Which generated pages show a record: what `dyad serve` renders again when fact files change.

A page shows a record when it prints anything of it (a title in a list, a link's text, a point on a chart, a
count). The rules below follow the templates: a record's own page; the pages of the records it names and of
the records that name it (their link lists and backlinks); for an event, its neighbours (previous/next links),
its year, its tracks, the timeline and the tracks index; the shared list pages of its kind. Asked of the corpus
before a change and after it, the union covers a record that moved, was renamed or went away. Pages that are
cheap to render are always rendered again (`ALWAYS`); pages whose text did not change are not built again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

from ..model import Commitment, Event, Record, Series, Source
from .pages import ENTITY_TYPES, kind_index_src, record_src, track_src, year_src

if TYPE_CHECKING:
    from .pages import SiteRenderer

# Small pages over the whole corpus (counts, corrections, recent changes, downloads): rendered on every change.
ALWAYS = ("tracks/index.md", "data/index.md", "corrections/index.md", "changes/index.md", "series/index.md")


def own_page(record: Record) -> str | None:
    """The source path of a record's own page, if it has one (sources and commitments share list pages)."""
    if isinstance(record, (Event, Series, *ENTITY_TYPES)):
        return record_src(record)
    return None


def pages_showing(renderer: SiteRenderer, record_ids: Iterable[str]) -> set[str]:
    """Source paths of every page of `renderer`'s site that shows any of `record_ids` (ids not in its corpus
    are skipped: ask the corpus from before a change too)."""
    corpus = renderer.corpus
    pages: set[str] = set(ALWAYS)
    for record_id in record_ids:
        record = corpus.get(record_id)
        if record is None:
            continue
        named = [corpus.records[ref.target] for ref in record.meta.references if ref.target in corpus.records]
        referrers = corpus.referrers(record_id)
        for shown in (record, *named, *referrers):
            page = own_page(shown)
            if page is not None:
                pages.add(page)
        if isinstance(record, Event):
            pages.update(_event_pages(renderer, record))
        if isinstance(record, ENTITY_TYPES):
            pages.add(kind_index_src(type(record)))
        for track_id in getattr(record, "tracks", ()):  # a non-event on a track is listed on the track's page
            pages.add(track_src(track_id))
        if isinstance(record, Source) or any(isinstance(r, Source) for r in named):
            pages.add("sources/index.md")  # each source with the facts that cite it
        if isinstance(record, Commitment) or any(isinstance(r, Commitment) for r in referrers):
            pages.add("commitments/index.md")  # commitments with the events they were made at
        if isinstance(record, Series) or any(isinstance(r, Series) for r in referrers):
            pages.add("trade/index.md")
            pages.update(record_src(r) for r in referrers if isinstance(r, Series))
    return pages


def _event_pages(renderer: SiteRenderer, event: Event) -> Iterable[str]:
    """The pages that list or plot an event, and its neighbours' pages (their previous/next links)."""
    events = renderer.events
    position = renderer.corpus.event_positions[event.id]
    for neighbour in events[max(0, position - 1):position + 2]:
        yield record_src(neighbour)
    yield "timeline/index.md"
    yield year_src(event.date.year)
    yield from (track_src(t) for t in event.tracks)


def changed_records(before: Mapping[str, Record], after: Mapping[str, Record]) -> set[str]:
    """Ids whose record is new, gone, or another object (a checked file that did not change keeps its object:
    `pipeline.ModelMemo`)."""
    return {i for i in before.keys() | after.keys() if before.get(i) is not after.get(i)}
