"""`mkdocs serve` on 127.0.0.1: saving a fact file changes the page; a bad file shows a banner, fixing it clears it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from .conftest import make_project

WAIT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(url: str, condition: Callable[[str], bool]) -> str:
    """Poll until the page satisfies `condition`; bounded, so a broken server fails the test instead of hanging."""
    deadline = time.monotonic() + WAIT_SECONDS
    page = ""
    while time.monotonic() < deadline:
        page = fetch(url)
        if condition(page):
            return page
        time.sleep(0.2)
    raise AssertionError(f"{url} never matched; last page began: {page[:300]!r}")


@pytest.fixture(params=["mkdocs", "generator"], ids=["mkdocs-serve", "dyad-serve"])
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    config = make_project(tmp_path / "project")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    flag = "-f" if request.param == "mkdocs" else "--config"
    server = subprocess.Popen([sys.executable, "-m", request.param, "serve", flag, str(config), "--dev-addr",
                              f"127.0.0.1:{port}"], cwd=config.parent, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        yield config.parent, f"http://127.0.0.1:{port}/india-us/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_saving_a_fact_file_updates_the_served_page_and_errors_show_a_banner(served: tuple[Path, str]) -> None:
    root, base = served
    url = base + "events/2024-northern-forum-founded/"
    wait_for(url, lambda page: "The two countries founded the Northern Forum." in page)
    fact = root / "content" / "events" / "2024-northern-forum-founded.yaml"
    original = fact.read_text(encoding="utf-8")

    fact.write_text(original.replace("The two countries founded", "Both countries founded"), encoding="utf-8")
    wait_for(url, lambda page: "Both countries founded the Northern Forum." in page)

    fact.write_text(original + "colour: red\n", encoding="utf-8")
    page = wait_for(url, lambda page: "dyad-error-banner" in page)
    assert "2024-northern-forum-founded.yaml:8:1: error: colour: unknown field" in page
    assert "Both countries founded the Northern Forum." in page  # the last good build stays up

    fact.write_text(original, encoding="utf-8")
    page = wait_for(url, lambda page: "The two countries founded" in page and "dyad-error-banner" not in page)


def test_a_dirty_rebuild_builds_again_only_the_pages_whose_text_changed(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config_file = make_project(tmp_path / "project")
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    plugin = config.plugins["dyad"]
    plugin.on_startup(command="serve", dirty=True)
    config.plugins._current_plugin = "dyad"  # as MkDocs sets it while it runs a plugin's event

    def build() -> dict[str, bool]:
        plugin.on_config(config)
        files = plugin.on_files(Files([]), config=config)
        for file in files:  # as if the previous build had written every page
            Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
            Path(file.abs_dest_path).write_text("built", encoding="utf-8")
        return {f.src_uri: f.is_modified() for f in files if f.src_uri.endswith(".md")}

    first = build()
    assert all(first.values())
    fact = config_file.parent / "content" / "events" / "2024-northern-forum-founded.yaml"
    fact.write_text(fact.read_text(encoding="utf-8").replace("The two countries", "Both countries"),
                    encoding="utf-8")
    second = build()
    assert second["events/2024-northern-forum-founded.md"] is True
    assert second["tracks/diplomacy.md"] is True  # it shows the summary too
    assert second["people/ada-north.md"] is False and second["countries/northland.md"] is False
