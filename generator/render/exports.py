"""Files the site publishes beside its pages (downloads, feeds, calendars), keyed by their path in the site.

Each format lives in its own module in `generator/interop/`; this gathers them for the build. Every file is a
function of the corpus and the site URL only, so the same content always gives byte-identical files.
"""

from __future__ import annotations

from ..corpus import Corpus
from ..interop.atom import atom_feeds
from ..interop.csv_out import csv_files
from ..interop.downloads import CALENDAR, TIMELINE_JSON
from ..interop.dyad_json import json_files
from ..interop.event_html import HtmlMemo
from ..interop.ical import calendar
from ..interop.timelinejs_out import dump_timeline, timeline


def export_files(corpus: Corpus, site_url: str) -> dict[str, str]:
    """Every export file: site-relative path (e.g. `data/dyad.json`) → text, in path order."""
    site_url = site_url.rstrip("/") + "/" if site_url else ""
    files: dict[str, str] = {}
    files.update(json_files(corpus, site_url))
    files.update(csv_files(corpus, site_url))
    html: HtmlMemo = {}  # events' HTML, made once for the feeds and the timeline where their links are the same
    files.update(atom_feeds(corpus, site_url, html))
    files[CALENDAR] = calendar(corpus, site_url)
    files[TIMELINE_JSON] = dump_timeline(timeline(corpus, site_url, html=html))
    return dict(sorted(files.items()))
