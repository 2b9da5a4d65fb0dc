"""Chart specs: valid Plotly figures, escaped text, stable output, words that match the numbers."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest

from generator.build import prepare_site
from generator.pipeline import check
from generator.render.charts import PLOTLY_CONFIG, plotly_asset, plotly_js_path, timeline_chart

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini" / "content"


@pytest.fixture(scope="module")
def charts() -> dict[str, dict]:
    prepared = prepare_site(MINI)
    assert prepared.renderer is not None
    return {name: chart.figure for name, chart in prepared.renderer.charts.items()}


def test_every_page_chart_is_a_valid_plotly_figure(charts: dict[str, dict]) -> None:
    assert {"timeline", "trade", "track-trade", "series-northland-balance", "person-ada-north"} <= set(charts)
    for name, figure in charts.items():
        go.Figure(data=figure["data"], layout=figure["layout"])  # raises on any property plotly does not know


def test_charts_carry_no_logo_no_cloud_button_and_no_default_template(charts: dict[str, dict]) -> None:
    for figure in charts.values():
        assert figure["config"] == PLOTLY_CONFIG
        assert figure["config"]["displaylogo"] is False and figure["config"]["showSendToCloud"] is False
        assert "template" not in figure["layout"]


def test_timeline_has_one_marker_per_event_and_spans_for_partial_dates(charts: dict[str, dict]) -> None:
    result = check(MINI)
    assert result.corpus is not None
    events = [t for t in charts["timeline"]["data"] if t["meta"] == "events"]
    assert sum(len(t["x"]) for t in events) == len(result.corpus.events)
    spans = [t for t in charts["timeline"]["data"] if t["meta"] == "span"]
    span_x = [x for t in spans for x in t["x"] if x]
    assert "2024-01-01" in span_x and "2024-12-31" in span_x  # a year-only date spans its year
    hovers = [c[0] for t in events for c in t["customdata"]]
    assert "2024" in hovers and "September 2026" in hovers  # dates at their precision, not a false day


def test_text_in_figures_is_escaped_against_plotly_markup(charts: dict[str, dict]) -> None:
    text = json.dumps(charts)
    assert "AT&amp;T &lt;Q1&gt;" in text
    assert "<Q1>" not in text


def test_trade_hover_names_each_point_source_and_marks_linked_events(charts: dict[str, dict]) -> None:
    trade = charts["trade"]
    exports = next(t for t in trade["data"] if t["name"] == "Northland exports to Southland")
    assert exports["type"] == "bar" and exports["y"] == [10.5, 12.25]
    assert exports["customdata"][0][1] == "Northland Statistics Office"
    balance = next(t for t in trade["data"] if "balance" in t["name"])
    assert balance["type"] == "scatter" and balance["y"] == [2.4, 2.3]
    assert [s["x0"] for s in trade["layout"]["shapes"]] == ["2025-03-01"]


def test_tariff_chart_is_a_step_line_with_announcements_kept_apart(charts: dict[str, dict]) -> None:
    figure = charts["series-southland-tariff-on-northland"]
    steps, announced = figure["data"]
    assert steps["line"]["shape"] == "hv" and steps["y"] == [10.0, 5.0, 5.0]
    assert steps["x"][-1] == "2026-06-30"  # the last rate holds until the corpus's as_of date
    assert announced["x"] == ["2025-03-01"] and announced["name"] == "Announced"
    assert any("Tariff Order 1" in a["text"] for a in figure["layout"]["annotations"])


def test_summaries_are_computed_from_the_data() -> None:
    prepared = prepare_site(MINI)
    assert prepared.renderer is not None
    charts = prepared.renderer.charts
    assert charts["timeline"].summary == ("3 events from 2024 to 2026 across 2 tracks; the busiest year was 2024, "
                                          "with 1.")
    assert "went from 2.4 USD bn in 2024 to 2.3 in 2025" in charts["series-northland-balance"].summary


def test_an_empty_event_list_draws_no_chart() -> None:
    result = check(MINI)
    assert result.corpus is not None
    assert timeline_chart(result.corpus, [], "none", "Nothing") is None


def test_plotly_js_is_shipped_from_the_package_under_a_versioned_name() -> None:
    assert plotly_js_path().is_file()
    assert plotly_asset().startswith("assets/plotly-") and plotly_asset().endswith(".min.js")


def test_figure_files_are_written_once_per_chart_and_stable() -> None:
    first, second = prepare_site(MINI), prepare_site(MINI)
    assert first.assets == second.assets
    assert set(first.assets) == {f"assets/charts/{name}.json" for name in first.renderer.charts}  # type: ignore[union-attr]


def test_a_large_timeline_switches_to_webgl_and_keeps_its_figure_small(tmp_path: Path) -> None:
    import shutil

    from generator.render import charts

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    for n in range(60):
        (content / "events" / f"2025-01-{n % 28 + 1:02d}-extra-{n}.yaml").write_text(
            f"title: Extra {n}\ndate: 2025-01-{n % 28 + 1:02d}\nsummary: {'A long summary. ' * 20}\n"
            "tracks: [trade]\nsources: [stats-office-trade]\n", encoding="utf-8")
    original = charts.LARGE_TIMELINE
    charts.LARGE_TIMELINE = 50
    try:
        result = check(content)
        assert result.corpus is not None
        chart = timeline_chart(result.corpus, result.corpus.events, "t", "T")
    finally:
        charts.LARGE_TIMELINE = original
    assert chart is not None
    markers = [t for t in chart.figure["data"] if t["meta"] == "events"]
    assert {t["type"] for t in markers} == {"scattergl"}
    assert all(c[2] == "" for t in markers for c in t["customdata"])  # no summaries in the hover
    assert sum(len(t["x"]) for t in markers) == len(result.corpus.events)
