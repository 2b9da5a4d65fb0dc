"""`dyad import series`: trade tables become series files whose values sum to the table's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from generator.errors import display_path
from generator.interop.series_csv import SeriesOptions, import_series, parse_period, parse_value
from generator.model import PartialDate
from generator.pipeline import check

from .conftest import run

TABLE = (
    "\ufeffYear;Exports;Imports\n"
    "2010;19.249;29.533\n"
    "2011;21,542.1;36.154\n"
    "2012;..;40.513\n"
    "2013;22.106;  41.801 \n"
)


def test_each_value_column_becomes_a_series_that_sums_to_the_table(make_content: Any, tmp_path: Path) -> None:
    root = make_content()
    table = tmp_path / "trade.csv"
    table.write_text(TABLE, encoding="utf-8")
    report = import_series(table, root, SeriesOptions(id="us-goods", unit="USD bn", source="s1",
                                                      title="US goods trade with India", flow="exports",
                                                      reporter="united-states", partner="india"))
    assert not report.failure
    result = check(root)
    assert result.ok, result.diagnostics.report(result.files)
    assert result.corpus is not None
    exports = result.corpus.series_points["us-goods-exports"]
    imports = result.corpus.series_points["us-goods-imports"]
    assert [p.period.iso for p in exports] == ["2010", "2011", "2013"]
    assert sum(p.value for p in exports) == Decimal("19.249") + Decimal("21542.1") + Decimal("22.106")
    assert sum(p.value for p in imports) == sum(Decimal(v) for v in ("29.533", "36.154", "40.513", "41.801"))
    text = (root / "series" / "us-goods-exports.yaml").read_text(encoding="utf-8")
    assert 'title: "US goods trade with India: Exports"' in text and "frequency: year" in text
    assert "reporter: united-states" in text and "  - {period: 2011, value: 21542.1, source: s1}" in text
    assert any("missing-value marker" in line for line in report.lines())


def test_monthly_tables_a_source_column_and_notes(make_content: Any, tmp_path: Path) -> None:
    root = make_content({"sources/s2.yaml": "title: B\npublisher: B\nurl: https://example.org/b\nkind: dataset\n"})
    table = tmp_path / "monthly.csv"
    table.write_text("month,value,source,note\n2024-01,1.5,s1,\n02/2024,2.5,s2,revised\nMar 2024,3,,\n",
                     encoding="utf-8")
    import_series(table, root, SeriesOptions(id="monthly", unit="USD bn", source="s1"))
    result = check(root)
    assert result.ok, result.diagnostics.report(result.files)
    assert result.corpus is not None
    points = result.corpus.series_points["monthly"]
    assert [(p.period.iso, p.value, p.sources[0].id, p.note) for p in points] == [
        ("2024-01", Decimal("1.5"), "s1", None), ("2024-02", Decimal("2.5"), "s2", "revised"),
        ("2024-03", Decimal("3"), "s1", None)]
    assert "frequency: month" in (root / "series" / "monthly.yaml").read_text(encoding="utf-8")


def test_what_cannot_be_read_is_reported_by_row(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("period,v\n2020,1\n2020,2\nsoon,3\n2021,1e3\n2022-05,4\n2023,\n", encoding="utf-8")
    report = import_series(table, tmp_path / "content", SeriesOptions(id="t", unit="u"))
    lines = "\n".join(report.lines())
    for expected in ("period 2020 appears twice; the first value is kept: row 3 (v)",
                     "the period is not a year (2024), a month (2024-03) or a day; skipped: row 4",
                     "'1e3' is not a plain number; skipped: row 5 (v)",
                     "period 2022-05 is a month, but the series is by year; skipped: row 6",
                     "no source id: add 'source:' to the point, or import with --source: row 2"):
        assert expected in lines
    result = check(tmp_path / "content")  # no --source: check says which point needs one
    assert any("points[0].source: required field is missing" in d.format() for d in result.diagnostics.errors)


@pytest.mark.parametrize("text, expected", [
    ("2024", "2024"), ("2024-3", "2024-03"), ("2024/03", "2024-03"), ("03/2024", "2024-03"), ("2024M03", "2024-03"),
    ("Mar 2024", "2024-03"), ("March-2024", "2024-03"), ("2024 Sep", "2024-09"), ("2024-03-05", "2024-03-05"),
    ("2024-13", None), ("FY2024", None), ("Foo 2024", None), ("", None),
])
def test_periods_as_tables_write_them(text: str, expected: str | None) -> None:
    period = parse_period(text)
    assert (period.iso if isinstance(period, PartialDate) else None) == expected


@pytest.mark.parametrize("text, expected", [
    ("19.249", Decimal("19.249")), ("-10.5", Decimal("-10.5")), ("1,234,567.5", Decimal("1234567.5")),
    ("+3", Decimal("3")), ("007", Decimal("7")), ("NA", None), ("..", None), ("", None), ("1,23", "not"),
    ("1e3", "not"), ("12.1234567890123", "more digits"),
])
def test_values_are_plain_decimals(text: str, expected: Any) -> None:
    value = parse_value(text)
    if isinstance(expected, str):
        assert isinstance(value, str) and expected in value
    else:
        assert value == expected


def test_cli_imports_and_checks(make_content: Any, tmp_path: Path) -> None:
    root = make_content()
    table = tmp_path / "t.csv"
    table.write_text("year,value\n2020,1.25\n2021,2.5\n", encoding="utf-8")
    result = run("import", "series", table, "--into", root, "--id", "t", "--unit", "USD bn", "--source", "s1",
                 "--flow", "exports")
    assert result.exit_code == 0, result.output
    assert "imported 1 series, 2 values; wrote 1 files" in result.output and "Everything checks out." in result.output
    missing = run("import", "series", table, "--into", root, "--id", "u", "--unit", "x", "--source", "nowhere")
    assert "'nowhere' is not a record" in missing.output
    assert display_path(root / "series" / "u.yaml") in missing.output and "'nowhere' does not exist" in missing.output
    bad = run("import", "series", table, "--into", root, "--id", "Bad Id", "--unit", "x")
    assert bad.exit_code == 2 and "is not an id" in bad.output
    no_column = run("import", "series", table, "--into", root, "--id", "v", "--unit", "x", "--value-column", "nope")
    assert no_column.exit_code == 1 and "no column 'nope'; the columns are: year, value" in no_column.output
