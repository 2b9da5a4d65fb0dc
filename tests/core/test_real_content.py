"""The India–US corpus in content/ passes `dyad check` (skipped until content/dyad.yaml exists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not (REPO / "content" / "dyad.yaml").is_file(), reason="content/dyad.yaml is not written yet")
def test_real_corpus_passes_dyad_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["check", "content"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("0 errors, ")
