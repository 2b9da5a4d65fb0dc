"""JSON Schemas for editors, generated from the model so completion and validation never drift from it.

Entry points: `record_schemas()` (kind → schema) and `write_schemas()`; a test fails when `schemas/` is stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import KINDS, Record, SiteConfig, object_schema

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def record_schemas() -> dict[str, dict[str, Any]]:
    """One schema per record kind, plus `config` for dyad.yaml."""
    result = {}
    kinds: list[tuple[str, type[Record]]] = [*KINDS.items(), ("config", SiteConfig)]
    for kind, cls in kinds:
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        result[kind] = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"{kind}.schema.json",
            "title": f"Dyad {kind}",
            "description": doc or f"A Dyad {kind} record: one file in content/{getattr(cls, 'folder', '')}/.",
            **object_schema(cls),
        }
    return result


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into `directory`; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in record_schemas().items():
        path = directory / f"{kind}.schema.json"
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(directory: Path) -> list[str]:
    """Names of schema files in `directory` that differ from what the model generates now."""
    stale = []
    for kind, schema in record_schemas().items():
        path = directory / f"{kind}.schema.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != render_schema(schema):
            stale.append(path.name)
    return stale
