"""Golden pages: the generated Markdown of the mini corpus, compared byte for byte.

Refresh after an intended change with `make golden` (DYAD_UPDATE_GOLDEN=1), then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import prepare_site
from generator.history import History

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini" / "content"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("DYAD_UPDATE_GOLDEN") == "1"


def rendered() -> dict[str, str]:
    # No git history: golden pages must not change with every commit (history has its own tests).
    prepared = prepare_site(MINI, site_url="https://example.org/site/", history=History(available=False))
    assert prepared.ok, prepared.diagnostics.report(prepared.files)
    return {page.src_uri: page.markdown + ("\n<!-- head -->\n" + page.head if page.head else "")
            for page in prepared.pages}


PAGES = rendered()


def test_golden_set_has_no_stale_pages() -> None:
    if UPDATE:
        for stale in set(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")) - set(PAGES):
            (GOLDEN / stale).unlink()
    assert sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")) == sorted(PAGES)


@pytest.mark.parametrize("src_uri", sorted(PAGES))
def test_page_matches_its_golden_file(src_uri: str) -> None:
    golden = GOLDEN / src_uri
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(PAGES[src_uri], encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == PAGES[src_uri]
