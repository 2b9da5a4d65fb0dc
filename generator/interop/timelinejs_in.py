"""TimelineJS 3 JSON in: slides and eras to Dyad fact files, written into a content folder.

TimelineJS files are written by hand and by spreadsheets, so every value is taken as people write it: years as
strings or numbers (with stray tabs), empty strings for unset months, HTML in text. What maps:

- a slide → an event: its date at its precision (`{"year": "1978"}` is the year 1978), `end_date` → `end`,
  the headline → `title`, the first paragraph of `text` → `summary`, the rest → the Markdown `body`
  (HTML made safe by `html_markdown`), `group` → a track, `unique_id` → the file name where it is a valid id;
- `media.url` → a source record (caption → title, credit → publisher), reused when the folder already has a
  source with that address;
- an era → an event spanning its dates;
- the title slide → `dyad.yaml`'s title and description, when the folder has no `dyad.yaml` yet.

Everything else (backgrounds, times of day, display dates, thumbnails) is listed in the report. A file Dyad
exported carries its sources, status, tracks and countries in `dyad-*` markup, so it imports back whole. Nothing
is invented: an event without a source is written without one, and `dyad check` then names the file and what to
add. Entry point: `import_timeline()`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from ..load import CONFIG_FILE, ID_PATTERN
from ..model import PartialDate, ends_before
from .existing import Existing, scan_existing
from .factfile import Plain, fact_file, yaml_text
from .html_markdown import BLOCK_TAGS, html_to_markdown, html_to_text, parse_html
from .report import ImportReport
from .textutil import clean, one_line, slugify, unique_id

DATE_FIELDS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date", "format"}
TIME_FIELDS = ("hour", "minute", "second", "millisecond")
SLIDE_FIELDS = {"start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink",
                "unique_id", "location", "type"}
SOURCE_KINDS = ("government", "news", "dataset", "analysis", "reference", "social")
STATUSES = ("occurred", "scheduled", "cancelled")
DEFAULT_TRACK = "general"
FORMATTING_TAGS = ("b", "strong", "i", "em", "u", "code", "sup", "sub", "s", "mark")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


@dataclass(frozen=True)
class TimelineOptions:
    """How to import: the track for slides without a group, the countries a new site covers, a base address for
    relative media URLs, whether existing files may be replaced, and the input's name for the files' comments."""

    track: str | None = None
    focus: tuple[str, ...] = ()
    base_url: str = ""
    overwrite: bool = False
    origin: str = "a TimelineJS file"


@dataclass
class _Source:
    id: str
    url: str
    title: str
    publisher: str
    kind: str = "reference"
    note: str = ""


@dataclass
class _Event:
    where: str
    id: str
    title: str
    date: PartialDate
    end: PartialDate | None
    summary: str
    body: str | None
    tracks: list[str]
    status: str = "occurred"
    location: str = ""
    sources: list[str] = field(default_factory=list)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not (value.strip() if isinstance(value, str)
                                                                          else value))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> int | None | str:
    """An integer from a TimelineJS date field; None when unset; the text itself when it is not a number."""
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else str(value)
    text = str(value).strip()
    return int(text) if _INTEGER.match(text) else text


def _safe_url(url: str) -> bool:
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _display(start: PartialDate, end: PartialDate | None) -> str:
    """How Dyad itself shows a date or span (a display_date saying just this loses nothing)."""
    return start.human() if end is None or end == start else f"{start.human()} – {end.human()}"


def _shorten(text: str, limit: int = 100) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class _Importer:
    """One import: reads the document, gathers drafts and notes, then writes every file at once."""

    def __init__(self, data: Any, into: Path, options: TimelineOptions) -> None:
        self.data = data
        self.into = into
        self.options = options
        self.report = ImportReport()
        self.existing: Existing = scan_existing(into)
        self.taken: set[str] = set()
        self.events: list[_Event] = []
        self.sources: dict[str, _Source] = {}  # url → source
        self.track_titles: dict[str, str] = {}  # id → title, in first-use order
        self.group_tracks: dict[str, str] = {}
        meta = data.get("dyad") if isinstance(data, dict) else None
        self.meta: dict[str, Any] = meta if isinstance(meta, dict) else {}
        exported = _list(self.meta.get("tracks"))
        self.known_tracks: dict[str, str] = {  # id → title: the folder's tracks, then those a Dyad export names
            **{str(t.get("id")): one_line(str(t.get("title") or "")) for t in exported if isinstance(t, dict)},
            **self.existing.tracks}

    # ---- values

    def date(self, value: Any, where: str) -> PartialDate | None:
        note = self.report.note
        if not isinstance(value, dict):
            note(where, "is not a date object; slide not imported")
            return None
        parts = {name: _number(value.get(name)) for name in ("year", "month", "day")}
        for name, number in parts.items():
            if isinstance(number, str):
                note(f"{where}.{name}", f"'{number[:20]}' is not a number")
                parts[name] = None
        year, month, day = parts["year"], parts["month"], parts["day"]
        if not isinstance(year, int):
            note(where, "has no year; slide not imported")
            return None
        if not 1 <= year <= 9999:
            note(where, f"year {year} is outside what a Dyad date holds (years 1 to 9999); slide not imported")
            return None
        if month is not None and not 1 <= int(month) <= 12:
            note(where, "month is not 1 to 12; kept the year only")
            month = day = None
        if day is not None and month is None:
            note(where, "a day without a month; kept the year only")
            day = None
        if day is not None and month is not None and not 1 <= int(day) <= calendar.monthrange(year, int(month))[1]:
            note(where, "day is not in its month; kept the month only")
            day = None
        if any(not _is_empty(value.get(name)) for name in TIME_FIELDS):
            note(where, "time of day dropped (Dyad dates are days at most)")
        if not _is_empty(value.get("display_date")):
            note(where, "display_date dropped (Dyad shows each date at its precision)")
        for name in sorted(set(value) - DATE_FIELDS):
            if not _is_empty(value[name]):
                note(f"{where}.{name}", "not a TimelineJS date field; ignored")
        return PartialDate(year, int(month) if month is not None else None, int(day) if day is not None else None)

    def track(self, group: Any, where: str) -> str:
        """The track id for a slide's group: a track the file or the folder already names, else a new one."""
        name = one_line(str(group)) if not _is_empty(group) else ""
        if not name:
            track_id = self.options.track or DEFAULT_TRACK
            self.track_titles.setdefault(track_id, self.known_tracks.get(track_id)
                                         or track_id.replace("-", " ").capitalize())
            return track_id
        if name in self.group_tracks:
            return self.group_tracks[name]
        known = self.known_tracks
        by_title = {title.casefold(): track_id for track_id, title in known.items() if title}
        track_id = (name if name in known else by_title.get(name.casefold())) or slugify(name, 40)
        if not track_id:
            track_id = unique_id("group", set(self.track_titles))
            self.report.note(where, f"group '{name[:40]}' has no letters an id can use; filed as track {track_id}")
        self.group_tracks[name] = track_id
        self.track_titles.setdefault(track_id, known.get(track_id) or name)
        return track_id

    def source(self, url: str, title: str, publisher: str, kind: str = "reference", wanted_id: str = "",
               note: str = "") -> str:
        """The id of the source at `url`: one the folder has, one made earlier in this import, or a new one."""
        if url in self.existing.source_urls:
            return self.existing.source_urls[url]
        if url in self.sources:
            return self.sources[url].id
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        tail = segments[-1].rsplit(".", 1)[0] if segments else ""  # a page's or a file's own name
        base = wanted_id if ID_PATTERN.match(wanted_id) else slugify(
            f"{(parts.hostname or '').removeprefix('www.')} {tail}", 50) or "source"
        source_id = unique_id(base, self.taken | self.existing.ids)
        self.taken.add(source_id)
        host = parts.hostname or url
        self.sources[url] = _Source(source_id, url, title or f"{host}{parts.path}"[:120],
                                    publisher or host.removeprefix("www."), kind, note)
        return source_id

    def media(self, media: Any, where: str) -> str | None:
        if _is_empty(media):
            return None
        if not isinstance(media, dict):
            self.report.note(where, "media is not an object; ignored")
            return None
        original = str(media.get("url") or "").strip()
        if not original:
            return None
        url = original
        if url.startswith("//"):
            url = "https:" + url
        elif not urlsplit(url).scheme and self.options.base_url:
            url = urljoin(self.options.base_url, url)
        if not _safe_url(url):
            hint = " (pass --base-url to resolve it)" if not urlsplit(url).scheme and url.startswith("/") else ""
            self.report.note(where, f"media that is not a web address (http or https) is not kept as a source{hint}")
            return None
        title = one_line(html_to_text(str(media.get("title") or media.get("caption") or "")))
        publisher = one_line(html_to_text(str(media.get("credit") or "")))
        return self.source(url, _shorten(title, 200) if title else "", _shorten(publisher, 120) if publisher else "",
                           note="Imported from TimelineJS media: check that it supports the facts that cite it, "
                                "and give it its real title, publisher and kind.")

    # ---- text

    def dyad_markup(self, soup: BeautifulSoup) -> tuple[dict[str, str], list[str]]:
        """Read and remove the `dyad-meta` and `dyad-sources` paragraphs of a slide Dyad exported."""
        meta: dict[str, str] = {}
        source_ids: list[str] = []
        for element in soup.find_all(class_="dyad-meta"):
            for name in ("status", "tracks", "location"):
                value = element.get(f"data-dyad-{name}")
                if isinstance(value, str) and value.strip():
                    meta[name] = one_line(value)
            element.decompose()
        for element in soup.find_all(class_="dyad-sources"):
            for anchor in element.find_all("a"):
                url = str(anchor.get("href") or "").strip()
                if not _safe_url(url):
                    continue
                kind = str(anchor.get("data-dyad-kind") or "")
                source_ids.append(self.source(
                    url, one_line(anchor.get_text()), one_line(str(anchor.get("data-dyad-publisher") or "")),
                    kind if kind in SOURCE_KINDS else "reference", str(anchor.get("data-dyad-source") or "")))
            element.decompose()
        return meta, source_ids

    def text(self, html: str, where: str) -> tuple[str, str | None, dict[str, str], list[str]]:
        """(summary, body, Dyad markup, cited source ids) of a slide's `text`."""
        soup = parse_html(html)
        meta, source_ids = self.dyad_markup(soup)
        lead: list[Any] = []
        rest: list[Any] = []
        for node in list(soup.contents):
            if rest or (lead and isinstance(lead[-1], Tag) and lead[-1].name in BLOCK_TAGS):
                rest.append(node)
            elif isinstance(node, Tag) and node.name in BLOCK_TAGS and "".join(str(n) for n in lead).strip():
                rest.append(node)
            else:
                lead.append(node)
        lead_html = "".join(str(n) for n in lead)
        rest_html = "".join(str(n) for n in rest)
        summary = one_line(html_to_text(lead_html))
        keep_lead = not summary or "<a " in lead_html or "<img" in lead_html
        if not keep_lead and BeautifulSoup(lead_html, "html.parser").find(FORMATTING_TAGS):
            self.report.note(where, "formatting of the first paragraph dropped (the summary is plain text)")
        if not summary:
            summary = one_line(html_to_text(rest_html).split("\n\n")[0])
        body_html = lead_html + rest_html if keep_lead else rest_html
        body = None
        if html_to_text(body_html).strip() and html_to_text(body_html).strip() != summary:
            conversion = html_to_markdown(body_html)
            for dropped in conversion.dropped:
                self.report.note(where, f"{dropped}: dropped from the text")
            body = conversion.markdown or None
        return summary, body, meta, source_ids

    # ---- slides

    def slide(self, slide: Any, where: str, era: bool = False) -> _Event | None:
        note = self.report.note
        if not isinstance(slide, dict):
            note(where, "is not an object; not imported")
            return None
        if "start_date" not in slide:
            note(where, "has no start_date; not imported")
            return None
        start = self.date(slide["start_date"], f"{where}.start_date")
        if start is None:
            return None
        end = self.date(slide["end_date"], f"{where}.end_date") if not _is_empty(slide.get("end_date")) else None
        if end is not None and ends_before(end, start):
            note(where, "end_date is before start_date; the end was dropped")
            end = None
        if era and end is None:
            note(where, "an era without an end became a dated event")
        text = _dict(slide.get("text"))
        title = one_line(html_to_text(str(text.get("headline") or "")))
        summary, body, meta, source_ids = self.text(str(text.get("text") or ""), where)
        if not title and summary:
            title = _shorten(summary)
            note(where, "no headline: the title is the start of the text; check it")
        elif title and not summary:
            summary = title
            note(where, "no text: the summary repeats the headline; write one sentence saying what happened")
        elif not title:
            note(where, "no headline and no text: add a title and a summary")
        media_source = self.media(slide.get("media"), where)
        if media_source:
            source_ids.append(media_source)
        tracks = [t for t in meta.get("tracks", "").split() if ID_PATTERN.match(t)]
        tracks = tracks or [self.track(slide.get("group"), where)]
        for track_id in tracks:
            self.track_titles.setdefault(track_id, self.known_tracks.get(track_id) or track_id)
        location = meta.get("location", "")
        place = _dict(slide.get("location"))
        if not location and place:
            location = one_line(str(place.get("name") or ""))
            if any(not _is_empty(place.get(k)) for k in ("lat", "lon")):
                note(where, "map coordinates dropped (Dyad keeps a place's name)")
        if not _is_empty(slide.get("background")):
            note(where, "background dropped (a display setting)")
        display = one_line(str(slide.get("display_date") or ""))
        if display and display != _display(start, end):
            note(where, "display_date dropped (Dyad shows each date at its precision)")
        for name in sorted(set(slide) - SLIDE_FIELDS - {"end_date", "text"}):
            if not _is_empty(slide[name]):
                note(f"{where}.{name}", "not a TimelineJS slide field; ignored")
        if not _is_empty(slide.get("type")):
            note(where, f"slide type '{one_line(str(slide['type']))[:20]}' ignored")
        wanted = one_line(str(slide.get("unique_id") or ""))
        if wanted and ID_PATTERN.match(wanted) and wanted not in self.taken:
            event_id = unique_id(wanted, self.taken)
        else:
            if wanted:
                note(where, f"unique_id '{wanted[:40]}' is not a Dyad id (or is used twice); the file is named "
                            "from its date and headline")
            event_id = unique_id(f"{start.iso}-{slugify(title, 50) or 'event'}", self.taken)
        status = meta.get("status", "occurred")
        return _Event(where, event_id, title, start, end, summary, body, list(dict.fromkeys(tracks)),
                      status if status in STATUSES else "occurred", location, list(dict.fromkeys(source_ids)))

    # ---- files

    def event_file(self, event: _Event) -> tuple[str, str]:
        fields: list[tuple[str, Any]] = []
        comments = [f"Imported from {self.options.origin} ({event.where}) by dyad import timelinejs."]
        if event.title:
            fields.append(("title", event.title))
        else:
            comments.append("No headline or text could be imported: add 'title:' and 'summary:'.")
        fields.append(("date", event.date))
        if event.end is not None:
            fields.append(("end", event.end))
        if event.summary:
            fields.append(("summary", event.summary))
        fields.append(("tracks", [Plain(t) for t in event.tracks]))
        if event.status != "occurred":
            fields.append(("status", Plain(event.status)))
        if event.location:
            fields.append(("location", event.location))
        if event.sources:
            fields.append(("sources", [Plain(s) for s in event.sources]))
        else:
            comments.append("No source could be imported: add 'sources:' with the id of at least one source.")
        suffix, text = fact_file(fields, event.body, comments)
        return f"events/{event.id}{suffix}", text

    def source_file(self, source: _Source) -> tuple[str, str]:
        fields: list[tuple[str, Any]] = [("title", source.title), ("publisher", source.publisher),
                                         ("url", source.url), ("kind", Plain(source.kind))]
        if source.note:
            fields.append(("note", source.note))
        return f"sources/{source.id}.yaml", yaml_text(
            fields, [f"Imported from {self.options.origin} by dyad import timelinejs."])

    def config_files(self, title_slide: Any) -> dict[str, str]:
        """`dyad.yaml` (and a country file per focus id the folder lacks) for a folder that has none."""
        files: dict[str, str] = {}
        text = title_slide.get("text") if isinstance(title_slide, dict) else None
        text = text if isinstance(text, dict) else {}
        title = one_line(str(self.meta.get("site") or "")) or one_line(html_to_text(str(text.get("headline") or "")))
        if not title and one_line(html_to_text(str(text.get("text") or ""))):
            title = _shorten(one_line(html_to_text(str(text.get("text")))))
            self.report.note("title", "no title slide headline: the site's title is the start of its text; check it")
        elif not title:
            title = "Imported timeline"
            self.report.note("title", "no title slide: the site is called 'Imported timeline'")
        description = ""
        if not self.meta:
            description = one_line(html_to_text(str(text.get("text") or "")))
        names = {str(c.get("id")): str(c.get("name")) for c in self.meta.get("focus", []) if isinstance(c, dict)}
        focus = [f for f in self.options.focus if ID_PATTERN.match(f)] or [f for f in names if ID_PATTERN.match(f)]
        for country in focus:
            if country not in self.existing.ids:
                name = names.get(country) or country.replace("-", " ").title()
                files[f"countries/{country}.yaml"] = yaml_text([("name", name)], [
                    "Written by dyad import timelinejs as a country the site covers; check the name."])
        dates = [d for e in self.events for d in (e.date, e.end) if d is not None]
        as_of_text = str(self.meta.get("as_of") or "")
        as_of = PartialDate.parse(as_of_text) if PartialDate.PATTERN.match(as_of_text) else (
            max(dates, key=lambda d: d.latest()) if dates else None)
        fields: list[tuple[str, Any]] = [("title", title)]
        if description:
            fields.append(("description", description))
        comments = [f"Written by dyad import timelinejs from {self.options.origin}."]
        if focus:
            fields.append(("focus", [Plain(f) for f in focus]))
        else:
            comments.append("Add 'focus:' with the ids of the countries the site covers (files in countries/).")
            self.report.note(CONFIG_FILE, "no countries to cover were given: add 'focus:' (or import with --focus)")
        if as_of is not None:
            fields.append(("as_of", as_of))
        fields.append(("tracks", [{"id": Plain(t), "title": title} for t, title in self.track_titles.items()]))
        files[CONFIG_FILE] = yaml_text(fields, comments)
        return files

    def run(self) -> ImportReport:
        data = self.data
        if not isinstance(data, dict) or not isinstance(data.get("events"), list):
            self.report.fail("not a TimelineJS 3 file: the top level must be an object with an 'events' list")
            return self.report
        for name in sorted(set(data) - {"title", "events", "eras", "scale", "dyad"}):
            self.report.note(name, "not a TimelineJS field; ignored")
        self.taken = set()
        for index, slide in enumerate(data["events"]):
            event = self.slide(slide, f"events[{index}]")
            if event is not None:
                self.events.append(event)
                self.report.count("events")
        seen = {(e.title, e.date, e.end) for e in self.events}
        eras = _list(data.get("eras"))
        for index, era in enumerate(eras):
            where = f"eras[{index}]"
            kept, self.report = self.report, ImportReport()  # an era repeating a slide adds no notes of its own
            event = self.slide(era, where, era=True)
            notes, self.report = self.report.notes, kept
            if event is not None and (event.title, event.date, event.end) in seen:
                self.taken.discard(event.id)
                self.report.note(where, "same as an event in the file; imported once")
                continue
            for message, places in notes.items():
                for place in places:
                    self.report.note(place, message)
            if event is None:
                continue
            self.events.append(event)
            self.report.count("eras as spanning events")
        if not self.events:
            self.report.fail("no slide could be imported (see the notes above); nothing was written")
            return self.report
        if isinstance(data.get("title"), dict) and (data["title"].get("media") or data["title"].get("background")):
            self.report.note("title", "title slide media and background dropped")
        files = dict(self.event_file(e) for e in self.events)
        files.update(self.source_file(s) for s in self.sources.values())
        for _ in self.sources:
            self.report.count("sources")
        if self.existing.has_config:
            missing = {t: title for t, title in self.track_titles.items() if t not in self.existing.tracks}
            for track_id, title in missing.items():
                self.report.note(CONFIG_FILE, f"declare track '{track_id}' under 'tracks:': "
                                              f"- {{id: {track_id}, title: {clean(title)!r}}}")
            if self.options.focus:
                self.report.note(CONFIG_FILE, "--focus ignored: the folder already has dyad.yaml")
        else:
            files.update(self.config_files(data.get("title")))
        self.report.write(self.into, files, self.options.overwrite)
        return self.report


def import_timeline(data: Any, into: Path, options: TimelineOptions = TimelineOptions()) -> ImportReport:
    """Convert a parsed TimelineJS document into fact files under `into`; returns what was done and not done."""
    return _Importer(data, into, options).run()
