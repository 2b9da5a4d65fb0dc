"""The India–US site end to end: a strict build of the real content and hand-written pages, every link sound,
every record reachable from the home page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.linkcheck import check_links, reachable_pages
from generator.plugin import build_site

REPO = Path(__file__).resolve().parents[2]
PAGE_FOLDERS = ("events", "people", "countries", "organizations", "agreements", "initiatives", "series")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    build_site(REPO / "mkdocs.yml", out, content_dir=REPO / "content", strict=True)
    return out


def test_the_strict_build_has_no_broken_link_or_anchor(site: Path) -> None:
    assert [b.format() for b in check_links(site, "/india-us/")] == []


def test_every_record_page_is_reachable_from_the_home_page(site: Path) -> None:
    seen = reachable_pages(site)
    missing = [f"{folder}/{record.stem}" for folder in PAGE_FOLDERS
               for record in sorted((REPO / "content" / folder).glob("*.*"))
               if f"{folder}/{record.stem}/index.html" not in seen]
    assert missing == []


def test_every_source_and_commitment_has_its_anchor(site: Path) -> None:
    sources = (site / "sources" / "index.html").read_text(encoding="utf-8")
    commitments = (site / "commitments" / "index.html").read_text(encoding="utf-8")
    assert all(f'id="{p.stem}"' in sources for p in (REPO / "content" / "sources").glob("*.yaml"))
    assert all(f'id="{p.stem}"' in commitments for p in (REPO / "content" / "commitments").glob("*.yaml"))
