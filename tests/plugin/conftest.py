"""Fixtures for whole-site tests: a throw-away project (mkdocs.yml, site_src/, content/) built with Dyad."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini" / "content"


def make_project(root: Path, content: Path = MINI, theme: str = "material") -> Path:
    """Copy the repository's mkdocs.yml and site_src/ beside a copy of `content`; returns mkdocs.yml."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "site_src", root / "site_src")
    shutil.copytree(content, root / "content")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if theme != "material":
        config = config.replace("name: material", f"name: {theme}")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture corpus built once with the default theme; returns the site folder."""
    from generator.plugin import build_site

    root = tmp_path_factory.mktemp("mini")
    config = make_project(root / "project")
    build_site(config, root / "site")
    return root / "site"


BuildFn = Callable[..., None]
