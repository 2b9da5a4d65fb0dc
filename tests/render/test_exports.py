"""The files the site publishes beside its pages: the corpus JSON against its schema, CSV that sums to the series,
byte-identical output, and a data page whose every download exists."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.build import prepare_site
from generator.interop.downloads import downloads
from generator.model import RECORD_TYPES, Series
from generator.pipeline import check
from generator.render.exports import export_files

MINI = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mini" / "content"
SITE = "https://example.org/site/"


@pytest.fixture(scope="module")
def prepared() -> Any:
    site = prepare_site(MINI, site_url=SITE)
    assert site.ok, site.diagnostics.report(site.files)
    return site


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_build_publishes_every_export(prepared: Any) -> None:
    assert set(prepared.exports) == {
        "data/dyad.json", "data/dyad.schema.json", "data/events.csv", "data/series.csv", "data/timeline.json",
        "data/series/northland-exports.csv", "data/series/northland-imports.csv",
        "data/series/northland-balance.csv", "data/series/southland-tariff-on-northland.csv",
        "feed.xml", "calendar.ics", "tracks/trade/feed.xml", "tracks/diplomacy/feed.xml",
        "people/ada-north/feed.xml", "countries/northland/feed.xml", "countries/southland/feed.xml",
        "organizations/northland-trade-ministry/feed.xml", "agreements/port-north-accord/feed.xml",
        "initiatives/northern-forum/feed.xml"}
    pages = {page.url for page in prepared.pages}
    assert not any(path.endswith("/") or path in pages for path in prepared.exports)


def test_same_content_gives_byte_identical_files(prepared: Any) -> None:
    assert prepare_site(MINI, site_url=SITE).exports == prepared.exports
    assert export_files(prepared.renderer.corpus, SITE.rstrip("/")) == prepared.exports


def test_the_corpus_json_is_valid_against_its_published_schema(prepared: Any) -> None:
    document = json.loads(prepared.exports["data/dyad.json"])
    schema = json.loads(prepared.exports["data/dyad.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["version"] == "1.0" and document["$schema"] == f"{SITE}data/dyad.schema.json"
    corpus = prepared.renderer.corpus
    for cls in RECORD_TYPES:
        assert [r["id"] for r in document[cls.folder]] == [r.id for r in corpus.of_kind(cls)]
    balance = next(s for s in document["series"] if s["id"] == "northland-balance")
    assert [(p["period"], p["value"]) for p in balance["points"]] == [("2024", 2.4), ("2025", 2.3)]
    summit = next(e for e in document["events"] if e["id"] == "2025-03-01-port-north-summit")
    assert summit["title"] == 'Port North summit & "AT&T <Q1>" accord'
    assert summit["sources"] == [{"id": "gazette-2025-summit", "locator": "para 2",
                                  "quote": "The accord was signed at noon."}]
    assert summit["permalink"] == f"{SITE}events/2025-03-01-port-north-summit/"


def test_the_schema_describes_every_field(prepared: Any) -> None:
    schema = json.loads(prepared.exports["data/dyad.schema.json"])
    for name, definition in schema["$defs"].items():
        for field, spec in definition.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"
    assert schema["$defs"]["event"]["properties"]["date"]["$ref"] == "#/$defs/date"


def test_the_schema_catches_a_wrong_document(prepared: Any) -> None:
    schema = json.loads(prepared.exports["data/dyad.schema.json"])
    document = json.loads(prepared.exports["data/dyad.json"])
    document["events"][0]["date"] = "March 2025"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_series_csv_parses_and_sums_to_the_series(prepared: Any) -> None:
    corpus = prepared.renderer.corpus
    everything = rows(prepared.exports["data/series.csv"])
    for series in corpus.of_kind(Series):
        table = rows(prepared.exports[f"data/series/{series.id}.csv"])
        points = corpus.series_points[series.id]
        assert [r["period"] for r in table] == [p.period.iso for p in points]
        assert sum(Decimal(r["value"]) for r in table) == sum(p.value for p in points)
        assert all(r["unit"] == series.unit and r["flow"] == series.flow and r["source"] for r in table)
        assert [r for r in everything if r["series"] == series.id] == table
    assert list(everything[0]) == ["series", "period", "reporter", "partner", "flow", "value", "unit", "source",
                                   "note", "announced", "event", "legal_basis"]
    assert prepared.exports["data/series.csv"].endswith("\r\n")


def test_events_csv_has_one_row_per_event(prepared: Any) -> None:
    table = rows(prepared.exports["data/events.csv"])
    assert [r["id"] for r in table] == [e.id for e in prepared.renderer.corpus.events]
    summit = table[1]
    assert summit["title"] == 'Port North summit & "AT&T <Q1>" accord' and summit["tracks"] == "diplomacy;trade"
    assert summit["precision"] == "day" and summit["sources"] == "gazette-2025-summit"


def test_a_formula_in_a_title_is_not_run_by_a_spreadsheet(make_content: Any) -> None:
    root = make_content({"events/2020-x.yaml": 'title: "=HYPERLINK(\\"http://evil\\")"\ndate: 2020\n'
                                               "summary: \"-1 + 2\"\ntracks: [trade]\nsources: [s1]\n"})
    corpus = check(root).corpus
    assert corpus is not None
    [row] = rows(export_files(corpus, "")["data/events.csv"])
    assert row["title"] == "'=HYPERLINK(\"http://evil\")" and row["summary"] == "'-1 + 2"


def test_every_download_on_the_data_page_exists(prepared: Any) -> None:
    page = next(p for p in prepared.pages if p.src_uri == "data/index.md")
    hrefs = re.findall(r'href="([^"]+)"', page.markdown)
    files = [posixpath.normpath(posixpath.join("data", h)) for h in hrefs
             if not h.endswith("/") and "://" not in h]
    assert files and all(f in prepared.exports for f in files), [f for f in files if f not in prepared.exports]
    linked = set(files)
    assert {d.path for d in downloads(prepared.renderer.corpus)} <= linked
    assert {"tracks/trade/feed.xml", "tracks/diplomacy/feed.xml"} <= linked
