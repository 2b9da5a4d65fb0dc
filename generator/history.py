"""When each fact file was first published and last changed, read from git, never from the build clock.

One `git log` over the content folder gives every file's commits (date and message), so the cost does not grow
with a call per file. Renames start a new history (git's rename detection is a guess). Outside a git checkout
(a tarball) there is no history, and the site says so rather than inventing dates. Entry point: `read_history()`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .model import PartialDate

RECORD_SEPARATOR = "\x1e"


@dataclass(frozen=True)
class Change:
    """One commit that touched a record's file."""

    date: PartialDate
    message: str
    commit: str


@dataclass
class History:
    """Commits per file (absolute path), newest first; `available` is False outside a git checkout."""

    available: bool
    changes: dict[str, list[Change]] = field(default_factory=dict)

    def of(self, file: str) -> list[Change]:
        return self.changes.get(str(Path(file).resolve()), [])

    def first_published(self, file: str) -> PartialDate | None:
        found = self.of(file)
        return found[-1].date if found else None

    def last_changed(self, file: str) -> PartialDate | None:
        found = self.of(file)
        return found[0].date if found else None


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                                errors="replace", check=False)
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def read_history(content_dir: Path) -> History:
    """Every commit that touched a file below `content_dir`, by file."""
    content_dir = content_dir.absolute()
    top = _git(["rev-parse", "--show-toplevel"], content_dir) if content_dir.is_dir() else None
    if top is None:
        return History(available=False)
    root = Path(top.strip()).resolve()
    log = _git(["log", "--no-renames", "--date=short", f"--format={RECORD_SEPARATOR}%H%x09%ad%x09%s", "--name-only",
                "--", str(content_dir)], content_dir)
    if log is None:
        return History(available=False)
    history = History(available=True)
    for entry in log.split(RECORD_SEPARATOR):
        lines = [line for line in entry.splitlines() if line.strip()]
        if not lines:
            continue
        commit, date, message = (lines[0].split("\t", 2) + ["", ""])[:3]
        change = Change(PartialDate.parse(date), message.strip(), commit[:12])
        for name in lines[1:]:
            history.changes.setdefault(str(root / name), []).append(change)
    return history
