"""Rendering only the pages a change touches gives the same site as rendering everything again.

Each case edits the real India–US content the way an editor would (a title, a date, a name, a deleted or added
file), renders again only `pages_showing()` of the changed records (asked before and after the change), keeps
every other page from before, and compares the result with a full render of the edited content."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pytest

from generator.history import History
from generator.pipeline import ModelMemo, check
from generator.render.affected import changed_records, pages_showing
from generator.render.pages import SiteRenderer, make_environment

REPO = Path(__file__).resolve().parents[2]


def _renderer(content: Path, memo: ModelMemo) -> SiteRenderer:
    result = check(content, memo)
    assert result.corpus is not None, result.diagnostics.report(result.files)
    return SiteRenderer(result.corpus, make_environment(), history=History(available=False))


def _rendered(renderer: SiteRenderer, only: set[str] | None = None) -> dict[str, tuple[str, str]]:
    return {src: (page.markdown, page.head) for src, make in renderer.page_makers().items()
            if only is None or src in only for page in [make()]}


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a save the loader must notice


def _replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        file = content / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{path} no longer holds {old!r}: pick another line for this case"
        _write(file, text.replace(old, new, 1))
    return edit


def _delete(path: str) -> Callable[[Path], None]:
    return lambda content: (content / path).unlink()


def _rename(path: str, new_path: str) -> Callable[[Path], None]:
    """Rename a record's file and every reference to it, as an editor would."""
    old_id, new_id = Path(path).stem, Path(new_path).stem

    def edit(content: Path) -> None:
        (content / path).rename(content / new_path)
        for file in content.rglob("*.yaml"):
            text = file.read_text(encoding="utf-8")
            if old_id in text:
                _write(file, text.replace(old_id, new_id))
    return edit


def _add_event(content: Path) -> None:
    _write(content / "events" / "2026-10-30-test-added-event.yaml",
           "title: A test event added while serving\ndate: 2026-10-30\nsummary: Added by a test.\n"
           "tracks: [trade, diplomacy]\nimportance: 2\nactors:\n  - {id: bill-clinton, role: Test}\n"
           "sources: [business-standard-2000-03-20-clinton-arrives]\n")


EVENT = "events/2000-03-19-clinton-visits-india.yaml"
EDITS = {
    "event title": _replace(EVENT, "title: Bill Clinton visits India", "title: Bill Clinton visits India (edited)"),
    "event date moves it to another year": _replace(EVENT, "date: 2000-03-19\nend: 2000-03-25",
                                                    "date: 2003-03-19\nend: 2003-03-25"),
    "event loses an actor": _replace(EVENT, "  - {id: atal-bihari-vajpayee, role: Prime Minister of India}\n", ""),
    "event changes track": _replace(EVENT, "tracks: [diplomacy]", "tracks: [defence]"),
    "person renamed": _replace("people/bill-clinton.yaml", "name: Bill Clinton", "name: William J. Clinton"),
    "source retitled": _replace("sources/business-standard-2000-03-20-clinton-arrives.yaml",
                                'title: "Bill Clinton', 'title: "Edited: Bill Clinton'),
    "event added": _add_event,
    "event deleted": _delete("events/2000-03-21-vision-statement.yaml"),
    "event renamed": _rename(EVENT, "events/2000-03-19-clinton-in-india.yaml"),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(REPO / "content", tmp_path_factory.mktemp("pristine") / "content"))


@pytest.mark.parametrize("name", sorted(EDITS))
def test_rendering_only_affected_pages_equals_rendering_all(name: str, pristine: Path, tmp_path: Path) -> None:
    content = Path(shutil.copytree(pristine, tmp_path / "content"))
    if name == "event deleted":  # nothing else may name it, or the deletion is an error
        for path in content.rglob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            if "2000-03-21-vision-statement" in text and path.stem != "2000-03-21-vision-statement":
                _write(path, text.replace(", 2000-03-21-vision-statement", "")
                       .replace("related: [2000-03-21-vision-statement]\n", ""))
    memo = ModelMemo()
    before = _renderer(content, memo)
    pages = _rendered(before)
    EDITS[name](content)
    after = _renderer(content, memo)
    changed = changed_records(before.corpus.records, after.corpus.records)
    assert changed, "the edit changed no record"
    touched = pages_showing(before, changed) | pages_showing(after, changed)
    makers = after.page_makers()
    incremental = {src: pages[src] for src in makers if src not in touched and src in pages}
    incremental.update(_rendered(after, {src for src in makers if src in touched or src not in pages}))
    full = _rendered(after)
    assert incremental.keys() == full.keys()
    stale = [src for src in full if incremental[src] != full[src]]
    assert not stale, f"{name}: pages not rendered again but changed: {stale}"
    assert len(touched) < len(full) / 2, "the change touched most of the site: the rules are too coarse"


def test_unchanged_files_keep_their_records(pristine: Path) -> None:
    memo = ModelMemo()
    first = check(pristine, memo).corpus
    second = check(pristine, memo).corpus
    assert first is not None and second is not None
    assert not changed_records(first.records, second.records)
