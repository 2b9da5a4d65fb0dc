"""`dyad import …` and `dyad export …`: thin commands over the format modules.

An import writes fact files, says what it could not carry over, then runs `dyad check` on what it wrote, so an
editor reads in one place what to add, file by file. An export reads only a corpus that passes `dyad check`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import display_path
from ..load import ID_PATTERN
from ..pipeline import check
from .report import ImportReport
from .series_csv import SeriesOptions, import_series
from .timelinejs_in import TimelineOptions, import_timeline
from .timelinejs_out import dump_timeline, timeline

CONTENT_DIR = "content"


def _id(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Option callback: every value given must be a valid Dyad id."""
    values = value if isinstance(value, tuple) else (value,)
    for item in values:
        if item is not None and not ID_PATTERN.match(str(item)):
            raise click.BadParameter(f"'{item}' is not an id: use lower-case letters, digits and single hyphens")
    return value


def _finish(report: ImportReport, into: Path) -> None:
    """Print what was imported, what was not, and what `dyad check` says of the files written."""
    lines = report.lines()
    if lines:
        click.echo("Not carried over, or needing an editor:")
        for line in lines:
            click.echo(f"  - {line}")
    if report.failure:
        raise click.ClickException(report.failure)
    click.echo(("\n" if lines else "") + report.summary())
    result = check(into)
    written = {display_path(p) for p in report.written}
    ours = [d for d in result.diagnostics.sorted() if d.path in written]
    others = [d for d in result.diagnostics.errors if d.path not in written]
    if ours:
        click.echo(f"\ndyad check {display_path(into)}, on the files written:")
        for diagnostic in ours:
            click.echo(diagnostic.format())
    errors = [d for d in ours if d in result.diagnostics.errors]
    if errors:
        click.echo(f"\n{len(errors)} errors to fix before the site builds: each line says what to add, and where.")
    elif others:
        click.echo(f"\nThe files written check out; {len(others)} errors elsewhere: run dyad check "
                   f"{display_path(into)}.")
    else:
        click.echo("\nEverything checks out.")


@click.group("import")
def import_group() -> None:
    """Turn data made elsewhere into fact files: TimelineJS timelines, trade tables."""


@import_group.command("timelinejs")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "into", default=CONTENT_DIR, show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The content folder to write fact files into.")
@click.option("--track", callback=_id, help="Track for slides without a group.  [default: general]")
@click.option("--focus", multiple=True, callback=_id,
              help="Id of a country the site covers (repeat for each); used when INTO has no dyad.yaml yet.")
@click.option("--base-url", default="", help="Address that relative media URLs are relative to.")
@click.option("--overwrite", is_flag=True, help="Replace fact files that already exist.")
def import_timelinejs(file: Path, into: Path, track: str | None, focus: tuple[str, ...], base_url: str,
                      overwrite: bool) -> None:
    """Convert the TimelineJS 3 JSON in FILE into events, sources and tracks."""
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise click.ClickException(f"{display_path(file)}{where}: not JSON: {exc}") from None
    options = TimelineOptions(track=track, focus=focus, base_url=base_url, overwrite=overwrite,
                              origin=file.name)
    _finish(import_timeline(data, into, options), into)


@import_group.command("series")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "into", default=CONTENT_DIR, show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The content folder to write series into.")
@click.option("--id", "series_id", required=True, callback=_id,
              help="Id of the series; with several value columns, the prefix of each series' id.")
@click.option("--unit", required=True, help="Unit of every value, e.g. 'USD bn'.")
@click.option("--source", callback=_id, help="Id of the source of every value (a 'source' column overrides it).")
@click.option("--title", help="Title of the series.  [default: the column's name]")
@click.option("--period-column", help="The column holding years or months.  [default: period/year/month/date, "
                                      "else the first]")
@click.option("--value-column", "value_columns", multiple=True,
              help="A column of values (repeat for each).  [default: every other column]")
@click.option("--frequency", type=click.Choice(["year", "month", "irregular"]),
              help="year, month or irregular.  [default: read from the periods]")
@click.option("--flow", type=click.Choice(["exports", "imports", "balance", "total", "rate", "other"]),
              help="What the values are.")
@click.option("--reporter", callback=_id, help="Id of the country whose statistics these are.")
@click.option("--partner", callback=_id, help="Id of the partner country.")
@click.option("--overwrite", is_flag=True, help="Replace series files that already exist.")
def import_series_command(file: Path, into: Path, series_id: str, unit: str, source: str | None, title: str | None,
                          period_column: str | None, value_columns: tuple[str, ...], frequency: str | None,
                          flow: str | None, reporter: str | None, partner: str | None, overwrite: bool) -> None:
    """Convert a trade table (a year or month column, value columns) in FILE into series files."""
    if not unit.strip():
        raise click.BadParameter("give the unit of the values, e.g. 'USD bn'", param_hint="--unit")
    options = SeriesOptions(id=series_id, unit=unit.strip(), source=source, title=title, period_column=period_column,
                            value_columns=value_columns, frequency=frequency, flow=flow, reporter=reporter,
                            partner=partner, overwrite=overwrite, origin=file.name)
    try:
        report = import_series(file, into, options)
    except UnicodeDecodeError:
        raise click.ClickException(f"{display_path(file)}: not UTF-8; save the table as UTF-8 CSV") from None
    _finish(report, into)


@click.group("export")
def export_group() -> None:
    """Write the record in formats other tools read."""


@export_group.command("timelinejs")
@click.option("--track", callback=_id, help="Only this track's events.")
@click.option("--out", "out", default="-", show_default=True, help="The file to write; '-' for standard output.")
@click.option("--content", "content_dir", default=CONTENT_DIR, show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The content folder.")
@click.option("--site-url", default="", help="The site's address, for links from each slide to its event page.")
def export_timelinejs(track: str | None, out: str, content_dir: Path, site_url: str) -> None:
    """Write the events as TimelineJS 3 JSON (the site publishes the same at /data/timeline.json)."""
    result = check(content_dir)
    if result.corpus is None or not result.ok:
        click.echo(result.diagnostics.report(result.files), err=True)
        raise click.ClickException(f"{display_path(content_dir)} has errors; fix them, then export")
    site_url = site_url.rstrip("/") + "/" if site_url else ""
    try:
        document = timeline(result.corpus, site_url, track)
    except KeyError:
        known = ", ".join(t.id for t in result.corpus.config.tracks)
        raise click.BadParameter(f"no track '{track}'; the tracks are: {known}", param_hint="--track") from None
    text = dump_timeline(document)
    if out == "-":
        sys.stdout.write(text)
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {display_path(path)}: {len(document['events'])} events")
