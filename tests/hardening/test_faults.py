"""Faults during a build: a template typo, an exception (or Ctrl-C) halfway through, a failure while swapping the
new site in, a broken link in a hand-written page. Each must end (a): the build fails, says where, and the
previous site stays byte-identical with no staging folder left beside it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

import generator.plugin
import generator.render.pages
from generator.plugin import build_site

from .conftest import PreviousSite, hardening_project, staging_leftovers, tree_bytes

BROKEN_TEMPLATES = {
    # name → (event.md.j2 text, line the diagnostic must name, part of the message)
    "unclosed-block": ("# {{ event.title|md }}\n\n{% if event.body %}\nunclosed\n", 4, "Unexpected end of template"),
    "unknown-tag": ("# {{ event.title|md }}\n\n{% iff event.body %}x{% endif %}\n", 3, "Encountered unknown tag 'iff'"),
    "undefined-attribute": ("# {{ event.title|md }}\n\nline three\n{{ event.titel }}\n", 4, "has no attribute 'titel'"),
    "unknown-filter": ("# x\n{{ event.title|nosuchfilter }}\n", 2, "No filter named 'nosuchfilter'"),
}


def fails_leaving_the_site(config: Path, previous: PreviousSite, parent: Path,
                           expect: type[BaseException] | tuple[type[BaseException], ...] = SystemExit) -> Path:
    """Build over a copy of the previous site, expecting `expect`; the copy must come out byte-identical."""
    site = previous.copy_to(parent / "site")
    with pytest.raises(expect):
        build_site(config, site)
    assert tree_bytes(site) == previous.snapshot, "the failed build changed the previous site"
    assert staging_leftovers(parent) == []
    return site


# ---------------------------------------------------------------------------------------------------- templates


@pytest.mark.parametrize("name", sorted(BROKEN_TEMPLATES))
def test_a_template_typo_fails_the_build_naming_the_template_and_line(name: str, tmp_path: Path,
                                                                     previous_site: PreviousSite,
                                                                     caplog: pytest.LogCaptureFixture,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    text, line, message = BROKEN_TEMPLATES[name]
    config = hardening_project(tmp_path / "project")
    (tmp_path / "project" / "overrides").mkdir()
    (tmp_path / "project" / "overrides" / "event.md.j2").write_text(text, encoding="utf-8")
    yml = config.read_text(encoding="utf-8")
    assert "      content_dir: content\n" in yml, "mkdocs.yml no longer configures the dyad plugin as expected"
    config.write_text(yml.replace("      content_dir: content\n",
                                  "      content_dir: content\n      templates_dir: overrides\n"), encoding="utf-8")
    monkeypatch.chdir(tmp_path / "project")
    with caplog.at_level(logging.WARNING):
        fails_leaving_the_site(config, previous_site, tmp_path)
    lines = [r.getMessage() for r in caplog.records if "template error" in r.getMessage()]
    assert any(f"overrides/event.md.j2:{line}:1: error: template error: " in m and message in m for m in lines), \
        caplog.text


# ---------------------------------------------------------------------------------------------------- faults halfway


class Injected(RuntimeError):
    pass


def after(count: int, original: Callable[..., Any], fault: BaseException) -> Callable[..., Any]:
    """`original`, raising `fault` on its call number `count` (so some pages are already written by then)."""
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] >= count:
            raise fault
        return original(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize(("name", "target", "count", "fault"), [
    ("post-page-error-after-10-pages", (generator.plugin.DyadPlugin, "on_post_page"), 10, Injected("disk full")),
    ("post-page-ctrl-c-after-10-pages", (generator.plugin.DyadPlugin, "on_post_page"), 10, KeyboardInterrupt()),
    ("page-content-error-after-5-pages", (generator.plugin.DyadPlugin, "on_page_content"), 5, Injected("boom")),
    ("renderer-series-error", (generator.render.pages.SiteRenderer, "series"), 2, Injected("bad series")),
    ("post-build-error", (generator.plugin.DyadPlugin, "on_post_build"), 1, Injected("policy step failed")),
    ("security-policy-error", (generator.plugin, "_add_security_policy"), 1, OSError(28, "No space left on device")),
    ("memory-error-in-sitemap", (generator.plugin.DyadPlugin, "_date_sitemap"), 1, MemoryError()),
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_fault_halfway_through_a_build_leaves_the_previous_site_byte_identical(
        name: str, target: tuple[Any, str], count: int, fault: BaseException, project: Path, tmp_path: Path,
        previous_site: PreviousSite, monkeypatch: pytest.MonkeyPatch) -> None:
    owner, attribute = target
    monkeypatch.setattr(owner, attribute, after(count, getattr(owner, attribute), fault))
    fails_leaving_the_site(project, previous_site, tmp_path, expect=type(fault))


def test_the_fault_injection_really_fires_after_pages_were_written(project: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the clean-up the staging folder would hold finished pages: the fault strikes mid-build."""
    seen: list[str] = []
    original = generator.plugin.DyadPlugin.on_post_page

    def spy(self: Any, output: str, *, page: Any, config: Any) -> str:
        seen.append(page.file.src_uri)
        if len(seen) == 10:
            written = sorted(Path(config.site_dir).rglob("index.html"))
            assert len(written) >= 5, "no page was written before the fault"
            raise Injected("after ten pages")
        return original(self, output, page=page, config=config)

    monkeypatch.setattr(generator.plugin.DyadPlugin, "on_post_page", spy)
    with pytest.raises(Injected):
        build_site(project, tmp_path / "site")
    assert len(seen) == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_good_build_after_a_failed_one_replaces_the_site_and_leaves_nothing_beside_it(
        project: Path, tmp_path: Path, previous_site: PreviousSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = previous_site.copy_to(tmp_path / "site")
    (tmp_path / "site" / "stale.html").write_text("old", encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(generator.plugin.DyadPlugin, "on_post_build",
                      after(1, generator.plugin.DyadPlugin.on_post_build, Injected("x")))
        with pytest.raises(Injected):
            build_site(project, site)
    assert (site / "stale.html").is_file()
    build_site(project, site)
    assert not (site / "stale.html").exists()
    assert staging_leftovers(tmp_path) == []


def test_a_fault_while_swapping_the_new_site_in_leaves_the_previous_site_in_place(
        project: Path, tmp_path: Path, previous_site: PreviousSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = previous_site.copy_to(tmp_path / "site")
    real_rename = Path.rename

    def rename(self: Path, target: Any) -> Any:
        if self.name.startswith(".site-new-"):
            raise OSError(16, "Device or resource busy")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        build_site(project, site)
    assert site.is_dir() and tree_bytes(site) == previous_site.snapshot
    assert staging_leftovers(tmp_path) == []


# ---------------------------------------------------------------------------------------------------- broken links in site_src

BROKEN_PAGE = """# Methodology

## Confidence labels

See [the missing page](nowhere.md) for more.

## Voice

See [voice](index.md#no-such-anchor) too.
"""
FLAGS = {"plain": [], "quiet": ["-q"], "verbose": ["-v"]}


@pytest.fixture(scope="module")
def strict_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    """`mkdocs build --strict` (plain, -q, -v) of a project whose methodology page has a broken link and a broken
    anchor, each into a folder holding a previous site."""
    root = tmp_path_factory.mktemp("strict")
    config = hardening_project(root / "project")
    (root / "project" / "site_src" / "methodology.md").write_text(BROKEN_PAGE, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    results = {}
    for name, flags in FLAGS.items():
        out = root / f"site-{name}"
        results[name] = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", *flags, "-f", str(config), "-d", str(out)],
            capture_output=True, text=True, env=env, cwd=root / "project", timeout=300)
    return results


@pytest.mark.parametrize("flags", ["plain", "quiet", "verbose"])
def test_a_broken_link_in_a_hand_written_page_fails_the_strict_build_naming_the_page(
        flags: str, strict_builds: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = strict_builds[flags]
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    # MkDocs names it when its warnings are shown; with -q, Dyad's own link check of the strict build does.
    assert ("'methodology.md' contains a link 'nowhere.md'" in output
            or "site_src/methodology.md: broken link 'nowhere.md'" in output), output


@pytest.mark.parametrize("flags", ["plain", "quiet", "verbose"])
def test_a_broken_anchor_in_a_hand_written_page_fails_the_strict_build_naming_the_page(
        flags: str, strict_builds: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = strict_builds[flags]
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert ("'methodology.md' contains a link 'index.md#no-such-anchor'" in output
            or "site_src/methodology.md: broken link '../#no-such-anchor'" in output), output


def test_a_strict_dyad_build_with_a_broken_link_leaves_the_previous_site(tmp_path: Path, previous_site: PreviousSite,
                                                                        caplog: pytest.LogCaptureFixture,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    config = hardening_project(tmp_path / "project")
    (tmp_path / "project" / "site_src" / "methodology.md").write_text(BROKEN_PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "project")
    site = previous_site.copy_to(tmp_path / "site")
    with caplog.at_level(logging.WARNING), pytest.raises(SystemExit):
        build_site(config, site, strict=True)
    assert "'methodology.md' contains a link 'nowhere.md'" in caplog.text
    assert tree_bytes(site) == previous_site.snapshot
    assert staging_leftovers(tmp_path) == []


def test_dyad_build_on_a_refused_corpus_exits_1_and_says_the_site_was_left(tmp_path: Path, project: Path,
                                                                           previous_site: PreviousSite,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from click.testing import CliRunner

    from generator.cli import main

    content = tmp_path / "content"
    shutil.copytree(project.parent / "content", content)
    (content / "events" / "bomb.yaml").write_text("title: x\nnotes: &a [*a]\n", encoding="utf-8")
    site = previous_site.copy_to(tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--content", "content", "--out", "site", "--config", str(project)])
    assert result.exit_code == 1, result.output
    assert "build failed, site left as it was" in result.output
    assert tree_bytes(site) == previous_site.snapshot
    assert staging_leftovers(tmp_path) == []
