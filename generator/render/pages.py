"""Page sources for every record, index and listing, rendered through Jinja templates.

A page is a Markdown skeleton (front matter, headings) so MkDocs' table of contents and search work, with its
rich parts as HTML blocks made by autoescaping templates. Entry point: `render_pages()`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..corpus import Corpus, SeriesPoint
from ..markdown import render_body
from ..model import (Agreement, Citation, Commitment, Country, Entity, Event, Initiative, Organization,
                     PartialDate, Person, Record, Series, Source)
from ..fiscal import YearTotal, yearly_totals
from ..history import Change, History
from . import urls
from .charts import LARGE_TIMELINE, Chart, plotly_asset, series_chart, timeline_chart, trade_chart
from .jsonld import dataset_jsonld, entity_jsonld, event_jsonld

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ENTITY_TYPES: tuple[type[Entity], ...] = (Person, Country, Organization, Agreement, Initiative)
ENTITY_SECTIONS = {Person: "People", Country: "Countries", Organization: "Organizations", Agreement: "Agreements",
                   Initiative: "Initiatives"}
CHANGES_WINDOW_DAYS = 90
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


@dataclass
class PageSource:
    """One generated page: where it goes, what it says, and what its <head> needs."""

    src_uri: str
    title: str
    description: str
    markdown: str
    head: str = ""
    in_nav: bool = False

    @property
    def url(self) -> str:
        return urls.url_of_src(self.src_uri)

    def skeleton(self) -> tuple[str, list[str]]:
        """The page as MkDocs needs it (front matter and headings, for the table of contents and search) with
        each HTML part replaced by a placeholder, and the HTML parts to put back after Markdown has run.

        Python-Markdown then parses a few lines per page instead of every generated table and list."""
        return split_skeleton(self.markdown)


def record_src(record: Record) -> str:
    """The generated Markdown file of a record with a page of its own (events, entities, series)."""
    return urls.record_url(record).rstrip("/") + ".md"


def year_src(year: int) -> str:
    return f"{urls.year_url(year)}index.md"


def track_src(track_id: str) -> str:
    return urls.track_url(track_id).rstrip("/") + ".md"


def kind_index_src(cls: type[Entity]) -> str:
    return f"{urls.kind_index_url(cls.folder)}index.md"


PLACEHOLDER = "<!--dyad:{}-->"
_PLACEHOLDER = re.compile(r"<!--dyad:(\d+)-->")


def split_skeleton(markdown: str) -> tuple[str, list[str]]:
    """Split generated Markdown into headings (kept) and the HTML between them (set aside)."""
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    current: list[str] = []
    pre_depth = 0
    in_front = False
    for index, line in enumerate(lines):
        if index == 0 and line == "---":
            in_front = True
        if in_front:
            out.append(line)
            in_front = not (index > 0 and line == "---")
            continue
        if pre_depth == 0 and line.startswith("#"):
            if "".join(current).strip():
                out.extend(["", PLACEHOLDER.format(len(blocks)), ""])
                blocks.append("\n".join(current).strip("\n"))
            current = []
            out.append(line)
            continue
        current.append(line)
        pre_depth = max(0, pre_depth + line.count("<pre") - line.count("</pre>"))  # `# …` in code is not a heading
    if "".join(current).strip():
        out.extend(["", PLACEHOLDER.format(len(blocks)), ""])
        blocks.append("\n".join(current).strip("\n"))
    return "\n".join(out) + "\n", blocks


def fill_skeleton(html: str, blocks: list[str]) -> str:
    """Put the HTML parts back into the page MkDocs rendered from the skeleton."""
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)


def make_environment(override_dir: Path | None = None) -> Environment:
    """Jinja with autoescape everywhere and StrictUndefined; a site's own folder is searched first."""
    loaders = [FileSystemLoader(str(override_dir))] if override_dir and override_dir.is_dir() else []
    loaders.append(FileSystemLoader(str(DEFAULT_TEMPLATES)))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_no_heading_lines)
    env.filters["md"] = markdown_text
    env.filters["number"] = format_number
    env.filters["count"] = count_of
    return env


def no_heading_lines(html: Markup) -> Markup:
    """The same HTML with any `#` that begins a line written `&#35;`, so no text from content can be read as a
    Markdown heading of the page skeleton."""
    if "\n#" in html:
        html = Markup(str(html).replace("\n#", "\n&#35;"))
    return Markup("&#35;") + html[1:] if html.startswith("#") else html


def _no_heading_lines(value: Any) -> Any:
    """Plain text a template prints (content) is escaped here and kept off line starts; Markup (template macros,
    and HTML the Linker made safe) passes as it is."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return no_heading_lines(escape(value))
    return value


def markdown_text(text: str) -> Markup:
    """Text safe inside a Markdown line (a heading): HTML-escaped, Markdown punctuation backslashed."""
    # Markdown escapes first: escaping HTML first would make `'` into `&#39;`, whose `#` would then be escaped.
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))))


def count_of(number: int, word: str) -> str:
    """`1 event`, `2 events`."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def format_number(value: Any) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def front_matter(title: str, description: str) -> str:
    """Page meta for MkDocs. The themes print meta into <title> and attributes without escaping, so the values
    are HTML-escaped here; JSON strings are valid YAML scalars, so any text survives MkDocs' meta parser."""
    safe_title = html.escape(" ".join(title.split()), quote=True)
    safe_description = html.escape(" ".join(description.split()), quote=True)
    return (f"---\ntitle: {json.dumps(safe_title, ensure_ascii=False)}\n"
            f"description: {json.dumps(safe_description, ensure_ascii=False)}\n---\n\n")


def json_for_script(data: Any) -> str:
    """JSON that cannot close the <script> element it sits in, nor start a comment or CDATA."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def alternate_links(site_title: str, page_url: str) -> str:
    """`<link rel="alternate">` for the site's feed and calendar, so feed readers find them from any page."""
    items = [(f"{site_title}: newest events", urls.FEED, "application/atom+xml"),
             (f"{site_title}: scheduled events and deadlines", urls.CALENDAR, "text/calendar")]
    return "\n".join(f'<link rel="alternate" type="{kind}" title="{html.escape(title, quote=True)}" '
                     f'href="{html.escape(urls.relative(page_url, path), quote=True)}">' for title, path, kind in items)


class Linker:
    """What templates use to make links and dates, bound to the page they are rendering."""

    def __init__(self, corpus: Corpus, here: str) -> None:
        self.corpus = corpus
        self.here = here

    def href(self, url: str) -> str:
        return urls.relative(self.here, url)

    def url(self, record: Record) -> str:
        return self.href(urls.record_url(record))

    def link(self, target: Record | str, text: str | None = None) -> Markup:
        record = self.corpus.get(target) if isinstance(target, str) else target
        if record is None:
            return escape(text or target)
        # f-strings with escape() say the same as Markup.format, at a fraction of its cost (links are most of a page)
        return Markup(f'<a href="{escape(self.url(record))}">{escape(text or record.label)}</a>')

    def track(self, track_id: str) -> Markup:
        track = self.corpus.tracks.get(track_id)
        title = track.title if track else track_id
        return Markup(f'<a class="dyad-track dyad-track-{escape(track_id)}" '
                      f'href="{escape(self.href(urls.track_url(track_id)))}">{escape(title)}</a>')

    def date(self, date: PartialDate | None) -> Markup:
        if date is None:
            return Markup("")
        return Markup(f'<time datetime="{escape(date.iso)}">{escape(date.human())}</time>')

    def span(self, start: PartialDate, end: PartialDate | None) -> Markup:
        if end is None or end == start:
            return self.date(start)
        return self.date(start) + Markup(" – ") + self.date(end)

    def body(self, record: Record) -> Markup:
        text = getattr(record, "body", None)
        if not text:
            return Markup("")

        def resolve(kind: str, record_id: str) -> str | None:
            target = self.corpus.get(record_id)
            return self.url(target) if target is not None and target.kind == kind else None

        return no_heading_lines(Markup(render_body(text, resolve)))  # markdown-it escapes text, refuses raw HTML

    def chart(self, chart: Chart | None) -> Markup:
        """A chart's figure: drawn by the site script from its JSON file, described in words for everyone."""
        if chart is None:
            return Markup("")
        return Markup(
            '<figure class="dyad-chart" id="chart-{name}">'
            '<div class="dyad-plot" id="dyad-plot-{name}" data-figure="{figure}" data-plotly="{plotly}" '
            'data-root="{root}"></div>'
            '<figcaption><strong>{caption}.</strong> <span class="dyad-chart-summary">{summary}</span> '
            '<span class="dyad-chart-note">{note}</span></figcaption></figure>'
        ).format(name=chart.name, figure=self.href(chart.path), plotly=self.href(plotly_asset()),
                 root=self.href(urls.HOME), caption=chart.caption, note=chart.note,
                 summary=chart.summary)

    def source(self, citation: Citation) -> Source | None:
        found = self.corpus.get(citation.id)
        return found if isinstance(found, Source) else None


@dataclass
class SiteIndex:
    """Indexes the templates need, built once per corpus."""

    events_by_track: dict[str, list[Event]] = field(default_factory=dict)
    events_by_year: dict[int, list[Event]] = field(default_factory=dict)
    events_by_entity: dict[str, list[Event]] = field(default_factory=dict)

    @classmethod
    def build(cls, corpus: Corpus) -> SiteIndex:
        index = cls(defaultdict(list), defaultdict(list), defaultdict(list))
        for event in corpus.events:
            index.events_by_year[event.date.year].append(event)
            for track in event.tracks:
                index.events_by_track[track].append(event)
            for entity_id in dict.fromkeys([a.id for a in event.actors] + list(event.about)):
                index.events_by_entity[entity_id].append(event)
        for record in corpus.records.values():
            if isinstance(record, ENTITY_TYPES):
                mentioned = [r for r in corpus.referrers(record.id) if isinstance(r, Event)]
                merged = {e.id: e for e in [*index.events_by_entity.get(record.id, []), *mentioned]}
                index.events_by_entity[record.id] = sorted(merged.values(), key=lambda e: (e.date.sort_key(), e.id))
        return cls(dict(index.events_by_track), dict(index.events_by_year), dict(index.events_by_entity))


class _LazyIndex:
    """The site index as templates see it, built on first use."""

    def __init__(self, renderer: SiteRenderer) -> None:
        self._renderer = renderer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._renderer.index, name)


class SiteRenderer:
    """Renders every generated page of a corpus."""

    def __init__(self, corpus: Corpus, env: Environment, *, site_url: str = "", content_root: str = "",
                 history: History | None = None) -> None:
        self.corpus = corpus
        self.history = history if history is not None else History(available=False)
        self.env = env
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.content_root = content_root
        self.events = corpus.events
        self.charts: dict[str, Chart] = {}
        self.page_charts: dict[str, set[str]] = {}

    @functools.cached_property
    def index(self) -> SiteIndex:
        """Built when a page first needs it: a server rendering one event page again does without."""
        return SiteIndex.build(self.corpus)

    def _chart(self, chart: Chart | None) -> Chart | None:
        if chart is not None:
            self.charts[chart.name] = chart
        return chart

    # ---- helpers shared by pages

    def _render(self, template: str, src_uri: str, title: str, description: str, *, head: str = "",
                in_nav: bool = False, **context: Any) -> PageSource:
        here = urls.url_of_src(src_uri)
        head = head or self.head(here, title, description)  # every page: Open Graph tags and the feed links
        linker = Linker(self.corpus, here)
        body = self.env.get_template(template).render(
            corpus=self.corpus, site=self.corpus.config, index=_LazyIndex(self), l=linker, title=title,
            history=self.history,
            description=description, **context)
        return PageSource(src_uri, title, description, front_matter(title, description) + body, head, in_nav)

    def edit_url(self, record: Record) -> str:
        base = self.corpus.config.edit_url
        if not base:
            return ""
        path = record.meta.path
        if self.content_root and path.startswith(self.content_root.rstrip("/") + "/"):
            path = path[len(self.content_root.rstrip("/")) + 1:]
        return base.rstrip("/") + "/" + path

    def head(self, page_url: str, title: str, description: str, kind: str = "website",
             jsonld: dict[str, Any] | None = None) -> str:
        """Open Graph tags, feed links and JSON-LD for a page's <head>."""
        tags = [("og:type", kind), ("og:title", title), ("og:description", description),
                ("og:site_name", self.corpus.config.title)]
        if self.site_url:
            tags.append(("og:url", self.site_url + page_url))
        parts = [f'<meta property="{name}" content="{html.escape(value, quote=True)}">' for name, value in tags]
        # Only site-wide alternates: Material fetches `sitemap.xml` beside every <link rel="alternate"> (it takes
        # them for language versions), so a page's own feed is linked in the page, not in <head>.
        parts.append(alternate_links(self.corpus.config.title, page_url))
        if jsonld is not None:
            parts.append(f'<script type="application/ld+json">{json_for_script(jsonld)}</script>')
        return "\n".join(parts)

    # ---- pages

    def pages(self) -> list[PageSource]:
        return [make() for make in self.page_makers().values()]

    def _charted(self, src: str, make: Callable[[], PageSource]) -> Callable[[], PageSource]:
        """`make`, noting in `page_charts` the chart files the page draws (a server removes a page's old ones)."""
        def render() -> PageSource:
            before = set(self.charts)
            page = make()
            self.page_charts[src] = {self.charts[name].path for name in self.charts.keys() - before}
            return page
        return render

    @functools.cached_property
    def _makers(self) -> dict[str, Callable[[], PageSource]]:
        return self._page_makers()

    def page_makers(self) -> dict[str, Callable[[], PageSource]]:
        """Every generated page, by its source path, as a function that renders it: a rebuild under `dyad serve`
        renders only the pages a change touches (`affected.pages_showing`). Made once per renderer."""
        return self._makers

    def _page_makers(self) -> dict[str, Callable[[], PageSource]]:
        corpus = self.corpus
        makers: dict[str, Callable[[], PageSource]] = {"timeline/index.md": self.timeline}
        years = sorted({event.date.year for event in self.events})
        makers.update((year_src(year), functools.partial(self.year, year)) for year in years)
        makers["tracks/index.md"] = self.tracks_index
        makers.update((track_src(track.id), functools.partial(self.track, track)) for track in corpus.config.tracks)
        makers.update((record_src(event), functools.partial(self.event, event)) for event in corpus.events)
        makers.update({"sources/index.md": self.sources, "commitments/index.md": self.commitments,
                       "trade/index.md": self.trade, "series/index.md": self.series_index})
        makers.update((record_src(series), functools.partial(self.series, series))
                      for series in corpus.of_kind(Series))
        makers.update({"data/index.md": self.data, "corrections/index.md": self.corrections,
                       "changes/index.md": self.changes})
        for cls in ENTITY_TYPES:
            makers[kind_index_src(cls)] = functools.partial(self.kind_index, cls)
            makers.update((record_src(record), functools.partial(self.entity, record)) for record in corpus.of_kind(cls))
        return {src: self._charted(src, make) for src, make in makers.items()}

    def event(self, event: Event) -> PageSource:
        events = self.events
        position = self.corpus.event_positions[event.id]
        previous = events[position - 1] if position > 0 else None
        following = events[position + 1] if position + 1 < len(events) else None
        src = record_src(event)
        url = urls.url_of_src(src)
        jsonld = event_jsonld(self.corpus, event, self.site_url + url if self.site_url else "")
        return self._render("event.md.j2", src, event.title, event.summary,
                            head=self.head(url, event.title, event.summary, "article", jsonld), event=event,
                            previous=previous, next=following, edit_url=self.edit_url(event))

    def entity(self, entity: Entity) -> PageSource:
        src = record_src(entity)
        description = entity.description or f"{entity.name}: events and links in the record."
        referrers = [r for r in self.corpus.referrers(entity.id) if isinstance(r, ENTITY_TYPES)]
        refers_to = [self.corpus.records[ref.target] for ref in entity.meta.references
                     if isinstance(self.corpus.records.get(ref.target), ENTITY_TYPES)]
        related = list({r.id: r for r in [*refers_to, *referrers] if r.id != entity.id}.values())
        agreements = [r for r in referrers if isinstance(r, Agreement)]
        commitments = [r for r in self.corpus.referrers(entity.id) if isinstance(r, Commitment)]
        url = urls.url_of_src(src)
        events = self.index.events_by_entity.get(entity.id, [])
        chart = self._chart(timeline_chart(self.corpus, events, f"{entity.kind}-{entity.id}",
                                           f"Events involving {entity.name}"))
        jsonld = entity_jsonld(self.corpus, entity, self.site_url + url if self.site_url else "")
        return self._render("entity.md.j2", src, entity.name, description,
                            head=self.head(url, entity.name, description, "profile", jsonld),
                            entity=entity, events=events, chart=chart,
                            related=sorted(related, key=lambda r: (r.kind, r.label.casefold())),
                            agreements=agreements, commitments=commitments, edit_url=self.edit_url(entity))

    def kind_index(self, cls: type[Entity]) -> PageSource:
        title = ENTITY_SECTIONS[cls]
        records = self.corpus.of_kind(cls)
        return self._render("kind_index.md.j2", kind_index_src(cls), title,
                            f"{title} in the record of {self.corpus.config.title}.", records=records, in_nav=True)

    def timeline(self) -> PageSource:
        years = sorted(self.index.events_by_year, reverse=True)
        chart = self._chart(timeline_chart(self.corpus, self.corpus.events, "timeline", "Every event by track"))
        return self._render("timeline.md.j2", "timeline/index.md", "Timeline",
                            f"Every event in the record, {count_of(len(self.corpus.events), 'event')}, by year.",
                            years=years, chart=chart, large_list=LARGE_TIMELINE, in_nav=True)

    def years(self) -> Iterable[PageSource]:
        return map(self.year, sorted(self.index.events_by_year))

    def year(self, year: int) -> PageSource:
        events = self.index.events_by_year[year]
        return self._render("year.md.j2", year_src(year), str(year),
                            f"Events of {year}: {count_of(len(events), 'event')} in the record.", year=year,
                            events=events)

    def tracks_index(self) -> PageSource:
        return self._render("tracks.md.j2", "tracks/index.md", "Tracks",
                            "The tracks of the relationship and their events.", in_nav=True)

    def track(self, track: Any) -> PageSource:
        events = self.index.events_by_track.get(track.id, [])
        others = [r for r in self.corpus.records.values()
                  if not isinstance(r, Event) and track.id in getattr(r, "tracks", ())]
        chart = self._chart(timeline_chart(self.corpus, events, f"track-{track.id}", f"{track.title}: events"))
        description = track.description or f"{track.title}: {count_of(len(events), 'event')}."
        url = urls.track_url(track.id)
        return self._render("track.md.j2", track_src(track.id), track.title, description, track=track,
                            head=self.head(url, track.title, description),
                            chart=chart,
                            events=events, others=sorted(others, key=lambda r: (r.kind, r.label.casefold())))

    def sources(self) -> PageSource:
        sources = sorted(self.corpus.of_kind(Source), key=lambda s: (s.publisher.casefold(), s.title.casefold()))
        return self._render("sources.md.j2", "sources/index.md", "Sources",
                            f"Every source the record cites ({len(sources)}), with the facts that cite it.",
                            sources=sources, in_nav=True)

    def commitments(self) -> PageSource:
        commitments = self.corpus.of_kind(Commitment)
        return self._render("commitments.md.j2", "commitments/index.md", "Commitments",
                            "Promises made, and their status over time, with sources.", commitments=commitments,
                            in_nav=True)

    def trade(self) -> PageSource:
        series = [s for s in self.corpus.of_kind(Series) if s.flow in ("exports", "imports", "balance", "total")]
        rates = [s for s in self.corpus.of_kind(Series) if s.flow == "rate"]
        flows = [s for s in series if s.frequency == "year"]
        trade_figure = self._chart(trade_chart(self.corpus, flows, "trade", "Goods trade by year"))
        rate_charts = {s.id: self._chart(series_chart(self.corpus, s, f"trade-{s.id}")) for s in rates}
        return self._render("trade.md.j2", "trade/index.md", "Trade",
                            "Goods trade figures and tariff rates, each value with its source.", trade=series,
                            rates=rates, points=self.corpus.series_points, chart=trade_figure,
                            rate_charts=rate_charts, in_nav=True)

    def series_index(self) -> PageSource:
        return self._render("series_index.md.j2", "series/index.md", "Series",
                            "Every numeric series in the record.", series=self.corpus.of_kind(Series))

    def series(self, series: Series) -> PageSource:
        points: list[SeriesPoint] = self.corpus.series_points.get(series.id, [])
        description = series.description or f"{series.title}, in {series.unit}."
        chart = self._chart(series_chart(self.corpus, series, f"series-{series.id}"))
        years: dict[str, list[YearTotal]] = {}
        if series.frequency == "month" and points:
            years["Calendar year (January–December)"] = yearly_totals(points)
            start = self.corpus.config.fiscal_year_start
            if start and start != 1:
                label = self.corpus.config.fiscal_year_label or f"Fiscal year starting in {calendar.month_name[start]}"
                years[label] = yearly_totals(points, start)
        return self._render("series.md.j2", record_src(series), series.title, description, series=series,
                            points=points, chart=chart, years=years, edit_url=self.edit_url(series))

    def corrections(self) -> PageSource:
        found = [(record, correction) for record in self.corpus.records.values()
                 for correction in getattr(record, "corrections", ())]
        found.sort(key=lambda item: (item[1].date.sort_key(), item[0].id), reverse=True)
        return self._render("corrections.md.j2", "corrections/index.md", "Corrections",
                            "Every correction made to the record, newest first.", corrections=found, in_nav=True)

    def changes(self, days: int = CHANGES_WINDOW_DAYS) -> PageSource:
        """New and changed facts in the `days` before as_of, grouped by track (a fact on two tracks shows twice)."""
        as_of = self.corpus.config.as_of.latest()
        since = as_of - dt.timedelta(days=days)
        groups: dict[str, list[tuple[Record, Change, bool]]] = {}
        for record in self.corpus.records.values():
            changes = self.history.of(record.meta.file)
            recent = [c for c in changes if since < c.date.earliest() <= as_of]
            if not recent:
                continue
            is_new = changes[-1] in recent
            tracks = [self.corpus.tracks[t].title for t in getattr(record, "tracks", ()) if t in self.corpus.tracks]
            for group in tracks or ["Other records"]:
                groups.setdefault(group, []).append((record, recent[0], is_new))
        order = [t.title for t in self.corpus.config.tracks] + ["Other records"]
        ordered = [(g, sorted(groups[g], key=lambda item: (item[1].date.sort_key(), item[0].id), reverse=True))
                   for g in order if g in groups]
        return self._render("changes.md.j2", "changes/index.md", "Changes",
                            f"Facts added or changed in the {days} days to {self.corpus.config.as_of.human()}.",
                            groups=ordered, days=days, in_nav=True)

    def data(self) -> PageSource:
        description = "Downloads of the record's data."
        jsonld = dataset_jsonld(self.corpus, self.site_url + urls.DATA if self.site_url else "")
        return self._render("data.md.j2", "data/index.md", "Data", description,
                            head=self.head(urls.DATA, "Data", description, "website", jsonld),
                            series=self.corpus.of_kind(Series), in_nav=True)






