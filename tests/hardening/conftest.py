"""Fixtures for the hardening suite.

Every hostile input must end one of two ways, and each test says which:

(a) refused: `dyad check` prints `path:line:col: error: …` for it and exits 1, and a build over an existing site
    fails and leaves that site byte-identical with no staging folder beside it (`Refusal.assert_refused`);
(b) neutralised: it is accepted, and what reaches the output cannot run and reads exactly as written.

The parent conftest (tests/conftest.py) gives `make_content` (a small valid base corpus under tmp_path/content)
and `run_check`; tests/plugin/conftest.py gives `make_project` (mkdocs.yml + site_src + a content copy).
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import pytest
from click.testing import CliRunner

from generator.cli import main as dyad_cli
from generator.pipeline import CheckResult, check
from generator.plugin import build_site
from tests.plugin.conftest import MINI, REPO, make_project

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
# The path the site is published under (mkdocs.yml's site_url): 404.html links absolutely below it.
BASE_PATH = "/india-us/"

__all__ = ["BASE_PATH", "CORPUS", "MINI", "REPO", "PreviousSite", "Refusal", "hardening_project", "tree_bytes",
           "staging_leftovers"]


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def staging_leftovers(parent: Path) -> list[str]:
    """Folders a build leaves beside its output (`.site-new-…`, `.site-old`) when it does not clean up."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site"))


# The hand-written pages of the throw-away projects. The repository's own pages are written for the real corpus
# (they name its series and tracks), so the projects keep only its assets/ (theme CSS, the chart script) and get
# these two pages instead: a home page with live ```dyad blocks, and a methodology page with a few headings.
HOME_PAGE = """# Home

The record, fact by fact.

```dyad
show: events
limit: 3
summaries: true
```

## Tracks

```dyad
show: tracks
```
"""
METHODOLOGY_PAGE = """# Methodology

## Confidence labels

Each fact carries a confidence label.

## Voice

The record reports and attributes claims.
"""


def hardening_project(root: Path, content: Path = MINI) -> Path:
    """`make_project` (mkdocs.yml, site_src/, a copy of `content`), with site_src/ holding the repository's assets/
    and the two pages above; returns mkdocs.yml."""
    config = make_project(root, content)
    for path in (root / "site_src").iterdir():
        if path.name != "assets":
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    (root / "site_src" / "index.md").write_text(HOME_PAGE, encoding="utf-8")
    (root / "site_src" / "methodology.md").write_text(METHODOLOGY_PAGE, encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One throw-away project (mkdocs.yml, site_src/, a copy of the mini corpus); returns mkdocs.yml."""
    return hardening_project(tmp_path_factory.mktemp("hardening") / "project")


@dataclass(frozen=True)
class PreviousSite:
    """A good build of the mini corpus, kept as bytes: every failed build must leave a copy of it unchanged."""

    path: Path
    snapshot: dict[str, bytes]

    def copy_to(self, target: Path) -> Path:
        shutil.copytree(self.path, target)
        return target


@pytest.fixture(scope="session")
def previous_site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> PreviousSite:
    out = tmp_path_factory.mktemp("previous") / "site"
    build_site(project, out)
    return PreviousSite(out, tree_bytes(out))


class Refusal:
    """Writes a corpus under tmp_path/content and proves it is refused the (a) way, end to end."""

    def __init__(self, tmp_path: Path, project: Path, previous: PreviousSite, caplog: pytest.LogCaptureFixture,
                 make_content) -> None:
        self.tmp_path = tmp_path
        self.project = project
        self.previous = previous
        self.caplog = caplog
        self._make_content = make_content
        self.content = tmp_path / "content"

    def write(self, files: Mapping[str, str | bytes] | None = None, *, base: bool = True) -> Path:
        """The base corpus (unless base=False) with `files` written over it; returns the content folder."""
        return self._make_content(files or {}, base=base)

    def copy_corpus_file(self, relative: str, as_name: str | None = None) -> str:
        """Copy tests/hardening/corpus/<relative> into content/ (keeping its folder); returns its display path."""
        target = Path(relative) if as_name is None else Path(relative).with_name(as_name)
        self.write({target.as_posix(): (CORPUS / relative).read_bytes()})
        return f"content/{target.as_posix()}"

    def check(self) -> CheckResult:
        return check(Path("content"))

    def assert_refused(self, at: str, message: str, *, build: bool = True) -> CheckResult:
        """`at` is the expected `path:line:col` (or `path:line:` for any column); `message` a part of the text.

        Checks, in order: the pipeline reports exactly that place with that message as an error; `dyad check`
        prints the same line and exits 1; and (unless build=False) a build over a copy of the previous site
        fails, names the same place, and leaves the copy byte-identical with no staging folder beside it."""
        result = self.check()
        lines = [d.format() for d in result.diagnostics.sorted()]
        place = re.escape(at) + (r"\d+" if at.endswith(":") else "")  # `path:line:` leaves the column open
        matching = [line for line in lines if re.match(place + ": error: ", line) and message in line]
        assert matching, f"expected an error at {at} saying {message!r}; got:\n" + "\n".join(lines)
        assert not result.ok

        cli = CliRunner().invoke(dyad_cli, ["check", "content"])
        assert cli.exit_code == 1, cli.output
        assert matching[0] in cli.output.splitlines(), cli.output

        if build:
            site = self.previous.copy_to(self.tmp_path / "site")
            self.caplog.clear()
            with self.caplog.at_level(logging.WARNING), pytest.raises(SystemExit):
                build_site(self.project, site, content_dir=self.content)
            assert matching[0] in self.caplog.text, self.caplog.text
            assert tree_bytes(site) == self.previous.snapshot, "the failed build changed the previous site"
            assert staging_leftovers(self.tmp_path) == []
        return result


@pytest.fixture
def refusal(tmp_path: Path, project: Path, previous_site: PreviousSite, caplog: pytest.LogCaptureFixture,
            make_content, monkeypatch: pytest.MonkeyPatch) -> Refusal:
    monkeypatch.chdir(tmp_path)  # diagnostics read content/<folder>/<file>, as an editor would type them
    return Refusal(tmp_path, project, previous_site, caplog, make_content)
