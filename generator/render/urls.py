"""Permalinks. Once published a URL never changes, so every URL the site makes comes from here."""

from __future__ import annotations

import functools
import posixpath

from ..model import Commitment, Record, Series, Source, Unchecked

HOME = ""
TIMELINE = "timeline/"
TRACKS = "tracks/"
SOURCES = "sources/"
COMMITMENTS = "commitments/"
TRADE = "trade/"
DATA = "data/"
SERIES_INDEX = "series/"
CORRECTIONS = "corrections/"
CHANGES = "changes/"

# Data files are permalinks too: readers script against them.
CORPUS_JSON = "data/dyad.json"
CORPUS_SCHEMA = "data/dyad.schema.json"
EVENTS_CSV = "data/events.csv"
SERIES_CSV = "data/series.csv"
TIMELINE_JSON = "data/timeline.json"
FEED = "feed.xml"
CALENDAR = "calendar.ics"


def series_csv(series_id: str) -> str:
    return f"data/series/{series_id}.csv"


def feed_of(page_url: str) -> str:
    """The Atom feed beside a track's or entity's page: `tracks/trade/` → `tracks/trade/feed.xml`."""
    return f"{page_url}{FEED}"


def record_url(record: Record) -> str:
    """Site-relative URL of a record: its own page, or its anchor on a shared list page."""
    if isinstance(record, Source):
        return f"{SOURCES}#{record.id}"
    if isinstance(record, Commitment):
        return f"{COMMITMENTS}#{record.id}"
    if isinstance(record, Unchecked):  # pragma: no cover - a corpus with errors is never rendered
        raise ValueError(f"{record.id} failed validation and has no page")
    if isinstance(record, Series):
        return f"{SERIES_INDEX}{record.id}/"
    return f"{record.folder}/{record.id}/"


def kind_index_url(folder: str) -> str:
    return f"{folder}/"


def track_url(track_id: str) -> str:
    return f"{TRACKS}{track_id}/"


def year_url(year: int) -> str:
    return f"{TIMELINE}{year}/"


def url_of_src(src_uri: str) -> str:
    """The URL MkDocs gives a Markdown file with directory URLs: `events/x.md` → `events/x/`."""
    path = src_uri[: -len(".md")]
    if path == "index":
        return HOME
    if path.endswith("/index"):
        path = path[: -len("/index")]
    return f"{path}/"


RELATIVE_CACHE_SIZE = 1 << 15  # links between the same two URLs recur within a page and across pages


@functools.lru_cache(maxsize=RELATIVE_CACHE_SIZE)
def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` that works at any mount point and offline.

    Site URLs are plain paths from the site root (`events/x/`, `data/dyad.json`), so the link is string
    arithmetic: drop the folders both share, climb one `../` per folder left in `from_url`. Anything else (an
    empty, `.` or `..` segment, a leading `/`) goes through `posixpath.relpath`, which gives the same answer for
    plain paths and normalises the rest."""
    target, _, fragment = to_url.partition("#")
    if fragment and target == from_url:
        return f"#{fragment}"
    here = from_url.rstrip("/")
    there = target.rstrip("/")
    if _plain(here) and _plain(there):
        if not here:
            path = there or "."
        else:
            up = here.split("/")
            down = there.split("/") if there else []
            shared = 0
            for mine, theirs in zip(up, down):
                if mine != theirs:
                    break
                shared += 1
            path = "/".join([".."] * (len(up) - shared) + down[shared:]) or "."
    else:
        path = _relpath(here or ".", there or ".")
    if target.endswith("/") or target == "":
        path = "./" if path == "." else path + "/"
    return path + (f"#{fragment}" if fragment else "")


def _plain(path: str) -> bool:
    """A path with no empty, `.` or `..` segment (the empty path, the site root, counts as plain)."""
    if not path:
        return True
    if path[0] == "/" or "//" in path:
        return False
    if "." not in path:
        return True
    framed = f"/{path}/"
    return "/./" not in framed and "/../" not in framed


def _relpath(here: str, there: str) -> str:
    return posixpath.relpath(there, here) if here != "." else there
