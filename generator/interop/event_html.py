"""An event as one HTML fragment, for places that show HTML outside the site: Atom entries and TimelineJS slides.

Every text is escaped; the body goes through the same renderer as the site's pages. Two paragraphs carry data as
well as text, so a TimelineJS file exported by Dyad imports back without loss: `dyad-meta` (status, location and
every track) and `dyad-sources` (each source's id, kind, publisher, title and address). Entry point: `event_html()`.
"""

from __future__ import annotations

from html import escape
from typing import Callable

from ..corpus import Corpus
from ..markdown import render_body
from ..model import Event, Source
from ..render.urls import record_url
from .textutil import clean

Link = Callable[[str], str | None]
# Events' HTML kept across exports within one build: (event id, a key naming how links are made) → `event_html()`.
HtmlMemo = dict[tuple[str, str], str]


def _attr(text: str) -> str:
    return escape(clean(text), quote=True)


def _text(text: str) -> str:
    return escape(clean(text), quote=False)


def sources_html(corpus: Corpus, event: Event) -> str:
    items = []
    for citation in event.sources:
        source = corpus.get(citation.id)
        if not isinstance(source, Source):
            continue  # pragma: no cover - a resolved corpus has every source
        where = f", {_text(citation.locator)}" if citation.locator else ""
        items.append(f'<a href="{_attr(source.url)}" data-dyad-source="{source.id}" data-dyad-kind="{source.kind_of}" '
                     f'data-dyad-publisher="{_attr(source.publisher)}">{_text(source.title)}</a> '
                     f"({_text(source.publisher)}{where})")
    return '<p class="dyad-sources">Sources: ' + "; ".join(items) + ".</p>"


def event_html(corpus: Corpus, event: Event, link: Link) -> str:
    """The event's summary, body, status, tracks and sources. `link` turns a site path into an address, or None
    where the HTML is read with no way back to the site (record links then stay plain text)."""
    def resolve(kind: str, record_id: str) -> str | None:
        target = corpus.get(record_id)
        return link(record_url(target)) if target is not None and target.kind == kind else None

    parts = [f"<p>{_text(event.summary)}</p>"]
    if event.body:
        parts.append(render_body(clean(event.body), resolve).strip())
    tracks = corpus.tracks
    names = ", ".join(_text(tracks[t].title if t in tracks else t) for t in event.tracks)
    status = {"scheduled": "Scheduled. ", "cancelled": "Cancelled. "}.get(event.status, "")
    where = f"{_text(event.location)}. " if event.location else ""
    page = link(record_url(event))
    on_site = f' <a href="{_attr(page)}">On the site</a>' if page else ""
    located = f' data-dyad-location="{_attr(event.location)}"' if event.location else ""
    parts.append(f'<p class="dyad-meta" data-dyad-status="{event.status}" data-dyad-tracks="{" ".join(event.tracks)}"'
                 f"{located}>"
                 f"{status}{where}Tracks: {names}.{on_site}</p>")
    parts.append(sources_html(corpus, event))
    return "\n".join(parts)
