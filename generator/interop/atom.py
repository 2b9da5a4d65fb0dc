"""Atom feeds (RFC 4287): `/feed.xml` for every event, and one beside each track's and each entity's page.

Entry ids are the event's permalink (`https://…/events/<id>/`), which never changes, so a reader never sees an
event twice; `updated` comes from the content (`updated.content_updated`), so a correction moves it and a rebuild
does not. XML is written by the standard library's serializer, which escapes every text and attribute; characters
XML cannot carry are removed first. Entry point: `atom_feeds()`.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
from dataclasses import dataclass
from typing import Callable
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from .. import __version__
from ..corpus import Corpus
from ..model import Agreement, Country, Event, Initiative, Organization, Person
from ..render import urls
from .downloads import FEED, feed_of
from .event_html import event_html
from .textutil import absolute, clean
from .updated import content_updated

ATOM_NS = "http://www.w3.org/2005/Atom"
ENTITY_TYPES = (Person, Country, Organization, Agreement, Initiative)


@dataclass(frozen=True)
class FeedSpec:
    """One feed: where it is published, the page it belongs to, and its events."""

    path: str
    page: str
    title: str
    subtitle: str
    events: tuple[Event, ...]


class _Writer:
    """XMLGenerator with indentation, so feeds are readable and diffs small."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.xml = XMLGenerator(self.out, encoding="utf-8", short_empty_elements=True)
        self.depth = 0
        self.xml.startDocument()

    def _indent(self) -> None:
        self.xml.ignorableWhitespace("\n" + "  " * self.depth)

    def start(self, name: str, attrs: dict[str, str] | None = None) -> None:
        if self.depth:
            self._indent()
        self.xml.startElement(name, AttributesImpl({k: clean(v) for k, v in (attrs or {}).items()}))
        self.depth += 1

    def end(self, name: str) -> None:
        self.depth -= 1
        self._indent()
        self.xml.endElement(name)

    def leaf(self, name: str, text: str = "", attrs: dict[str, str] | None = None) -> None:
        self._indent()
        self.xml.startElement(name, AttributesImpl({k: clean(v) for k, v in (attrs or {}).items()}))
        if text:
            self.xml.characters(clean(text))
        self.xml.endElement(name)

    def text(self) -> str:
        self.xml.endDocument()
        return self.out.getvalue() + "\n"


def timestamp(date: dt.date) -> str:
    """An RFC 3339 date-time for a content date: midnight UTC, since Dyad dates carry no time."""
    return f"{date.isoformat()}T00:00:00Z"


def permanent_id(corpus: Corpus, site_url: str, path: str) -> str:
    """An IRI that never changes for a site path: its absolute URL, or without a site URL a URN that names the
    countries the site covers."""
    if site_url:
        return absolute(site_url, path)
    return f"urn:dyad:{'-'.join(corpus.config.focus)}:{path}"


def entity_events(corpus: Corpus, entity_id: str) -> tuple[Event, ...]:
    """The events an entity's page lists: those naming it as an actor, a subject or in their body."""
    return tuple(r for r in corpus.referrers(entity_id) if isinstance(r, Event))


def feed_specs(corpus: Corpus) -> list[FeedSpec]:
    """The site-wide feed, one per track, one per entity."""
    site = corpus.config.title
    specs = [FeedSpec(FEED, urls.HOME, site, f"Every event in the record of {site}.", tuple(corpus.events))]
    for track in corpus.config.tracks:
        page = urls.track_url(track.id)
        events = tuple(e for e in corpus.events if track.id in e.tracks)
        specs.append(FeedSpec(feed_of(page), page, f"{site}: {track.title}",
                              track.description or f"Events filed under {track.title}.", events))
    for cls in ENTITY_TYPES:
        for entity in corpus.of_kind(cls):
            page = urls.record_url(entity)
            specs.append(FeedSpec(feed_of(page), page, f"{site}: {entity.name}",
                                  f"Events involving {entity.name}.", entity_events(corpus, entity.id)))
    return specs


def _linker(site_url: str, feed_path: str) -> Callable[[str], str]:
    """Links in a feed: absolute with a site URL, else relative to where the feed is published."""
    here = posixpath.dirname(feed_path)
    here = here + "/" if here else urls.HOME
    return (lambda path: absolute(site_url, path)) if site_url else (lambda path: urls.relative(here, path))


def render_feed(corpus: Corpus, spec: FeedSpec, site_url: str,
                memo: dict[tuple[str, str], str] | None = None) -> str:
    """One feed. `memo` keeps each event's entry HTML across feeds: an event sits in the site feed, its tracks'
    feeds and every entity's feed, and with the same link base its HTML is the same."""
    memo = memo if memo is not None else {}
    link = _linker(site_url, spec.path)
    base = link(urls.HOME)
    entries = sorted(spec.events, key=lambda e: (e.date.sort_key(), e.id), reverse=True)
    updated = {e.id: content_updated(corpus, e) for e in entries}
    feed_updated = max(updated.values(), default=corpus.config.as_of.earliest())
    tracks = corpus.tracks
    out = _Writer()
    out.start("feed", {"xmlns": ATOM_NS})
    out.leaf("id", permanent_id(corpus, site_url, spec.path))
    out.leaf("title", spec.title, {"type": "text"})
    out.leaf("subtitle", spec.subtitle, {"type": "text"})
    out.leaf("updated", timestamp(feed_updated))
    out.leaf("link", attrs={"rel": "self", "type": "application/atom+xml", "href": link(spec.path)})
    out.leaf("link", attrs={"rel": "alternate", "type": "text/html", "href": link(spec.page)})
    out.start("author")
    out.leaf("name", corpus.config.title)
    out.end("author")
    out.leaf("generator", "Dyad", {"version": __version__})
    for event in entries:
        out.start("entry")
        out.leaf("id", permanent_id(corpus, site_url, urls.record_url(event)))
        out.leaf("title", event.title, {"type": "text"})
        out.leaf("updated", timestamp(updated[event.id]))
        out.leaf("link", attrs={"rel": "alternate", "type": "text/html", "href": link(urls.record_url(event))})
        for track_id in event.tracks:
            label = tracks[track_id].title if track_id in tracks else track_id
            out.leaf("category", attrs={"term": track_id, "label": label})
        out.leaf("summary", f"{event.date.human()}: {event.summary}", {"type": "text"})
        key = (event.id, base)
        if key not in memo:
            memo[key] = event_html(corpus, event, link)
        out.leaf("content", memo[key], {"type": "html"})
        out.end("entry")
    out.end("feed")
    return out.text()


def atom_feeds(corpus: Corpus, site_url: str) -> dict[str, str]:
    """Every feed: path in the site → XML text."""
    memo: dict[tuple[str, str], str] = {}
    return {spec.path: render_feed(corpus, spec, site_url, memo) for spec in feed_specs(corpus)}

