"""Shared fixtures: a tiny content corpus written under tmp_path, and `dyad check` run on it.

`make_content(files)` writes a valid base corpus (site settings, two countries, one cited source) and then the
given files over it, so a test names only the files it is about. `run_check()` runs the pipeline with the working
directory at tmp_path, so every diagnostic path reads `content/<folder>/<file>` as an editor would see it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping, Protocol

import pytest

from generator.pipeline import CheckResult, check

BASE_FILES: dict[str, str] = {
    "dyad.yaml": (
        "title: India–US relations\n"
        "focus: [india, united-states]\n"
        "as_of: 2026-11-24\n"
        "tracks:\n"
        "  - {id: trade, title: Trade}\n"
        "  - {id: diplomacy, title: Diplomacy}\n"
    ),
    "countries/india.yaml": "name: India\niso: IN\nsources: [s1]\n",
    "countries/united-states.yaml": "name: United States\niso: US\n",
    "sources/s1.yaml": (
        "title: A source\n"
        "publisher: A publisher\n"
        "url: https://example.org/s1\n"
        "kind: news\n"
    ),
}

FileContent = str | bytes


class MakeContent(Protocol):
    def __call__(self, files: Mapping[str, FileContent] | None = None, *, base: bool = True) -> Path: ...


@pytest.fixture
def make_content(tmp_path: Path) -> MakeContent:
    """Write a corpus under tmp_path/content: the base files (unless base=False), then `files` over them.

    Values may be str (written as UTF-8) or bytes (written as they are)."""

    def make(files: Mapping[str, FileContent] | None = None, *, base: bool = True) -> Path:
        root = tmp_path / "content"
        root.mkdir(exist_ok=True)
        merged: dict[str, FileContent] = dict(BASE_FILES) if base else {}
        merged.update(files or {})
        for relative, content in merged.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


RunCheck = Callable[[], CheckResult]


@pytest.fixture
def run_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunCheck:
    """Run `pipeline.check` on tmp_path/content with the cwd at tmp_path, so paths read `content/…`."""
    monkeypatch.chdir(tmp_path)

    def run() -> CheckResult:
        return check(Path("content"))

    return run
