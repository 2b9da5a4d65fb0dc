"""The built site in a real browser: pages render, links work, nothing is fetched from outside, no errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from tests.plugin.conftest import make_project

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def test_site_browses_offline_without_console_errors(browser: Any, serve_dir: Callable[[Path], str],
                                                      tmp_path: Path) -> None:
    from generator.plugin import build_site

    config = make_project(tmp_path / "project")
    build_site(config, tmp_path / "site")
    base = serve_dir(tmp_path / "site")
    page = browser.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(base) else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)

    page.goto(base)
    assert page.title().startswith("Northland–Southland relations")
    page.get_by_role("link", name="Timeline", exact=True).first.click()
    page.wait_for_url(base + "timeline/")
    page.get_by_role("link", name="Port North summit & \"AT&T <Q1>\" accord").first.click()
    page.wait_for_url("**/events/2025-03-01-port-north-summit/")
    assert page.locator("h1").inner_text().rstrip("¶") == 'Port North summit & "AT&T <Q1>" accord'
    assert page.locator("time").first.get_attribute("datetime") == "2025-03-01"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "event.png"), full_page=True)
    page.goto(base + "people/ada-north/")
    assert "Port North summit" in page.locator("article").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "person.png"), full_page=True)
    assert errors == []
    assert outside == []
