"""Charts in headless Chromium: one point per event, click-through, theme toggle, instant navigation, axe audit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from generator.pipeline import check
from tests.plugin.conftest import MINI, make_project
from tests.plugin.test_live import free_port

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "build" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, serve_dir: Callable[[Path], str]) -> str:
    from generator.plugin import build_site

    root = tmp_path_factory.mktemp("charts")
    # Served at its own site_url, as published: Material's instant navigation only follows the sitemap's URLs.
    port = free_port()
    base = f"http://127.0.0.1:{port}/india-us/"
    build_site(make_project(root / "project"), root / "www" / "india-us", site_url=base)
    assert serve_dir(root / "www", port) + "india-us/" == base
    return base


@pytest.fixture
def page(browser: Any, site: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    # The audit injects axe-core as an inline script, which the site's policy rightly refuses; every other test
    # runs under the published Content-Security-Policy, so a chart that needed more would fail there.
    audit = request.node.name.startswith("test_axe")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=audit)
    tab = context.new_page()
    tab.problems = []  # console errors and requests that leave the local server
    tab.on("console", lambda m: tab.problems.append(f"console: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(f"error: {e}"))
    tab.on("request", lambda r: tab.problems.append(f"outside: {r.url}") if not r.url.startswith(site) else None)
    yield tab
    context.close()


def ready(tab: Any, selector: str = ".dyad-plot") -> None:
    tab.wait_for_selector(f"{selector}[data-ready='1']", timeout=15000)


def test_timeline_draws_one_point_per_event_and_a_click_opens_the_event(page: Any, site: str) -> None:
    result = check(MINI)
    assert result.corpus is not None
    page.goto(site + "timeline/")
    ready(page)
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy and "object-src 'none'" in policy
    points = page.evaluate("""() => document.querySelector('#dyad-plot-timeline').data
        .filter(t => t.meta === 'events').reduce((n, t) => n + t.x.length, 0)""")
    assert points == len(result.corpus.events)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "timeline.png"), full_page=True)

    target = page.evaluate("""() => {
        const plot = document.querySelector('#dyad-plot-timeline');
        const index = plot.data.findIndex(t => t.meta === 'events' && t.customdata.some(c => c[3].includes('port-north')));
        const trace = plot.data[index];
        const at = trace.customdata.findIndex(c => c[3].includes('port-north'));
        const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
        const box = plot.getBoundingClientRect();
        return {x: box.left + xa._offset + xa.d2p(trace.x[at]), y: box.top + ya._offset + ya.d2p(trace.y[at])};
    }""")
    page.mouse.move(target["x"], target["y"])
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url("**/events/2025-03-01-port-north-summit/", timeout=10000)
    assert page.problems == []


def test_palette_toggle_rethemes_and_instant_navigation_redraws(page: Any, site: str) -> None:
    page.goto(site + "trade/")
    ready(page)
    colour = "() => document.querySelector('.dyad-plot')._fullLayout.font.color"
    before = page.evaluate(colour)
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function(f"before => ({colour})() !== before", arg=before, timeout=10000)
    page.screenshot(path=str(SCREENSHOTS / "trade-dark.png"), full_page=True)
    # Away with instant navigation (no full reload), then back: the charts come back drawn.
    page.evaluate("() => { window.__sameDocument = true; }")
    page.get_by_role("link", name="Timeline", exact=True).first.click()
    page.wait_for_url("**/timeline/")
    ready(page, "#dyad-plot-timeline")
    page.go_back()
    page.wait_for_url("**/trade/")
    ready(page, "#dyad-plot-trade")
    assert page.evaluate("() => window.__sameDocument === true"), "navigation reloaded the page"
    assert page.problems == []


def test_series_page_chart_and_table(page: Any, site: str) -> None:
    page.goto(site + "series/southland-tariff-on-northland/")
    ready(page)
    assert page.locator("table.dyad-table tbody tr").count() == 2
    assert "Tariff Order 1" in page.locator("table.dyad-table").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "series.png"), full_page=True)
    assert page.problems == []


@pytest.mark.parametrize("path", ["", "timeline/", "trade/", "events/2025-03-01-port-north-summit/"])
def test_axe_finds_no_serious_or_critical_violation(page: Any, site: str, path: str) -> None:
    assert AXE.is_file(), "run `npm ci` (make test does) to install axe-core"
    page.goto(site + path)
    if page.locator(".dyad-plot").count():
        ready(page)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)


def test_the_shipped_plotly_has_every_trace_type_and_draws_a_large_timeline_under_the_policy(
        page: Any, site: str, tmp_path: Path) -> None:
    """The partial plotly.js bundle: every trace type charts.py emits is registered, and a large timeline's
    WebGL markers draw under the site's Content-Security-Policy (no 'unsafe-eval': regl's precompiled variant)."""
    from generator.render.charts import PLOTLY_TRACES, plotly_js_version
    from tests.render.test_charts import _large_timeline

    page.goto(site + "timeline/")
    ready(page)
    assert page.evaluate("() => Plotly.version") == plotly_js_version()
    assert set(PLOTLY_TRACES) <= set(page.evaluate("() => Object.keys(Plotly.PlotSchema.get().traces)"))
    chart, events = _large_timeline(tmp_path)
    drawn = page.evaluate("""async (figure) => {
        const div = document.createElement('div');
        div.id = 'large-timeline'; div.style.width = '900px';
        document.querySelector('.dyad-chart').after(div);
        await Plotly.newPlot(div, figure.data, figure.layout, figure.config);
        return {webgl: div._fullLayout._glcanvas.data().some(d => !!d.regl), refused: !!div.querySelector('.no-webgl'),
                points: div.data.filter(t => t.meta === 'events').reduce((n, t) => n + t.x.length, 0),
                slider: !!div.querySelector('.rangeslider-container')};
    }""", chart.figure)
    assert drawn == {"webgl": True, "refused": False, "points": events, "slider": False}
    target = page.evaluate("""() => {
        const plot = document.querySelector('#large-timeline');
        const trace = plot.data.find(t => t.meta === 'events' && t.customdata.some(c => c[1] === 'Extra 7'));
        const at = trace.customdata.findIndex(c => c[1] === 'Extra 7');
        const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis, box = plot.getBoundingClientRect();
        return {x: box.left + xa._offset + xa.d2p(trace.x[at]), y: box.top + ya._offset + ya.d2p(trace.y[at])};
    }""")
    page.mouse.move(target["x"], target["y"])
    page.wait_for_selector("#large-timeline .hoverlayer .hovertext", timeout=5000)
    hover = page.locator("#large-timeline .hoverlayer .hovertext").first.text_content() or ""
    assert "Extra" in hover and "Trade" in hover  # the title, and the lane's track from %{fullData.name}
    page.locator("#large-timeline").screenshot(path=str(SCREENSHOTS / "timeline-large.png"))
    assert page.problems == []
