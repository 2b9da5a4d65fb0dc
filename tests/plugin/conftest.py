"""Fixtures for whole-site tests: a throw-away project (mkdocs.yml, site_src/, content/) built with Dyad."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini" / "content"


# The repository's own hand-written pages are written for the India–US corpus (they name its series and tracks),
# so test projects keep only site_src/assets (the site CSS and chart script) and get these generic pages.
HOME_PAGE = """# Home

The record, fact by fact.

```dyad
show: stats
```

## Latest events

```dyad
show: events
limit: 5
summaries: true
```

## What is pending

```dyad
show: pending
```

```dyad
show: due
```

## Tracks

```dyad
show: tracks
```

See the [timeline](timeline/index.md) and the [methodology](methodology.md).
"""

METHODOLOGY_PAGE = """# Methodology

Every fact cites a source.

## Confidence labels

Confirmed, single source, disputed.
"""


def make_project(root: Path, content: Path = MINI, theme: str = "material") -> Path:
    """Copy the repository's mkdocs.yml and site_src/assets beside a copy of `content`, with generic hand-written
    pages; returns mkdocs.yml."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "site_src" / "assets", root / "site_src" / "assets")
    (root / "site_src" / "index.md").write_text(HOME_PAGE, encoding="utf-8")
    (root / "site_src" / "methodology.md").write_text(METHODOLOGY_PAGE, encoding="utf-8")
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
