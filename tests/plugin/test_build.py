"""`dyad build` end to end: a browsable site, links that resolve, atomic and deterministic output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.linkcheck import check_links
from generator.plugin import build_site

from .conftest import MINI, REPO, make_project


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_record_has_its_page(built_mini: Path) -> None:
    for path in ["events/2025-03-01-port-north-summit", "people/ada-north", "countries/northland",
                 "organizations/northland-trade-ministry", "agreements/port-north-accord",
                 "initiatives/northern-forum", "series/northland-balance", "tracks/trade", "timeline/2024",
                 "timeline", "sources", "commitments", "trade", "data"]:
        assert (built_mini / path / "index.html").is_file(), path


def test_every_internal_link_and_anchor_resolves(built_mini: Path) -> None:
    assert [b.format() for b in check_links(built_mini, "/india-us/")] == []


def test_link_checker_catches_a_broken_anchor(built_mini: Path, tmp_path: Path) -> None:
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_text('<a href="../b/#nowhere">x</a><a href="../missing/">y</a>', encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<h2 id="here">b</h2>', encoding="utf-8")
    reasons = [b.reason for b in check_links(tmp_path)]
    assert reasons == ["no anchor '#nowhere' there", "no such page or file"]


def test_every_record_is_reachable_from_the_home_page(built_mini: Path) -> None:
    from generator.linkcheck import reachable_pages

    seen = reachable_pages(built_mini)
    for record in MINI.glob("*/*.*"):
        folder, stem = record.parent.name, record.stem
        if folder in ("sources", "commitments"):
            continue  # listed with anchors on their own pages
        assert f"{folder}/{stem}/index.html" in seen, f"{folder}/{stem} is not reachable from the home page"


def test_fact_body_text_is_in_the_search_index(built_mini: Path) -> None:
    index = json.loads((built_mini / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc["text"] for doc in index["docs"] if doc["location"].startswith("events/2025-03-01")]
    assert any("pelican-lighthouse" in text for text in texts)


def test_text_from_content_displays_exactly_as_written(built_mini: Path) -> None:
    html = (built_mini / "events" / "2025-03-01-port-north-summit" / "index.html").read_text(encoding="utf-8")
    assert "AT&amp;T &lt;Q1&gt;" in html
    assert "{{ a_template_tag }}" in html  # template syntax in a body renders literally
    assert "<Q1>" not in html


def test_event_page_carries_meta_and_json_ld(built_mini: Path) -> None:
    html = (built_mini / "events" / "2025-03-01-port-north-summit" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="The leaders met in Port North' in html
    assert 'property="og:title"' in html and 'rel="canonical"' in html
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(html[start:html.index("</script>", start)])
    assert data["@type"] == "Event" and data["startDate"] == "2025-03-01"


def test_site_name_comes_from_the_corpus(built_mini: Path) -> None:
    assert "<title>Northland–Southland relations (test fixture)</title>" in (built_mini / "index.html").read_text(
        encoding="utf-8")


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    build_site(project, tmp_path / "one")
    build_site(project, tmp_path / "two")
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_a_failed_build_leaves_the_previous_site_byte_identical(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(project, out)
    before = tree_bytes(out)
    bad = project.parent / "content" / "events" / "2024-northern-forum-founded.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        build_site(project, out)
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no staging folder left


def test_a_generated_page_may_not_replace_a_hand_written_one(project: Path, tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    (project.parent / "site_src" / "timeline").mkdir()
    (project.parent / "site_src" / "timeline" / "index.md").write_text("# Mine\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        build_site(project, tmp_path / "site")
    assert "site_src/timeline/index.md:1:1: error: this hand-written page has the URL /timeline/" in caplog.text


def test_the_plain_mkdocs_theme_builds_with_every_link_resolving(tmp_path: Path) -> None:
    config = make_project(tmp_path / "plain", theme="mkdocs")
    build_site(config, tmp_path / "site", strict=True)
    assert (tmp_path / "site" / "events" / "2025-03-01-port-north-summit" / "index.html").is_file()
    assert [b.format() for b in check_links(tmp_path / "site", "/india-us/")] == []


def test_mkdocs_build_strict_passes(project: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project)],
                            capture_output=True, text=True, env=env, cwd=project.parent)
    assert result.returncode == 0, result.stderr
    assert (project.parent / "site" / "people" / "ada-north" / "index.html").is_file()


def test_cli_build_points_at_any_content_directory(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    config = make_project(tmp_path / "project")  # its own content/ is a copy; --content names another folder
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(MINI), "--out",
                             str(tmp_path / "out"), "--config", str(config)],
                            capture_output=True, text=True, env=env, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "countries" / "southland" / "index.html").is_file()


def test_cli_build_reports_every_diagnostic_and_exits_non_zero(tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    (content / "events" / "2024-northern-forum-founded.yaml").write_text("title: x\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(content), "--out",
                             str(tmp_path / "out"), "--config", str(make_project(tmp_path / "project"))],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert "2024-northern-forum-founded.yaml:1:1: error: date: required field is missing" in result.stderr
    assert "summary: required field is missing" in result.stderr
    assert not (tmp_path / "out").exists()


def test_plotly_is_shipped_once_and_referenced_only_by_chart_pages(built_mini: Path) -> None:
    from generator.render.charts import plotly_asset

    assert (built_mini / plotly_asset()).is_file()
    assert "data-plotly=" in (built_mini / "timeline" / "index.html").read_text(encoding="utf-8")
    assert "plotly" not in (built_mini / "sources" / "index.html").read_text(encoding="utf-8")


def test_no_page_loads_anything_from_outside_the_site(built_mini: Path) -> None:
    import re

    remote = re.compile(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)
    for page in built_mini.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not [m for m in remote.findall(html) if 'rel="canonical"' not in m], page


def test_a_symlink_in_site_src_pointing_outside_the_project_fails_the_build(project: Path, tmp_path: Path,
                                                                            caplog: pytest.LogCaptureFixture) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n", encoding="utf-8")
    (project.parent / "site_src" / "leak.md").symlink_to(secret)
    with pytest.raises(SystemExit):
        build_site(project, tmp_path / "site")
    assert "site_src/leak.md:1:1: error: symlink points outside the project" in caplog.text
    assert not (tmp_path / "site").exists()


def test_a_symlink_into_a_hidden_folder_of_the_project_fails_the_build(project: Path, tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    hidden = project.parent / ".git"
    hidden.mkdir()
    (hidden / "config").write_text("[core]\n", encoding="utf-8")
    (project.parent / "site_src" / "config.md").symlink_to(hidden / "config")
    with pytest.raises(SystemExit):
        build_site(project, tmp_path / "site")
    assert "site_src/config.md:1:1: error: symlink points into a hidden folder" in caplog.text
