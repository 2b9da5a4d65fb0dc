"""Fixtures for the data-in-and-out tests: the mini corpus resolved once, its export files, the reference
TimelineJS files, and a runner for the `dyad` command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.corpus import Corpus
from generator.pipeline import check

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini" / "content"
REFERENCE = REPO.parent / "shared" / "reference" / "timelinejs"
REFERENCE_FILES = sorted(REFERENCE.glob("*.json"))
SITE = "https://example.org/site/"


def resolved(content: Path) -> Corpus:
    result = check(content)
    assert result.corpus is not None and result.ok, result.diagnostics.report(result.files)
    return result.corpus


@pytest.fixture(scope="session")
def mini() -> Corpus:
    return resolved(MINI)


def run(*args: Any) -> Result:
    """Run `dyad ARGS…` in-process, keeping stdout and stderr apart."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def requires_reference() -> Any:
    return pytest.mark.skipif(not REFERENCE_FILES, reason="shared/reference/timelinejs is not beside the repo")
