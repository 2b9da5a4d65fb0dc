"""TimelineJS 3 JSON out: every event (or one track's) as a slide, published at `/data/timeline.json` and written
by `dyad export timelinejs`.

Each slide keeps the event's id as `unique_id`, its first track as `group`, its dates at their precision (a year
stays a year) and its sources inside `text`. Events that span time also become eras, where they do not overlap
an era already placed (TimelineJS draws overlapping eras on top of each other). What TimelineJS cannot carry is
said twice in the file: on the title slide for readers, and under the top-level `dyad` key (which TimelineJS
ignores) for tools, beside the tracks and countries a re-import needs. Entry point: `timeline()`.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any, Callable

from ..corpus import Corpus
from ..model import Country, Event, PartialDate
from .event_html import HtmlMemo, event_html
from .textutil import absolute, clean

FORMAT = "TimelineJS 3 JSON, written by Dyad"
NOT_CARRIED = (
    "more than one track per event (group holds the first; the text names them all)",
    "actors and their roles, and the agreements, initiatives, commitments and series an event is about",
    "importance, confidence and related events",
    "sourced notes, and the quotes of citations",
    "people, countries, organizations, agreements, initiatives, commitments and series (only events are slides)",
)


def _date(date: PartialDate) -> dict[str, int]:
    """A TimelineJS date object at the date's own precision."""
    out = {"year": date.year}
    if date.month is not None:
        out["month"] = date.month
    if date.day is not None:
        out["day"] = date.day
    return out


def _display(event: Event) -> str:
    if event.end is None or event.end == event.date:
        return event.date.human()
    return f"{event.date.human()} – {event.end.human()}"


def _eras(events: list[Event]) -> list[dict[str, Any]]:
    """Span events as eras, earliest first, skipping any that would overlap an era already placed."""
    spans = sorted((e for e in events if e.end is not None and e.end != e.date),
                   key=lambda e: (e.date.earliest(), -(e.span_end.latest() - e.date.earliest()).days, e.id))
    eras: list[dict[str, Any]] = []
    last_end = None
    for event in spans:
        if last_end is not None and event.date.earliest() <= last_end:
            continue
        assert event.end is not None
        eras.append({"start_date": _date(event.date), "end_date": _date(event.end),
                     "text": {"headline": escape(clean(event.title))}})
        last_end = event.span_end.latest()
    return eras


def _slide(corpus: Corpus, event: Event, group: str, link: Callable[[str], str | None], html: HtmlMemo,
           key: str) -> dict[str, Any]:
    slide: dict[str, Any] = {"start_date": _date(event.date)}
    if event.end is not None and event.end != event.date:
        slide["end_date"] = _date(event.end)
    slide["display_date"] = _display(event)
    text = html.get((event.id, key))
    if text is None:
        text = html[(event.id, key)] = event_html(corpus, event, link)
    slide["text"] = {"headline": escape(clean(event.title)), "text": text}
    slide["group"] = group
    slide["unique_id"] = event.id
    return slide


def timeline(corpus: Corpus, site_url: str, track: str | None = None, html: HtmlMemo | None = None) -> dict[str, Any]:
    """The TimelineJS document; `track` keeps only that track's events. Raises KeyError for an unknown track.
    `html` holds events' HTML other exports made with the same links (keyed by the site URL), to reuse."""
    config = corpus.config
    tracks = corpus.tracks
    if track is not None and track not in tracks:
        raise KeyError(track)
    events = [e for e in corpus.events if track is None or track in e.tracks]

    def link(path: str) -> str | None:
        return absolute(site_url, path) if site_url else None  # relative links would resolve against the embed

    memo: HtmlMemo = html if html is not None else {}

    scope = f"{config.title}: {tracks[track].title}" if track else config.title
    intro = [f"<p>{escape(clean(config.description))}</p>"] if config.description else []
    intro.append(f"<p>{len(events)} events, current as of {escape(config.as_of.human())}. Every event cites its "
                 f"sources{' on ' + escape(site_url) if site_url else ''}.</p>")
    intro.append("<p>This timeline cannot carry: " + "; ".join(escape(n) for n in NOT_CARRIED) + ".</p>")
    document: dict[str, Any] = {
        "title": {"text": {"headline": escape(clean(scope)), "text": "\n".join(intro)}},
        "events": [_slide(corpus, e, tracks[track if track else e.tracks[0]].title, link, memo, site_url)
                   for e in events],
    }
    eras = _eras(events)
    if eras:
        document["eras"] = eras
    focus = [corpus.get(country_id) for country_id in config.focus]
    document["dyad"] = {
        "format": FORMAT,
        "site": config.title,
        "url": site_url,
        "as_of": config.as_of.iso,
        "track": track or "",
        "tracks": [{"id": t.id, "title": t.title} for t in config.tracks],
        "focus": [{"id": c.id, "name": c.name} for c in focus if isinstance(c, Country)],
        "not_carried": list(NOT_CARRIED),
    }
    return document


def dump_timeline(document: dict[str, Any]) -> str:
    """The document as JSON text, as published and exported."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
