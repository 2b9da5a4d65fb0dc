"""End to end: `dyad build` puts every download, feed and calendar into the built site, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import icalendar

from generator.build import prepare_site
from generator.plugin import build_site

from .conftest import MINI, REPO


def make_project(root: Path) -> Path:
    """The repository's mkdocs.yml and site assets, with one plain home page (hand-written pages are the real
    site's, not the fixture's), beside a copy of the mini corpus."""
    shutil.copytree(REPO / "site_src" / "assets", root / "site_src" / "assets")
    (root / "site_src" / "index.md").write_text("# Home\n", encoding="utf-8")
    shutil.copytree(MINI, root / "content")
    config = root / "mkdocs.yml"
    config.write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return config


def test_the_built_site_serves_every_export(tmp_path: Path) -> None:
    build_site(make_project(tmp_path / "project"), tmp_path / "site")
    site_url = "https://dyad-project.github.io/india-us/"  # mkdocs.yml's site_url
    exports = prepare_site(MINI, site_url=site_url).exports
    assert exports
    for path, text in exports.items():
        assert (tmp_path / "site" / path).read_bytes() == text.encode("utf-8"), path
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.entries[0].link.startswith(site_url)
    calendar = icalendar.Calendar.from_ical((tmp_path / "site" / "calendar.ics").read_bytes())
    assert calendar.walk("VEVENT")
    assert (tmp_path / "site" / "data" / "index.html").read_text(encoding="utf-8").count(".csv") >= 5
