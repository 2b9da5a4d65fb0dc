"""Diagnostics as data: every problem Dyad finds is collected, sorted and reported at once.

A diagnostic names the file, line and column, the field when there is one, what is wrong, and a hint on how to
fix it, so an editor never has to guess where to look.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    """How bad a diagnostic is: errors stop a build, warnings do not (unless the build is strict)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file: 1-based line and column, as editors count them."""

    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Diagnostic:
    """One problem at one place."""

    path: str
    position: Position
    message: str
    hint: str = ""
    field: str = ""
    severity: Severity = Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.position.line, self.position.column, self.message)

    def format(self) -> str:
        """The one-line form: `path:line:col: error: message (hint)`. Always one line: control characters in a
        value are shown escaped, so content can neither forge a diagnostic line nor drive the terminal."""
        where = f"{printable(self.path)}:{self.position.line}:{self.position.column}"
        subject = f"{printable(self.field)}: " if self.field else ""
        hint = f" ({printable(self.hint)})" if self.hint else ""
        return f"{where}: {self.severity.value}: {subject}{printable(self.message)}{hint}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["line"] = self.position.line
        data["column"] = self.position.column
        data["severity"] = self.severity.value
        del data["position"]
        return data


@dataclass
class Diagnostics:
    """A collector: stages add to it and go on, so one run reports every problem in the corpus."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, position: Position, message: str, *, hint: str = "", field: str = "") -> None:
        self.items.append(Diagnostic(path, position, message, hint, field, Severity.ERROR))

    def warning(self, path: str, position: Position, message: str, *, hint: str = "", field: str = "") -> None:
        self.items.append(Diagnostic(path, position, message, hint, field, Severity.WARNING))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.sort_key(), d.format()): d for d in self.items}
        return [unique[key] for key in sorted(unique)]

    def report(self, files_checked: int) -> str:
        """Every diagnostic, one per line, then the summary line `N errors, M warnings in K files`."""
        lines = [d.format() for d in self.sorted()]
        lines.append(summary_line(len(self.errors), len(self.warnings), files_checked))
        return "\n".join(lines)

    def report_json(self, files_checked: int) -> str:
        return json.dumps(
            {
                "diagnostics": [d.to_json() for d in self.sorted()],
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "files": files_checked,
            },
            indent=2,
            ensure_ascii=False,
        )


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def summary_line(errors: int, warnings: int, files: int) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


class DyadError(Exception):
    """Raised when a stage cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Diagnostics, files_checked: int = 0) -> None:
        self.diagnostics = diagnostics
        self.files_checked = files_checked
        super().__init__(diagnostics.report(files_checked))


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the editor would type it: relative to the working directory when it lies below it."""
    base = (root if root is not None else Path.cwd()).absolute()
    try:  # absolute(), not resolve(): a refused symlink is reported where it sits, not where it points
        return path.absolute().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()
