"""Atom feeds (RFC 4287): `/feed.xml` for the site's events, and one beside each track's and each entity's page.

Each feed carries its `FEED_ENTRIES` newest events: those most recently added or corrected (the latest `updated`),
listed by date, newest first; the JSON and CSV downloads carry every event. Entry ids are the event's permalink
(`https://…/events/<id>/`), which never changes, so a reader never sees an event twice; `updated` comes from the
content (`updated.content_updated`), so a correction moves it and a rebuild does not. XML is written by the
standard library's serializer, which escapes every text and attribute; characters XML cannot carry are removed
first. An event's entry is the same in every feed that links the same way, so it is written once and reused.
Entry point: `atom_feeds()`.
"""

from __future__ import annotations

import datetime as dt
import heapq
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
from .downloads import FEED, FEED_ENTRIES, feed_of
from .event_html import HtmlMemo, event_html
from .textutil import absolute, clean
from .updated import content_updated

ATOM_NS = "http://www.w3.org/2005/Atom"
ENTITY_TYPES = (Person, Country, Organization, Agreement, Initiative)


@dataclass(frozen=True)
class FeedSpec:
    """One feed: where it is published, the page it belongs to, and its events (it carries the newest)."""

    path: str
    page: str
    title: str
    subtitle: str
    events: tuple[Event, ...]


class _Writer:
    """XMLGenerator with indentation, so feeds are readable and diffs small."""

    def __init__(self, depth: int = 0) -> None:
        """A document, or at `depth` > 0 a fragment of one (written as it would be inside the document)."""
        self.out = io.StringIO()
        self.xml = XMLGenerator(self.out, encoding="utf-8", short_empty_elements=True)
        self.depth = depth
        self.document = depth == 0
        if self.document:
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

    def raw(self, text: str) -> None:
        """A fragment written by another writer at this writer's depth."""
        self.xml.ignorableWhitespace(text)

    def text(self) -> str:
        if not self.document:
            return self.out.getvalue()
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
    specs = [FeedSpec(FEED, urls.HOME, site, f"The events of {site} most recently added or corrected.",
                      tuple(corpus.events))]
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


def _linker(site_url: str, feed_path: str) -> tuple[Callable[[str], str], str]:
    """Links in a feed: absolute with a site URL, else relative to where the feed is published; with a key that
    is the same for two feeds exactly when their links are."""
    if site_url:
        return (lambda path: absolute(site_url, path)), site_url
    here = posixpath.dirname(feed_path)
    here = here + "/" if here else urls.HOME
    return (lambda path: urls.relative(here, path)), f"relative:{here}"


class FeedCache:
    """What every feed of one build shares: each event's `updated` date, its entry HTML (`html`, shared with the
    TimelineJS export where links are the same) and its whole entry XML, each made once per way of linking."""

    def __init__(self, corpus: Corpus, html: HtmlMemo | None = None) -> None:
        self.corpus = corpus
        self.updated: dict[str, dt.date] = {}
        self.order: dict[str, tuple[dt.date, tuple[int, int, int], str]] = {}
        self.html: HtmlMemo = html if html is not None else {}
        self.entries: dict[tuple[str, str], str] = {}

    def updated_of(self, event: Event) -> dt.date:
        found = self.updated.get(event.id)
        if found is None:
            found = self.updated[event.id] = content_updated(self.corpus, event)
        return found

    def _recency(self, event: Event) -> tuple[dt.date, tuple[int, int, int], str]:
        found = self.order.get(event.id)
        if found is None:
            found = self.order[event.id] = (self.updated_of(event), event.date.sort_key(), event.id)
        return found

    def newest(self, events: tuple[Event, ...]) -> list[Event]:
        """The feed's entries: its `FEED_ENTRIES` events updated last (later dates, then ids, break ties), newest
        date first."""
        chosen = heapq.nlargest(FEED_ENTRIES, events, key=self._recency)
        return sorted(chosen, key=lambda e: (e.date.sort_key(), e.id), reverse=True)

    def entry(self, event: Event, site_url: str, link: Callable[[str], str], key: str) -> str:
        """The `<entry>` element of an event, as written at depth 1 of a feed."""
        found = self.entries.get((event.id, key))
        if found is not None:
            return found
        corpus = self.corpus
        tracks = corpus.tracks
        html_key = (event.id, key)
        if html_key not in self.html:
            self.html[html_key] = event_html(corpus, event, link)
        out = _Writer(depth=1)
        out.start("entry")
        out.leaf("id", permanent_id(corpus, site_url, urls.record_url(event)))
        out.leaf("title", event.title, {"type": "text"})
        out.leaf("updated", timestamp(self.updated_of(event)))
        out.leaf("link", attrs={"rel": "alternate", "type": "text/html", "href": link(urls.record_url(event))})
        for track_id in event.tracks:
            label = tracks[track_id].title if track_id in tracks else track_id
            out.leaf("category", attrs={"term": track_id, "label": label})
        out.leaf("summary", f"{event.date.human()}: {event.summary}", {"type": "text"})
        out.leaf("content", self.html[html_key], {"type": "html"})
        out.end("entry")
        found = self.entries[(event.id, key)] = out.text()
        return found


def render_feed(corpus: Corpus, spec: FeedSpec, site_url: str, cache: FeedCache | None = None) -> str:
    """One feed. `cache` keeps what feeds share (see `FeedCache`): an event sits in the site feed, its tracks'
    feeds and every entity's feed."""
    cache = cache if cache is not None else FeedCache(corpus)
    link, key = _linker(site_url, spec.path)
    entries = cache.newest(spec.events)
    feed_updated = max((cache.updated_of(e) for e in entries), default=corpus.config.as_of.earliest())
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
        out.raw(cache.entry(event, site_url, link, key))
    out.end("feed")
    return out.text()


def atom_feeds(corpus: Corpus, site_url: str, html: HtmlMemo | None = None) -> dict[str, str]:
    """Every feed: path in the site → XML text. `html` keeps events' entry HTML for other exports to reuse."""
    cache = FeedCache(corpus, html)
    return {spec.path: render_feed(corpus, spec, site_url, cache) for spec in feed_specs(corpus)}
