"""The JSON Schemas editors use: committed, current, one per kind, and agreeing with the model."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import Diagnostics
from generator.load import MappingNode, RawRecord, parse_yaml
from generator.model import KINDS, Choice, SiteConfig, build_record, specs
from generator.schemas import record_schemas, render_schema, stale_schemas, write_schemas

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def test_committed_schemas_are_current() -> None:
    assert stale_schemas(SCHEMAS) == []


def test_every_record_kind_and_the_settings_have_a_committed_schema() -> None:
    expected = {f"{kind}.schema.json" for kind in [*KINDS, "config"]}
    assert {p.name for p in SCHEMAS.glob("*.schema.json")} == expected


def test_stale_schemas_names_a_missing_or_edited_file(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    (tmp_path / "event.schema.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "source.schema.json").unlink()
    assert sorted(stale_schemas(tmp_path)) == ["event.schema.json", "source.schema.json"]


@pytest.mark.parametrize("kind", [*KINDS, "config"])
def test_schema_requires_what_the_model_requires_and_refuses_unknown_fields(kind: str) -> None:
    cls = SiteConfig if kind == "config" else KINDS[kind]
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == f"{kind}.schema.json"
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == [name for name, _ in specs(cls)]
    assert schema.get("required", []) == [name for name, spec in specs(cls) if spec.required]
    for name, spec in specs(cls):
        if isinstance(spec.type, Choice):
            assert schema["properties"][name]["enum"] == list(spec.type.values)


def test_rendered_schemas_are_json_ending_in_a_newline() -> None:
    for schema in record_schemas().values():
        text = render_schema(schema)
        assert text.endswith("}\n") and json.loads(text) == schema


# ---------------------------------------------------------------------------------------------------- schema vs model

EVENT: dict[str, Any] = {"title": "Meeting", "date": "2026-02-03", "summary": "They met.", "tracks": ["trade"],
                         "sources": ["s1"]}
SOURCE: dict[str, Any] = {"title": "T", "publisher": "P", "url": "https://example.org/", "kind": "news"}
SAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("event", EVENT),
    ("event", {**EVENT, "importance": 3, "status": "scheduled", "sources": [{"id": "s1", "locator": "p. 4"}]}),
    ("event", {k: v for k, v in EVENT.items() if k != "summary"}),
    ("event", {**EVENT, "sumary": "typo"}),
    ("event", {**EVENT, "status": "no"}),
    ("event", {**EVENT, "importance": 4}),
    ("event", {**EVENT, "tracks": []}),
    ("event", {**EVENT, "date": "2026/02/03"}),
    ("source", SOURCE),
    ("source", {**SOURCE, "url": "javascript:alert(1)"}),
    ("source", {**SOURCE, "kind": "blog"}),
    ("country", {"name": "India", "iso": "IN"}),
    ("country", {"name": "India", "iso": "in"}),
]


def model_accepts(kind: str, data: dict[str, Any]) -> bool:
    root = parse_yaml(yaml.safe_dump(data, sort_keys=False))
    assert isinstance(root, MappingNode)
    diagnostics = Diagnostics()
    build_record(RawRecord(Path("x.yaml"), "x.yaml", kind, "x", root), diagnostics)
    return not diagnostics.items


def test_schema_accepts_and_rejects_what_the_model_does() -> None:
    if importlib.util.find_spec("jsonschema") is None:
        pytest.skip("jsonschema is not installed")
    import jsonschema  # type: ignore[import-untyped]

    disagreements = []
    for kind, data in SAMPLES:
        schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
        schema_accepts = jsonschema.Draft202012Validator(schema).is_valid(data)
        if schema_accepts != model_accepts(kind, data):
            disagreements.append((kind, data, schema_accepts))
    assert disagreements == []


def test_model_side_of_the_samples_is_as_expected() -> None:
    assert [model_accepts(kind, data) for kind, data in SAMPLES] == [
        True, True, False, False, False, False, False, False, True, False, False, True, False]
