"""The `dyad` command: check (text and JSON), new, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

from ._helpers import VALID_EVENT

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


@pytest.fixture
def dyad(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `dyad ARGS…` in-process with the working directory at tmp_path."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


# ---------------------------------------------------------------------------------------------------- check


def test_check_of_a_valid_corpus_exits_0_with_the_summary_line(make_content, dyad) -> None:
    make_content({"events/a.yaml": VALID_EVENT})
    result = dyad("check", "content")
    assert result.exit_code == 0
    assert result.output == "0 errors, 0 warnings in 5 files\n"


def test_check_defaults_to_the_content_folder(make_content, dyad) -> None:
    make_content({})
    result = dyad("check")
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings in 4 files\n")


def test_check_with_errors_exits_1_and_prints_each_then_the_summary(make_content, dyad) -> None:
    make_content({"events/a.yaml": VALID_EVENT + "status: no\nimportance: 01\n",
                  "sources/s2.yaml": "title: T\npublisher: P\nurl: https://e.org/\nkind: news\n"})
    result = dyad("check", "content")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/events/a.yaml:6:9: error: status: 'no' is not allowed (use one of occurred, scheduled, cancelled)",
        "content/events/a.yaml:7:13: error: importance: '01' is not a whole number "
        "(write a number from 1 to 3, without leading zeros)",
        "content/sources/s2.yaml:1:1: warning: no record cites this source (cite it, or remove the file)",
        "2 errors, 1 warning in 6 files",
    ]


def test_check_with_only_warnings_exits_0(make_content, dyad) -> None:
    make_content({"sources/s2.yaml": "title: T\npublisher: P\nurl: https://e.org/\nkind: news\n"})
    result = dyad("check", "content")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "0 errors, 1 warning in 5 files"


def test_check_of_a_missing_folder_exits_1(dyad) -> None:
    result = dyad("check", "nowhere")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "nowhere:1:1: error: content directory not found "
        "(pass the folder that holds dyad.yaml and the record folders)",
        "1 error, 0 warnings in 0 files",
    ]


def test_check_json_parses_and_carries_every_field(make_content, dyad) -> None:
    make_content({"events/a.yaml": VALID_EVENT + "status: no\n"})
    result = dyad("check", "content", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert (report["errors"], report["warnings"], report["files"]) == (1, 0, 5)
    assert report["diagnostics"] == [{
        "path": "content/events/a.yaml", "line": 6, "column": 9, "message": "'no' is not allowed",
        "hint": "use one of occurred, scheduled, cancelled", "field": "status", "severity": "error"}]


def test_check_json_of_a_valid_corpus_exits_0(make_content, dyad) -> None:
    make_content({})
    result = dyad("check", "content", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"diagnostics": [], "errors": 0, "warnings": 0, "files": 4}


# ---------------------------------------------------------------------------------------------------- new


@pytest.mark.parametrize(("kind", "folder"), [("person", "people"), ("country", "countries"),
                                              ("organization", "organizations"), ("agreement", "agreements"),
                                              ("initiative", "initiatives")])
def test_new_with_presets_writes_a_record_that_check_accepts(kind: str, folder: str, make_content, dyad) -> None:
    make_content({})
    result = dyad("new", kind, "new-record", "--title", "A “quoted” name: with colon", "--source", "s1")
    assert result.exit_code == 0, result.output
    assert result.output == (f"wrote content/{folder}/new-record.yaml; fill it in, then run: dyad check content\n")
    assert Path(f"content/{folder}/new-record.yaml").is_file()
    check = dyad("check", "content")
    assert (check.exit_code, check.output) == (0, "0 errors, 0 warnings in 5 files\n")


def test_new_event_with_presets_leaves_only_the_summary_to_fill_in(make_content, dyad) -> None:
    make_content({})
    result = dyad("new", "event", "2026-03-01-example", "--title", "Example: a meeting", "--date", "2026-03-01",
                  "--source", "s1", "--track", "trade")
    assert result.exit_code == 0, result.output
    path = Path("content/events/2026-03-01-example.yaml")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/event.schema.json\n")
    check = dyad("check", "content")
    assert check.exit_code == 1
    assert check.output.splitlines() == [
        "content/events/2026-03-01-example.yaml:4:10: error: summary: must not be empty "
        "(write the text, or remove the field if it is optional)",
        "1 error, 0 warnings in 5 files",
    ]
    path.write_text(text.replace('summary: ""', "summary: They met."), encoding="utf-8")
    assert dyad("check", "content").exit_code == 0


def test_new_creates_the_folder_when_missing(make_content, dyad) -> None:
    make_content({})
    assert not Path("content/commitments").exists()
    assert dyad("new", "commitment", "mission-500").exit_code == 0
    assert Path("content/commitments/mission-500.yaml").is_file()


@pytest.mark.parametrize("existing", ["events/taken.yaml", "events/taken.md"])
def test_new_refuses_to_overwrite_an_existing_record(existing: str, make_content, dyad) -> None:
    make_content({existing: "keep me\n"})
    result = dyad("new", "event", "taken", "--title", "X")
    assert result.exit_code == 1
    assert "content/events/taken.yaml already exists" in result.output
    assert Path("content", existing).read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("record_id", ["Bad_Id", "two--hyphens", "-leading", "trailing-", "spaces in", ""])
def test_new_refuses_a_bad_id_and_writes_nothing(record_id: str, make_content, dyad) -> None:
    root = make_content({})
    before = sorted(p for p in root.rglob("*"))
    result = dyad("new", "event", record_id)
    assert result.exit_code == 2
    assert "RECORD_ID" in result.output
    assert sorted(p for p in root.rglob("*")) == before


def test_new_refuses_an_unknown_kind(make_content, dyad) -> None:
    make_content({})
    assert dyad("new", "treaty", "x").exit_code == 2


# ---------------------------------------------------------------------------------------------------- schema


def test_schema_check_passes_on_the_committed_schemas(dyad) -> None:
    result = dyad("schema", "--check", "--out", str(SCHEMAS))
    assert (result.exit_code, result.output) == (0, "schemas are current\n")


def test_schema_check_fails_on_stale_schemas_and_writing_them_fixes_it(tmp_path: Path, dyad) -> None:
    out = tmp_path / "out"
    stale = dyad("schema", "--check", "--out", str(out))
    assert stale.exit_code == 1
    assert "stale schemas: " in stale.output and "event.schema.json" in stale.output
    written = dyad("schema", "--out", str(out))
    assert written.exit_code == 0
    assert len(written.output.splitlines()) == len(list(SCHEMAS.glob("*.schema.json")))
    assert dyad("schema", "--check", "--out", str(out)).exit_code == 0
    for path in SCHEMAS.glob("*.schema.json"):
        assert (out / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
