"""The India–US site end to end: a strict build of the real content and hand-written pages, every link sound,
every record reachable from the home page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from posixpath import dirname, join, normpath

import pytest

from generator.linkcheck import check_links
from generator.plugin import build_site

REPO = Path(__file__).resolve().parents[2]
PAGE_FOLDERS = ("events", "people", "countries", "organizations", "agreements", "initiatives", "series")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    build_site(REPO / "mkdocs.yml", out, content_dir=REPO / "content", strict=True)
    return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v and tag == "a"]


def test_the_strict_build_has_no_broken_link_or_anchor(site: Path) -> None:
    assert [b.format() for b in check_links(site, "/india-us/")] == []


def test_every_record_page_is_reachable_from_the_home_page(site: Path) -> None:
    seen, queue = set(), ["index.html"]
    while queue:
        page = queue.pop()
        if page in seen or not (site / page).is_file():
            continue
        seen.add(page)
        parser = _Links()
        parser.feed((site / page).read_text(encoding="utf-8"))
        for href in parser.hrefs:
            path = href.split("#")[0]
            if path and "://" not in path and not path.startswith(("mailto:", "/")) and not path.endswith(
                    (".xml", ".csv", ".json", ".ics")):
                target = normpath(join(dirname(page), path))
                queue.append(target if target.endswith(".html") else target + "/index.html")
    missing = [f"{folder}/{record.stem}" for folder in PAGE_FOLDERS
               for record in sorted((REPO / "content" / folder).glob("*.*"))
               if f"{folder}/{record.stem}/index.html" not in seen]
    assert missing == []


def test_every_source_and_commitment_has_its_anchor(site: Path) -> None:
    sources = (site / "sources" / "index.html").read_text(encoding="utf-8")
    commitments = (site / "commitments" / "index.html").read_text(encoding="utf-8")
    assert all(f'id="{p.stem}"' in sources for p in (REPO / "content" / "sources").glob("*.yaml"))
    assert all(f'id="{p.stem}"' in commitments for p in (REPO / "content" / "commitments").glob("*.yaml"))
