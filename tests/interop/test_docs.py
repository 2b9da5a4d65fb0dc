"""The README documents every `dyad import` / `dyad export` command and option (a new one fails here until it is
described)."""

from __future__ import annotations

import click

from generator.interop.commands import export_group, import_group

from .conftest import REPO


def section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Data in and out\n")
    end = text.find("\n## ", start + 1)
    return text[start: end if end > 0 else None]


def test_every_command_and_option_is_documented() -> None:
    readme = section()
    for group in (import_group, export_group):
        assert isinstance(group, click.Group)
        for name, command in group.commands.items():
            assert f"dyad {group.name} {name}" in readme, f"dyad {group.name} {name}"
            for param in command.params:
                if isinstance(param, click.Option):
                    assert any(opt in readme for opt in param.opts if opt.startswith("--")), (name, param.opts)


def test_every_published_path_is_documented() -> None:
    readme = section()
    for path in ("/data/dyad.json", "/data/dyad.schema.json", "/data/events.csv", "/data/series.csv",
                 "/data/series/<id>.csv", "/data/timeline.json", "/feed.xml", "/tracks/<track>/feed.xml",
                 "/calendar.ics"):
        assert path in readme, path
