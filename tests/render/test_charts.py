"""Chart specs: valid Plotly figures, escaped text, stable output, words that match the numbers."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest

from generator.build import prepare_site
from generator.pipeline import check
from generator.render.charts import (PLOTLY_CONFIG, PLOTLY_TRACES, Chart, plotly_asset, plotly_bundle_traces,
                                     plotly_js_path, plotly_js_version, timeline_chart)

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


def test_plotly_js_is_the_partial_bundle_in_the_package_at_the_plotly_package_version() -> None:
    from plotly.offline import get_plotlyjs_version

    assert plotly_js_path().is_file()
    assert plotly_js_path().is_relative_to(REPO / "generator")  # package data: `make site` needs no npm
    head = plotly_js_path().read_text(encoding="utf-8")[:600]
    assert head.startswith("/**\n* plotly.js (dyad: ") and "Licensed under the MIT license" in head
    # The same plotly.js as the `plotly` package's full bundle (which the figure tests validate against).
    assert plotly_js_version() == get_plotlyjs_version()
    assert f" v{get_plotlyjs_version()}\n" in head
    assert plotly_js_path().stat().st_size < 2_500_000  # the full bundle is 4.8 MB
    assert "cdn." not in plotly_js_path().read_text(encoding="utf-8")[:600]


def test_plotly_js_is_served_under_a_name_that_changes_with_its_content() -> None:
    assert plotly_asset().startswith(f"assets/plotly-{plotly_js_version()}-dyad.") and plotly_asset().endswith(".min.js")


def test_every_trace_type_the_charts_emit_is_in_the_bundle(charts: dict[str, dict], tmp_path: Path) -> None:
    assert plotly_bundle_traces() == PLOTLY_TRACES
    emitted = {trace["type"] for figure in charts.values() for trace in figure["data"]}
    large, _ = _large_timeline(tmp_path)
    emitted |= {trace["type"] for trace in large.figure["data"]}
    assert {"scatter", "scattergl", "bar"} <= emitted
    assert emitted <= set(PLOTLY_TRACES)
    # And nothing in charts.py names a trace type the tests above did not see.
    source = (REPO / "generator" / "render" / "charts.py").read_text(encoding="utf-8")
    import re

    named = set(re.findall(r'"type": "([a-z0-9]+)"', source)) | set(re.findall(r'"(scatter(?:gl)?|bar)" if', source))
    named -= {"date", "category", "linear", "line"}  # axis and shape types
    assert named <= set(PLOTLY_TRACES), named


def test_figure_files_are_written_once_per_chart_and_stable() -> None:
    first, second = prepare_site(MINI), prepare_site(MINI)
    assert first.assets == second.assets
    assert set(first.assets) == {f"assets/charts/{name}.json" for name in first.renderer.charts}  # type: ignore[union-attr]


def _large_timeline(tmp_path: Path, n: int = 60, first_year: int = 2025) -> tuple[Chart, int]:
    """The mini corpus and n more events, drawn as a large timeline (LARGE_TIMELINE lowered to 50); and how many
    events that is."""
    import shutil

    from generator.render import charts

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    for k in range(n):
        year = first_year + k % (2026 - first_year) if first_year < 2025 else 2025
        (content / "events" / f"{year}-01-{k % 28 + 1:02d}-extra-{k}.yaml").write_text(
            f"title: Extra {k}\ndate: {year}-01-{k % 28 + 1:02d}\nsummary: {'A long summary. ' * 20}\n"
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
    return chart, len(result.corpus.events)


def test_a_large_timeline_switches_to_webgl_and_keeps_its_figure_small(tmp_path: Path) -> None:
    from generator.render.charts import LARGE_MARKER_SIZE

    chart, events = _large_timeline(tmp_path)
    figure = chart.figure
    go.Figure(data=figure["data"], layout=figure["layout"])  # still a valid figure
    markers = [t for t in figure["data"] if t["meta"] == "events"]
    assert {t["type"] for t in markers} == {"scattergl"}
    assert sum(len(t["x"]) for t in markers) == events
    # Rows of [when, title, "", URL]: no summary, no track list; dyad.js follows row[3] on a click.
    assert all(len(c) == 4 and c[2] == "" and c[3].startswith("events/") for t in markers for c in t["customdata"])
    assert all("%{fullData.name}" in t["hovertemplate"] for t in markers)  # the lane names the track
    # Lanes as numbers on a linear axis named by tick labels, first lane on top, not a title per point.
    layout = figure["layout"]
    lanes = layout["yaxis"]["ticktext"]
    assert layout["yaxis"]["type"] == "linear" and layout["yaxis"]["tickvals"] == list(range(len(lanes)))
    for trace in figure["data"]:
        assert {y for y in trace["y"] if y is not None} == {lanes.index(trace["name"])}
    assert lanes == ["Diplomacy", "Trade"]  # the first track (trade) on top, as on a small timeline
    # No range slider (it draws every trace again); no automargin (it draws them all a second time).
    assert "rangeslider" not in layout["xaxis"] and layout["yaxis"]["automargin"] is False
    assert layout["margin"]["l"] >= 7 * max(len(name) for name in lanes)
    assert all(set(t["marker"]["size"]) <= set(LARGE_MARKER_SIZE.values()) for t in markers)
    assert all(set(t["marker"]["symbol"]) <= {0, 100} for t in markers)


def test_a_large_timeline_opens_on_its_last_years_and_says_so(tmp_path: Path) -> None:
    from generator.render.charts import LARGE_TIMELINE_YEARS

    chart, _ = _large_timeline(tmp_path, first_year=2010)
    start, end = chart.figure["layout"]["xaxis"]["range"]
    assert end == "2026-09-30"  # the latest event (trade talks, September 2026) ends the window
    assert start == f"{2026 - LARGE_TIMELINE_YEARS}-09-30"
    assert f"opens on the last {LARGE_TIMELINE_YEARS} years" in chart.note and "“all”" in chart.note
    within, _ = _large_timeline(tmp_path / "recent")  # events of two years only: the whole span is shown
    assert "range" not in within.figure["layout"]["xaxis"] and "opens on" not in within.note


def test_a_small_timeline_keeps_its_range_slider_titles_and_summaries(charts: dict[str, dict]) -> None:
    figure = charts["timeline"]
    assert figure["layout"]["xaxis"]["rangeslider"]["visible"] is True
    assert figure["layout"]["yaxis"]["type"] == "category"
    markers = [t for t in figure["data"] if t["meta"] == "events"]
    assert {t["type"] for t in markers} == {"scatter"}
    assert all(len(c) == 5 and c[3].startswith("events/") for t in markers for c in t["customdata"])
    assert any(c[2] for t in markers for c in t["customdata"])  # summaries in the hover
