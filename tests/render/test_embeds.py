"""```dyad blocks in hand-written pages: live data, validated at the page's own lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import prepare_site
from generator.errors import Diagnostics
from generator.render.embeds import expand
from generator.render.pages import SiteRenderer

MINI = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mini" / "content"


@pytest.fixture(scope="module")
def renderer() -> SiteRenderer:
    prepared = prepare_site(MINI)
    assert prepared.renderer is not None
    return prepared.renderer


def run(markdown: str, renderer: SiteRenderer) -> tuple[str, list[str]]:
    diagnostics = Diagnostics()
    out = expand(markdown, "site_src/page.md", "page/", renderer, diagnostics)
    return out, [d.format() for d in diagnostics.sorted()]


def test_events_block_filters_and_orders(renderer: SiteRenderer) -> None:
    out, errors = run("# P\n\n```dyad\nshow: events\ntrack: trade\norder: oldest\n```\n", renderer)
    assert errors == []
    assert out.index("Port North summit") < out.index("Trade talks planned")
    assert "Northern Forum founded" not in out
    assert 'href="../events/2026-09-trade-talks/"' in out


def test_figure_block_shows_a_computed_value_with_its_series(renderer: SiteRenderer) -> None:
    out, errors = run("```dyad\nshow: figure\nseries: northland-balance\nperiod: 2025\n```\n", renderer)
    assert errors == []
    assert "2.3 USD bn" in out and 'href="../series/northland-balance/"' in out


def test_pending_block_lists_scheduled_events(renderer: SiteRenderer) -> None:
    out, _ = run("```dyad\nshow: pending\n```\n", renderer)
    assert "Trade talks planned" in out and "Port North summit" not in out


def test_block_errors_name_the_page_line_and_field(renderer: SiteRenderer) -> None:
    page = "# P\n\ntext\n\n```dyad\nshow: events\ntrak: trade\n```\n\n```dyad\nshow: figure\nseries: nope\n```\n"
    out, errors = run(page, renderer)
    assert errors == [
        "site_src/page.md:7:1: error: trak: unknown field (did you mean 'track'?)",
        "site_src/page.md:12:9: error: series: 'nope' is not a series in the record",
    ]
    assert "```dyad" not in out


def test_block_with_bad_yaml_is_reported_not_raised(renderer: SiteRenderer) -> None:
    _, errors = run("```dyad\nshow: [events\n```\n", renderer)
    assert len(errors) == 1 and errors[0].startswith("site_src/page.md:3:")


def test_due_block_lists_open_commitments_by_target(renderer: SiteRenderer) -> None:
    out, errors = run("```dyad\nshow: due\n```\n", renderer)
    assert errors == []
    assert "Double trade by 2030" in out and "in progress" in out and '<time datetime="2030">2030</time>' in out
