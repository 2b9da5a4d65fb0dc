"""`mkdocs serve` on 127.0.0.1: saving a fact file changes the page; a bad file shows a banner, fixing it clears it."""

from __future__ import annotations

import json
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
    # Pages that show the event (its track lists summaries) follow, and the live-reload poll says so again.
    wait_for(base + "tracks/diplomacy/", lambda page: "Both countries founded the Northern Forum." in page)

    fact.write_text(original + "colour: red\n", encoding="utf-8")
    page = wait_for(url, lambda page: "dyad-error-banner" in page)
    assert "2024-northern-forum-founded.yaml:8:1: error: colour: unknown field" in page
    assert "Both countries founded the Northern Forum." in page  # the last good build stays up

    fact.write_text(original, encoding="utf-8")
    page = wait_for(url, lambda page: "The two countries founded" in page and "dyad-error-banner" not in page)


def _tree(root: Path) -> dict[str, bytes]:
    """Every file of a built site; the search index as its sorted entries (a server appends a rebuilt page's
    sections at the end)."""
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "search_index.json":
            index = json.loads(data)
            data = json.dumps(sorted(index["docs"], key=lambda d: json.dumps(d, sort_keys=True))).encode()
        found[path.relative_to(root).as_posix()] = data
    return found


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_incremental_rebuilds_leave_the_site_a_full_build_would_make(tmp_path: Path) -> None:
    """Edit, rename, add and delete records under `dyad serve`'s LiveSite; after each step its site is the
    one a fresh full build of the same content makes, and a change touches only the pages that show it."""
    from generator.plugin import LiveSite

    config_file = make_project(tmp_path / "project")
    content = config_file.parent / "content"
    url = "http://127.0.0.1:8000/india-us/"
    live = LiveSite(config_file, tmp_path / "live", url)
    live.build_all()
    built: list[str] = []
    original_build = live._build_file
    live._build_file = lambda file: (built.append(file.src_uri), original_build(file))[1]  # type: ignore

    event = content / "events" / "2024-northern-forum-founded.yaml"
    steps = {
        "edit an event": lambda: [_rewrite(event, "The two countries founded", "Both countries founded")],
        "rename a person": lambda: [_rewrite(content / "people" / "ada-north.yaml", "name: Ada North",
                                             "name: Ada Northe")],
        "add an event": lambda: [(content / "events" / "2024-09-01-test-added.yaml").write_text(
            "title: A test event\ndate: 2024-09-01\nsummary: Added while serving.\ntracks: [diplomacy]\n"
            "importance: 2\nsources: [gazette-2025-summit]\n", encoding="utf-8")],
        "rename an event file": lambda: [(content / "events" / "2024-09-01-test-added.yaml").rename(
            content / "events" / "2024-09-02-test-renamed.yaml")],
        "delete an event": lambda: [(content / "events" / "2024-09-02-test-renamed.yaml").unlink()],
    }
    for number, (name, step) in enumerate(steps.items()):
        built.clear()
        step()
        live.rebuild({content / "events"})
        assert live.complete()
        assert built, f"{name}: nothing was built again"
        assert len(built) < 20, f"{name}: rebuilt {len(built)} pages"
        _full_build_elsewhere(config_file, tmp_path / f"fresh-{number}", url)
        got, want = _tree(tmp_path / "live"), _tree(tmp_path / f"fresh-{number}")
        assert sorted(got) == sorted(want), f"{name}: files differ"
        differ = [path for path in want if got[path] != want[path]]
        assert not differ, f"{name}: stale after an incremental rebuild: {differ[:10]}"
        live.build_all = _no_full_build  # type: ignore[method-assign]  # the next steps must be incremental
    live.close()


def _full_build_elsewhere(config_file: Path, site_dir: Path, url: str) -> None:
    """A fresh server's first (full) build, in a process of its own: MkDocs keeps one plugin object per
    process, which the live site is using."""
    code = ("import sys; from pathlib import Path; from generator.plugin import LiveSite; "
            "LiveSite(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]).build_all()")
    subprocess.run([sys.executable, "-c", code, str(config_file), str(site_dir), url], check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True)


def _no_full_build() -> None:
    raise AssertionError("a change of fact files rebuilt the whole site")


def test_the_dev_server_takes_saves_not_reads_for_changes(tmp_path: Path) -> None:
    """inotify also reports files opened and read, as every build reads them: those must not start a rebuild
    (a build would then start the next one, for ever)."""
    import watchdog.events as events

    from generator.plugin import LiveSite, _LiveReloadServer

    site = LiveSite(tmp_path / "mkdocs.yml", tmp_path / "site", "http://127.0.0.1:8000/")
    server = _LiveReloadServer(site, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    try:
        fact = str(tmp_path / "content" / "events" / "x.yaml")
        server.note(events.FileOpenedEvent(fact))
        server.note(events.FileClosedNoWriteEvent(fact))
        server.note(events.DirModifiedEvent(str(tmp_path / "content")))
        assert not server.changed and not server._want_rebuild
        server.note(events.FileModifiedEvent(fact))
        server.note(events.FileMovedEvent(fact, fact + ".new"))
        assert server.changed == {Path(fact), Path(fact + ".new")} and server._want_rebuild
    finally:
        server.server_close()
