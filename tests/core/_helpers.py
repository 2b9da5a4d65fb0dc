"""Small helpers the core tests share (fixtures live in tests/conftest.py)."""

from __future__ import annotations

from generator.errors import Diagnostic
from generator.pipeline import CheckResult

VALID_EVENT = (
    "title: Jaishankar meets Rubio\n"
    "date: 2026-02-03\n"
    "summary: The two ministers met in Washington.\n"
    "tracks: [diplomacy]\n"
    "sources: [s1]\n"
)

VALID_SERIES = (
    "title: US goods exports to India\n"
    "unit: USD bn\n"
    "frequency: year\n"
    "points:\n"
    "  - {period: 2010, value: 19.249, source: s1}\n"
)


def md(front_matter: str, body: str) -> str:
    """A Markdown record: front matter between '---' fences, then the body."""
    return f"---\n{front_matter}---\n{body}"


def lines_about(result: CheckResult, path: str) -> list[str]:
    """The formatted diagnostics (as `dyad check` prints them) about one file, in report order."""
    return [d.format() for d in result.diagnostics.sorted() if d.path == path]


def report_lines(result: CheckResult) -> list[str]:
    """Every formatted diagnostic, without the summary line."""
    return [d.format() for d in result.diagnostics.sorted()]


def diagnostics_about(result: CheckResult, path: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics.sorted() if d.path == path]
