"""What an import did and what it could not carry over, said so an editor can act on it.

Notes are grouped by message, each with the places in the input it applies to (`events[3]`, `row 12`), so a file
with a hundred slides that all have a background says so once. Files are written only when they do not exist yet
(or when overwriting was asked for). Entry point: `ImportReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import display_path

MAX_PLACES = 8


@dataclass
class ImportReport:
    """The outcome of one import."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    failure: str = ""

    def fail(self, message: str) -> None:
        """The input cannot be imported at all; nothing is written."""
        self.failure = message

    def note(self, where: str, message: str) -> None:
        places = self.notes.setdefault(message, [])
        if where not in places:
            places.append(where)

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def write(self, root: Path, files: dict[str, str], overwrite: bool) -> None:
        """Write `files` (path under root → text), keeping any file that exists unless `overwrite`."""
        for relative, text in sorted(files.items()):
            path = root / relative
            twins = [path.with_suffix(s) for s in (".yaml", ".md")] if path.suffix in (".yaml", ".md") else [path]
            present = [p for p in twins if p.exists()]
            if present and not overwrite:
                self.kept.append(present[0])
                continue
            for old in present:
                old.unlink()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.written.append(path)

    def lines(self) -> list[str]:
        """The notes, one line each: `message: place, place …`."""
        out = []
        for message, places in self.notes.items():
            shown = ", ".join(places[:MAX_PLACES])
            more = f" and {len(places) - MAX_PLACES} more" if len(places) > MAX_PLACES else ""
            out.append(f"{message}: {shown}{more}" if places and places != [""] else message)
        return out

    def summary(self) -> str:
        done = ", ".join(f"{n} {what}" for what, n in self.counts.items()) or "nothing"
        kept = (f"; {len(self.kept)} files already there were kept as they were (--overwrite replaces them): "
                + ", ".join(display_path(p) for p in self.kept[:MAX_PLACES])) if self.kept else ""
        return f"imported {done}; wrote {len(self.written)} files{kept}"
