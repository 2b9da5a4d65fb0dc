"""Trade tables in: a CSV with a year or month column and one or more value columns becomes one series file per
value column, every value with its source.

Tables come from statistics offices and spreadsheets, so the reader is lenient where it can be sure and strict
where it cannot: a UTF-8 byte-order mark, `;` or tab separators, `2024-03`, `03/2024`, `2024M03` and `Mar 2024`
periods, and `1,234.5` thousands separators are read; cells such as `..`, `NA` or `-` are missing values and are
skipped; anything else that is not a plain number is reported with its row, never guessed. A `source` column
gives each row its own source id; otherwise `--source` applies to every value. Entry point: `import_series()`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..load import ID_PATTERN
from ..model import NumberType, PartialDate
from .existing import scan_existing
from .factfile import Plain, decimal_text, yaml_text
from .report import ImportReport
from .textutil import one_line, slugify

PERIOD_HEADERS = ("period", "year", "month", "date", "time")
SOURCE_HEADERS = ("source", "source_id", "source id")
NOTE_HEADERS = ("note", "notes")
MISSING = {"", "na", "n/a", "nan", "-", "–", "—", "..", "...", "…", "x", "null", "none"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FREQUENCY = {"year": "year", "month": "month", "day": "irregular"}
_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")


@dataclass(frozen=True)
class SeriesOptions:
    """What the table does not say: the series id (a prefix when there are several value columns), its unit and
    default source, and optionally its title, columns, frequency, flow and the two countries."""

    id: str
    unit: str
    source: str | None = None
    title: str | None = None
    period_column: str | None = None
    value_columns: tuple[str, ...] = ()
    frequency: str | None = None
    flow: str | None = None
    reporter: str | None = None
    partner: str | None = None
    overwrite: bool = False
    origin: str = "a CSV file"


def parse_period(text: str) -> PartialDate | None:
    """A year, a month or a day, in the spellings statistics tables use; None when it is none of them."""
    text = text.strip()
    patterns: list[tuple[str, tuple[int, int | None]]] = [
        (r"^(\d{4})$", (1, None)), (r"^(\d{4})[-/.](\d{1,2})$", (1, 2)), (r"^(\d{1,2})[-/.](\d{4})$", (2, 1)),
        (r"^(\d{4})\s*[Mm](\d{1,2})$", (1, 2)),
    ]
    try:
        for pattern, (year_group, month_group) in patterns:
            match = re.match(pattern, text)
            if match:
                year = int(match.group(year_group))
                month = int(match.group(month_group)) if month_group else None
                return PartialDate.parse(f"{year:04d}" + (f"-{month:02d}" if month else ""))
        named = re.match(r"^([A-Za-z]{3,9})\.?[\s-]+(\d{4})$", text) or re.match(r"^(\d{4})[\s-]+([A-Za-z]{3,9})$",
                                                                                    text)
        if named:
            word, year_text = (named.group(1), named.group(2)) if named.group(1).isalpha() else (
                named.group(2), named.group(1))
            if word[:3].lower() in MONTHS:
                return PartialDate.parse(f"{int(year_text):04d}-{MONTHS.index(word[:3].lower()) + 1:02d}")
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return PartialDate.parse(text)
    except ValueError:
        return None
    return None


def parse_value(text: str) -> Decimal | None | str:
    """A value as a Decimal; None for a missing-value marker; the reason when it is not a plain number."""
    text = text.strip().replace("\u00a0", "")
    if text.casefold() in MISSING:
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return f"'{text[:20]}' is not a plain number"
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return f"'{text[:20]}' is not a plain number"
    if not NumberType.PATTERN.match(decimal_text(value)):
        return f"'{text[:20]}' has more digits than Dyad keeps (15 before the point, 12 after)"
    return value


def _read(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(text.splitlines(), dialect) if any(cell.strip() for cell in row)]


def _pick(header: list[str], names: tuple[str, ...]) -> int | None:
    for index, name in enumerate(header):
        if name.strip().casefold() in names:
            return index
    return None


def import_series(path: Path, into: Path, options: SeriesOptions) -> ImportReport:
    """Write one series file per value column of the CSV at `path` into `into/series/`."""
    report = ImportReport()
    rows = _read(path)
    if len(rows) < 2:
        report.fail("the file has no header row and values")
        return report
    header = [one_line(h) for h in rows[0]]
    if options.period_column is not None and options.period_column not in header:
        report.fail(f"no column '{options.period_column}'; the columns are: {', '.join(header)}")
        return report
    named_period = _pick(header, PERIOD_HEADERS)
    period_at = header.index(options.period_column) if options.period_column else (named_period or 0)
    source_at, note_at = _pick(header, SOURCE_HEADERS), _pick(header, NOTE_HEADERS)
    reserved = {period_at, source_at, note_at}
    missing_columns = [c for c in options.value_columns if c not in header]
    if missing_columns:
        report.fail(f"no column {', '.join(repr(c) for c in missing_columns)}; the columns are: "
                        f"{', '.join(header)}")
        return report
    columns = ([header.index(c) for c in options.value_columns] if options.value_columns
               else [i for i in range(len(header)) if i not in reserved])
    if not columns:
        report.fail("no value column: the table needs a period column and at least one value column")
        return report
    existing = scan_existing(into)
    if options.source and options.source not in existing.ids:
        report.note("--source", f"'{options.source}' is not a record in {into}: add sources/{options.source}.yaml")
    files: dict[str, str] = {}
    for column in columns:
        name = header[column] or f"column {column + 1}"
        series_id = options.id if len(columns) == 1 else f"{options.id}-{slugify(name, 40) or column + 1}"
        frequency = options.frequency
        points: list[dict[str, Any]] = []
        seen: set[str] = set()
        for number, row in enumerate(rows[1:], start=2):
            where = f"row {number}"
            cell = row[column] if column < len(row) else ""
            value = parse_value(cell)
            if value is None:
                if cell.strip():
                    report.note(f"{where} ({name})", "missing-value marker skipped")
                continue
            if isinstance(value, str):
                report.note(f"{where} ({name})", f"{value}; skipped")
                continue
            period = parse_period(row[period_at] if period_at < len(row) else "")
            if period is None:
                report.note(where, "the period is not a year (2024), a month (2024-03) or a day; skipped")
                continue
            frequency = frequency or FREQUENCY[period.precision]
            if FREQUENCY[period.precision] != frequency:
                report.note(where, f"period {period} is a {period.precision}, but the series is by {frequency}; "
                                   "skipped")
                continue
            if period.iso in seen:
                report.note(f"{where} ({name})", f"period {period} appears twice; the first value is kept")
                continue
            seen.add(period.iso)
            point: dict[str, Any] = {"period": period, "value": value}
            row_source = row[source_at].strip() if source_at is not None and source_at < len(row) else ""
            source = row_source or options.source or ""
            if source and ID_PATTERN.match(source):
                point["source"] = Plain(source)
            else:
                report.note(where, f"no source id{f' ({source[:30]!r} is not an id)' if source else ''}: add "
                                   "'source:' to the point, or import with --source")
            note = one_line(row[note_at]) if note_at is not None and note_at < len(row) else ""
            if note:
                point["note"] = note
            points.append(point)
        if not points:
            report.note(name, "no values; no series written")
            continue
        points.sort(key=lambda p: p["period"].sort_key())
        title = (f"{options.title}: {name}" if len(columns) > 1 else options.title) if options.title else name
        fields: list[tuple[str, Any]] = [("title", title), ("unit", options.unit),
                                         ("frequency", Plain(frequency or "year"))]
        for key in ("flow", "reporter", "partner"):
            if getattr(options, key):
                fields.append((key, Plain(getattr(options, key))))
        fields.append(("points", points))
        files[f"series/{series_id}.yaml"] = yaml_text(
            fields, [f"Imported from {options.origin} (column {name!r}) by dyad import series."])
        report.count("series")
        for _ in points:
            report.count("values")
    report.write(into, files, options.overwrite)
    return report
