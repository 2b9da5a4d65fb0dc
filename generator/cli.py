"""The `dyad` command: check, build, serve, new, schema. Thin: every verb calls the same pipeline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import display_path
from .load import ID_PATTERN
from .model import KINDS
from .pipeline import check as check_content
from .schemas import stale_schemas, write_schemas
from .skeleton import skeleton

CONTENT_DIR = "content"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dyad")
def main() -> None:
    """Dyad: a static site generator for sourced records of relations between states."""


@main.command()
@click.argument("content_dir", default=CONTENT_DIR, type=click.Path(path_type=Path, file_okay=False))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="text: one diagnostic per line; json: for tools.")
def check(content_dir: Path, output_format: str) -> None:
    """Validate every fact file in CONTENT_DIR and report every problem at once."""
    result = check_content(content_dir)
    report = (result.diagnostics.report_json(result.files) if output_format == "json"
              else result.diagnostics.report(result.files))
    click.echo(report)
    sys.exit(0 if result.ok else 1)


@main.command()
@click.option("--content", "content_dir", default=CONTENT_DIR, type=click.Path(path_type=Path, file_okay=False),
              help="The content directory to build.")
@click.option("--out", "out_dir", default="site", type=click.Path(path_type=Path, file_okay=False),
              help="Where the site goes; replaced only when the build succeeds.")
@click.option("--config", "config_file", default="mkdocs.yml", type=click.Path(path_type=Path, dir_okay=False),
              help="The MkDocs configuration.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--site-url", default=None, help="Publish under this URL instead of mkdocs.yml's site_url.")
def build(content_dir: Path, out_dir: Path, config_file: Path, strict: bool, site_url: str | None) -> None:
    """Validate the content and build the site into OUT atomically: a failed build leaves OUT as it was."""
    from .plugin import build_site

    try:
        build_site(config_file, out_dir, content_dir=content_dir, strict=strict, site_url=site_url)
    except Exception as exc:  # MkDocs' Abort and PluginError carry the message already logged
        raise click.ClickException(f"build failed, {display_path(out_dir)} left as it was: {exc}") from None
    click.echo(f"built {display_path(out_dir)}")


@main.command()
@click.option("--config", "config_file", default="mkdocs.yml", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dev-addr", default="127.0.0.1:8000", help="Address to serve on.")
def serve(config_file: Path, dev_addr: str) -> None:
    """Serve the site with live reload: saving a fact file updates the page."""
    from .plugin import serve_site

    serve_site(config_file, dev_addr)


@main.command()
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("record_id")
@click.option("--title", default="", help="Title (or name) of the record.")
@click.option("--date", default="", help="Date, as YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--source", default="", help="Id of a source to cite.")
@click.option("--track", default="", help="Id of a track (events).")
@click.option("--summary", default="", help="One sentence saying what happened (events, commitments).")
@click.option("--content", "content_dir", default=CONTENT_DIR, type=click.Path(path_type=Path, file_okay=False),
              help="The content directory.")
def new(kind: str, record_id: str, title: str, date: str, source: str, track: str, summary: str,
        content_dir: Path) -> None:
    """Write a skeleton KIND record with id RECORD_ID in the right folder."""
    if not ID_PATTERN.match(record_id):
        raise click.BadParameter("use lower-case letters, digits and single hyphens", param_hint="RECORD_ID")
    path = content_dir / KINDS[kind].folder / f"{record_id}.yaml"
    if path.exists() or path.with_suffix(".md").exists():
        raise click.ClickException(f"{display_path(path)} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(kind, {"title": title, "date": date, "source": source, "track": track,
                                    "summary": summary}),
                    encoding="utf-8")
    click.echo(f"wrote {display_path(path)}; fill it in, then run: dyad check {display_path(content_dir)}")


@main.command()
@click.option("--out", "out_dir", default="schemas", type=click.Path(path_type=Path, file_okay=False),
              help="Where to write the schemas.")
@click.option("--check", "check_only", is_flag=True, help="Only say whether the schemas are current.")
def schema(out_dir: Path, check_only: bool) -> None:
    """Generate the JSON Schema of each record kind from the model."""
    if check_only:
        stale = stale_schemas(out_dir)
        if stale:
            raise click.ClickException(f"stale schemas: {', '.join(stale)}; run: dyad schema")
        click.echo("schemas are current")
        return
    for path in write_schemas(out_dir):
        click.echo(f"wrote {display_path(path)}")


def _register_data_commands() -> None:
    """`dyad import …` and `dyad export …` live in generator/interop/, one module per format."""
    from .interop.commands import export_group, import_group

    main.add_command(import_group)
    main.add_command(export_group)


_register_data_commands()
