"""Chart specs: Plotly figures as plain data, built from the corpus.

Figures are dicts (not plotly.graph_objects, whose validation is slow at thousands of points); the tests check
every figure against plotly's own schema. Text that plotly.js would read as HTML is escaped here. Every chart
comes with a caption and a one-sentence summary computed from the same data. Entry points: `timeline_chart()`,
`trade_chart()`, `series_chart()`.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..corpus import Corpus, SeriesPoint
from ..model import Event, PartialDate, Series, Source
from . import urls

# Okabe–Ito: distinguishable with the common kinds of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#F0E442")
MARKER_SIZE = {1: 8, 2: 11, 3: 15}
# Smaller markers on a large timeline: thousands of 15 px markers only hide each other, and WebGL's cost in
# drawing them grows with their size (about a second at 10,000 events with software rendering, as headless
# Chromium does).
LARGE_MARKER_SIZE = {1: 4, 2: 6, 3: 8}
# Above this many events the timeline switches to WebGL markers and leaves summaries out of the hover text, so
# the page stays interactive and its figure small (summaries are one click away, on each event's page).
LARGE_TIMELINE = 2000
LARGE_TIMELINE_YEARS = 5  # the window a large timeline opens on
PLOTLY_CONFIG = {"displaylogo": False, "showSendToCloud": False, "showEditInChartStudio": False,
                 "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendDataToCloud"]}


PLOTLY_BUNDLE = Path(__file__).parent / "assets" / "plotly-dyad.min.js"
# The trace types the bundle registers: every `type` this module emits must be one of them (the tests check both
# sides). Rebuild the bundle with `make plotly` (tools/plotly/build.mjs) after adding one.
PLOTLY_TRACES = ("bar", "scatter", "scattergl")


def plotly_js_path() -> Path:
    """plotly.js as the site ships it, never from a CDN: a partial bundle with only the trace types above, built
    from the npm package at the version the `plotly` Python package bundles and kept in the package (the full
    bundle is three times the size and its parsing alone cost the 10,000-event timeline over a second)."""
    return PLOTLY_BUNDLE


@functools.lru_cache(maxsize=None)
def _bundle_header() -> tuple[str, str, str]:
    """(version, trace types as the banner lists them, short content hash) of the bundle."""
    data = PLOTLY_BUNDLE.read_bytes()
    match = re.search(rb"plotly\.js \(dyad: ([a-z0-9, ]+) - minified\) v(\d+\.\d+\.\d+)", data[:400])
    if match is None:
        raise RuntimeError(f"{PLOTLY_BUNDLE} has no plotly.js banner; rebuild it with `make plotly`")
    return match.group(2).decode(), match.group(1).decode(), hashlib.sha256(data).hexdigest()[:10]


def plotly_js_version() -> str:
    return _bundle_header()[0]


def plotly_bundle_traces() -> tuple[str, ...]:
    return tuple(t.strip() for t in _bundle_header()[1].split(","))


def plotly_asset() -> str:
    """Site path of plotly.js, named by version and content so a rebuilt bundle is never served from a stale
    cache."""
    version, _, digest = _bundle_header()
    return f"assets/plotly-{version}-dyad.{digest}.min.js"


@dataclass(frozen=True)
class Chart:
    """A chart as a page shows it: where its figure is, and what it says in words."""

    name: str
    caption: str
    summary: str
    figure: dict[str, Any]
    note: str = "The numbers are in the table below."

    @property
    def path(self) -> str:
        return f"assets/charts/{self.name}.json"


def text(value: str) -> str:
    """Text plotly.js will not read as markup: it renders a subset of HTML in labels and hovers."""
    return html.escape(value, quote=False)


def _x(date: PartialDate) -> str:
    return date.earliest().isoformat()


def _x_end(date: PartialDate) -> str:
    return date.latest().isoformat()


def track_colours(corpus: Corpus) -> dict[str, str]:
    return {track.id: PALETTE[index % len(PALETTE)] for index, track in enumerate(corpus.config.tracks)}


def _base_layout(height: int) -> dict[str, Any]:
    return {"height": height, "margin": {"l": 60, "r": 20, "t": 40, "b": 40}, "hovermode": "closest",
            "showlegend": True, "dragmode": "pan", "colorway": list(PALETTE),
            "legend": {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"}}


# ---------------------------------------------------------------------------------------------------- timeline


def timeline_chart(corpus: Corpus, events: Sequence[Event], name: str, caption: str) -> Chart | None:
    """Events on a date axis, one lane per track (each event once, in its first track), marker size by
    importance, spans for events with an end or a partial date; a click opens the event's page.

    Each event's `customdata` is [when, title, summary, URL, its tracks]; dyad.js follows the URL on a click.
    Above LARGE_TIMELINE events the figure is cut down so the page is interactive within two seconds: WebGL
    markers, smaller, no range slider (it draws a second copy of every trace), lanes as numbers on a linear axis
    rather than the track title repeated per point, symbols as numbers, and rows of [when, title, "", URL] (no
    summary, no track list: the lane names the track, the event's page has the rest)."""
    if not events:
        return None
    colours = track_colours(corpus)
    large = len(events) > LARGE_TIMELINE
    lanes = [t for t in corpus.config.tracks if any(e.tracks[0] == t.id for e in events)]
    traces: list[dict[str, Any]] = []
    for index, track in enumerate(lanes):
        lane: int | str = len(lanes) - 1 - index if large else text(track.title)  # first lane on top
        lane_events = [e for e in events if e.tracks[0] == track.id]
        spans = [e for e in lane_events if e.end is not None or e.date.precision != "day"]
        if spans:
            xs: list[str | None] = []
            ys: list[int | str | None] = []
            for event in spans:
                xs += [_x(event.date), _x_end(event.end or event.date), None]
                ys += [lane, lane, None]
            traces.append({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "meta": "span",
                           "name": text(track.title), "legendgroup": track.id, "showlegend": False,
                           "hoverinfo": "skip", "opacity": 0.35,
                           "line": {"color": colours[track.id], "width": 7}})
        sizes = LARGE_MARKER_SIZE if large else MARKER_SIZE
        marker: dict[str, Any] = {"color": colours[track.id], "size": [sizes[e.importance] for e in lane_events],
                                  "line": {"width": 1 if large else 2, "color": colours[track.id]}}
        if large:  # 0 is "circle", 100 "circle-open"
            marker["symbol"] = [0 if e.date.precision == "day" else 100 for e in lane_events]
            customdata = [[text(_when(e)), text(e.title), "", urls.record_url(e)] for e in lane_events]
            hovertemplate = "<b>%{customdata[1]}</b><br>%{customdata[0]} · %{fullData.name}<extra></extra>"
        else:
            marker["symbol"] = ["circle" if e.date.precision == "day" else "circle-open" for e in lane_events]
            customdata = [[text(_when(e)), text(e.title), text(e.summary), urls.record_url(e),
                           text(", ".join(corpus.tracks[t].title for t in e.tracks if t in corpus.tracks))]
                          for e in lane_events]
            hovertemplate = ("<b>%{customdata[1]}</b><br>%{customdata[0]} · %{customdata[4]}"
                             "<br>%{customdata[2]}<extra></extra>")
        traces.append({
            "type": "scattergl" if large else "scatter", "mode": "markers", "meta": "events",
            "name": text(track.title), "legendgroup": track.id,
            "x": [_x(e.date) for e in lane_events], "y": [lane] * len(lane_events),
            "marker": marker, "customdata": customdata, "hovertemplate": hovertemplate,
        })
    layout = _base_layout(140 + 42 * len(lanes))
    note = "Every event is listed below."
    layout["xaxis"] = {"type": "date",
                       "rangeselector": {"buttons": [
                           {"count": 1, "label": "1 y", "step": "year", "stepmode": "backward"},
                           {"count": 5, "label": "5 y", "step": "year", "stepmode": "backward"},
                           {"label": "all", "step": "all"}]}}
    layout["margin"] = {"l": 60, "r": 20, "t": 40, "b": 30}
    if large:
        # Legend under the axis: above the plot it would collide with the range buttons once it wraps.
        layout["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"}
        # A left margin wide enough for the lane names, set here: with `automargin` Plotly measures the labels
        # after drawing and draws every trace a second time (about 0.3 s at 10,000 events).
        longest = max(len(t.title) for t in lanes)
        layout["margin"]["l"] = max(60, min(240, 16 + 7 * longest))
        layout["yaxis"] = {"type": "linear", "tickmode": "array", "tickvals": list(range(len(lanes))),
                           "ticktext": [text(t.title) for t in reversed(lanes)], "range": [-0.5, len(lanes) - 0.5],
                           "zeroline": False, "fixedrange": True, "automargin": False}
        layout["height"] += 60
        # Open on the last LARGE_TIMELINE_YEARS: the markers outside the window cost nothing to draw (WebGL in
        # software, as headless Chromium has it, spends most of a large timeline's time on the markers it
        # shows); "all" shows every year, and every event is listed below the chart.
        last = max((e.end or e.date).latest() for e in events)
        first = min(e.date.earliest() for e in events)
        start = last.replace(year=last.year - LARGE_TIMELINE_YEARS, day=28 if (last.month, last.day) == (2, 29)
                             else last.day)
        if start > first:
            layout["xaxis"]["range"] = [start.isoformat(), last.isoformat()]
            note = (f"The chart opens on the last {LARGE_TIMELINE_YEARS} years; choose “all” to see every year. "
                    + note)
    else:
        layout["xaxis"]["rangeslider"] = {"visible": True, "thickness": 0.08}
        # Legend under the range slider, for the same reason.
        layout["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.18, "yanchor": "top"}
        layout["yaxis"] = {"type": "category", "categoryorder": "array",
                           "categoryarray": [text(t.title) for t in reversed(lanes)], "fixedrange": True,
                           "automargin": True}
        layout["height"] += 120
    figure = {"data": traces, "layout": layout, "config": PLOTLY_CONFIG}
    return Chart(name, caption, timeline_summary(corpus, events), figure, note)


def _when(event: Event) -> str:
    if event.end and event.end != event.date:
        return f"{event.date.human()} – {event.end.human()}"
    return event.date.human()


def timeline_summary(corpus: Corpus, events: Sequence[Event]) -> str:
    years: dict[int, int] = {}
    for event in events:
        years[event.date.year] = years.get(event.date.year, 0) + 1
    busiest = max(sorted(years), key=lambda year: years[year])
    tracks = {t for e in events for t in e.tracks}
    first, last = events[0].date.year, events[-1].date.year
    span = f"in {first}" if first == last else f"from {first} to {last}"
    return (f"{len(events)} event{'s' if len(events) != 1 else ''} {span} across {len(tracks)} "
            f"track{'s' if len(tracks) != 1 else ''}; the busiest year was {busiest}, with {years[busiest]}.")


# ---------------------------------------------------------------------------------------------------- series


def _number(value: Decimal) -> float:
    return float(value)


def _fmt(value: Decimal) -> str:
    formatted = format(value, "f")
    return formatted.rstrip("0").rstrip(".") if "." in formatted else formatted


def _sources(corpus: Corpus, point: SeriesPoint) -> str:
    names = []
    for citation in point.sources:
        source = corpus.get(citation.id)
        if isinstance(source, Source) and source.publisher not in names:
            names.append(source.publisher)
    return "; ".join(names)


def _event_marks(corpus: Corpus, event_ids: Iterable[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Vertical lines and labels for the events a series is linked to."""
    shapes, annotations = [], []
    for index, event_id in enumerate(dict.fromkeys(event_ids)):
        event = corpus.get(event_id)
        if not isinstance(event, Event):
            continue
        x = _x(event.date)
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                       "line": {"dash": "dot", "width": 1, "color": "#888888"}})
        annotations.append({"x": x, "xref": "x", "yref": "paper", "y": 1 - 0.09 * (index % 4), "yanchor": "top",
                            "xanchor": "left", "showarrow": False, "font": {"size": 10},
                            "text": text(f"{event.title} ({event.date.human()})")})
    return shapes, annotations


def _flow_trace(corpus: Corpus, series: Series, points: list[SeriesPoint], as_bars: bool) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "bar" if as_bars else "scatter", "name": text(series.title),
        "x": [p.period.iso for p in points], "y": [_number(p.value) for p in points],
        "customdata": [[text(p.period.human()), text(_sources(corpus, p))] for p in points],
        "hovertemplate": f"{text(series.title)}<br>%{{customdata[0]}}: %{{y}} {text(series.unit)}"
                         "<br>Source: %{customdata[1]}<extra></extra>",
    }
    if series.frequency == "year":
        trace["xperiod"] = "M12"
        trace["xperiodalignment"] = "middle"
    if not as_bars:
        trace["mode"] = "lines+markers"
    return trace


def trade_chart(corpus: Corpus, series_list: Sequence[Series], name: str, caption: str) -> Chart | None:
    """Flows as bars and balances as lines, each point's source in its hover, linked events marked."""
    drawn = [s for s in series_list if corpus.series_points.get(s.id)]
    if not drawn:
        return None
    traces = [_flow_trace(corpus, s, corpus.series_points[s.id], s.flow in ("exports", "imports", "total"))
              for s in drawn]
    shapes, annotations = _event_marks(corpus, [e for s in drawn for e in s.events])
    layout = _base_layout(440)
    yearly = all(s.frequency == "year" for s in drawn)
    layout.update({"barmode": "group", "xaxis": {"type": "date", **({"dtick": "M12", "tickformat": "%Y", "ticklabelmode": "period"} if yearly else {})},
                   "yaxis": {"title": {"text": text(drawn[0].unit)}, "zeroline": True},
                   "shapes": shapes, "annotations": annotations})
    summary = " ".join(series_summary(s, corpus.series_points[s.id]) for s in drawn)
    return Chart(name, caption, summary, {"data": traces, "layout": layout, "config": PLOTLY_CONFIG})


def _step_chart(corpus: Corpus, series: Series, name: str, caption: str) -> Chart:
    """A rate as a step line over time, each step labelled with its legal basis; announcements kept apart."""
    points = corpus.series_points[series.id]
    as_of = corpus.config.as_of.latest().isoformat()
    xs = [_x(p.period) for p in points] + [as_of]
    ys = [_number(p.value) for p in points] + [_number(points[-1].value)]
    custom = []
    for p in points:
        event = corpus.get(p.event) if p.event else None
        custom.append([text(p.period.human()), text(p.legal_basis or ""),
                       text(event.title if isinstance(event, Event) else ""), text(_sources(corpus, p)),
                       text(p.announced.human() if p.announced else "")])
    custom.append(custom[-1])
    traces: list[dict[str, Any]] = [{
        "type": "scatter", "mode": "lines+markers", "name": text(f"{series.title} (in effect)"),
        "x": xs, "y": ys, "line": {"shape": "hv", "width": 3}, "customdata": custom,
        "hovertemplate": f"%{{y}} {text(series.unit)} from %{{customdata[0]}}<br>%{{customdata[1]}}"
                         "<br>%{customdata[2]}<br>Source: %{customdata[3]}<extra></extra>",
    }]
    announced = [p for p in points if p.announced]
    if announced:
        traces.append({
            "type": "scatter", "mode": "markers", "name": "Announced",
            "x": [_x(p.announced) for p in announced if p.announced], "y": [_number(p.value) for p in announced],
            "marker": {"symbol": "diamond-open", "size": 11},
            "customdata": [[text(p.announced.human() if p.announced else ""), text(p.period.human())]
                           for p in announced],
            "hovertemplate": f"%{{y}} {text(series.unit)} announced %{{customdata[0]}}, in effect from "
                             "%{customdata[1]}<extra></extra>",
        })
    annotations = [{"x": _x(p.period), "y": _number(p.value), "text": text(f"{_fmt(p.value)} {series.unit}"
                                                                            + (f": {p.legal_basis}" if p.legal_basis else "")),
                    "showarrow": True, "arrowhead": 0, "ax": 0, "ay": -28 - 14 * (i % 3), "font": {"size": 10}}
                   for i, p in enumerate(points)]
    layout = _base_layout(420)
    layout.update({"xaxis": {"type": "date"}, "yaxis": {"title": {"text": text(series.unit)}, "rangemode": "tozero"},
                   "annotations": annotations})
    return Chart(name, caption, step_summary(series, points), {"data": traces, "layout": layout,
                                                                "config": PLOTLY_CONFIG})


def series_chart(corpus: Corpus, series: Series, name: str) -> Chart | None:
    points = corpus.series_points.get(series.id, [])
    if not points:
        return None
    caption = f"{series.title}, {series.unit}"
    if series.frequency == "irregular":
        return _step_chart(corpus, series, name, caption)
    return trade_chart(corpus, [series], name, caption)


def series_summary(series: Series, points: Sequence[SeriesPoint]) -> str:
    first, last = points[0], points[-1]
    peak = max(points, key=lambda p: (p.value, p.period.sort_key()))
    if len(points) == 1:
        return f"{series.title}: {_fmt(first.value)} {series.unit} in {first.period.human()}."
    return (f"{series.title} went from {_fmt(first.value)} {series.unit} in {first.period.human()} to "
            f"{_fmt(last.value)} in {last.period.human()}; the highest was {_fmt(peak.value)} in "
            f"{peak.period.human()}.")


def step_summary(series: Series, points: Sequence[SeriesPoint]) -> str:
    first, last = points[0], points[-1]
    peak = max(points, key=lambda p: (p.value, p.period.sort_key()))
    changes = len(points) - 1
    return (f"{series.title}: {_fmt(first.value)} {series.unit} from {first.period.human()}, "
            f"{changes} change{'s' if changes != 1 else ''} since, {_fmt(last.value)} {series.unit} from "
            f"{last.period.human()}; the highest was {_fmt(peak.value)} {series.unit}.")
