"""`data/dyad.json`: the whole corpus as one JSON document, and `data/dyad.schema.json`, its JSON Schema.

Both are made from the model's field table, like the editors' schemas in `schemas/`, so a field added to the model
appears in the export and is documented in its schema without anyone remembering to. Differences from the YAML
files: dates are always ISO strings at their precision (`2007`, `2026-02`, `2026-02-04`), citations are always
objects, every record carries its `id` and `permalink`, and each series lists every value as readers see it
(typed in or derived), each with its sources. Entry point: `json_files()`.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from .. import __version__
from ..corpus import Corpus, SeriesPoint
from ..model import (RECORD_TYPES, BoolType, Choice, DateType, FieldType, IntType, ListOf, Markdown, NumberType, Obj,
                     PartialDate, Pattern, Record, Ref, Series, SiteConfig, Text, UrlType, python_name, specs)
from ..render.urls import record_url
from .downloads import CORPUS_JSON, CORPUS_SCHEMA
from .textutil import absolute

FORMAT_VERSION = "1.0"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


# ---------------------------------------------------------------------------------------------------- values


def _value(value: Any) -> Any:
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, Decimal):
        return float(value)  # exact for every value of up to 15 significant digits; the CSV files carry the text
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    return value


_NAMES: dict[type, tuple[tuple[str, str], ...]] = {}


def _names(cls: type) -> tuple[tuple[str, str], ...]:
    """A model class's fields as (YAML name, attribute name), worked out once per class."""
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = tuple((name, python_name(cls, name)) for name, _ in specs(cls))
    return found


def _fields(obj: Any) -> dict[str, Any]:
    """An object's model fields by their YAML names, leaving out what is unset."""
    out: dict[str, Any] = {}
    for name, attribute in _names(type(obj)):
        value = getattr(obj, attribute)
        if value is None or value == ():
            continue
        out[name] = _value(value)
    return out


def _point(point: SeriesPoint) -> dict[str, Any]:
    out: dict[str, Any] = {"period": point.period.iso, "value": _value(point.value),
                           "sources": _value(point.sources)}
    for name in ("note", "announced", "event", "legal_basis"):
        value = getattr(point, name)
        if value is not None:
            out[name] = _value(value)
    return out


def _record(corpus: Corpus, record: Record, site_url: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": record.id, "permalink": absolute(site_url, record_url(record)), **_fields(record)}
    if isinstance(record, Series):
        out["points"] = [_point(p) for p in corpus.series_points.get(record.id, [])]
    return out


def corpus_document(corpus: Corpus, site_url: str) -> dict[str, Any]:
    """The corpus as plain data, every list in the corpus's stable order."""
    config = corpus.config
    site: dict[str, Any] = {"title": config.title}
    if config.description:
        site["description"] = config.description
    site.update({"focus": list(config.focus), "as_of": config.as_of.iso,
                 "tracks": [_fields(track) for track in config.tracks]})
    if site_url:
        site["url"] = site_url
    document: dict[str, Any] = {
        "$schema": absolute(site_url, CORPUS_SCHEMA) if site_url else "dyad.schema.json",
        "version": FORMAT_VERSION, "generator": f"Dyad {__version__}", "site": site}
    for cls in RECORD_TYPES:
        document[cls.folder] = [_record(corpus, r, site_url) for r in corpus.of_kind(cls)]
    return document


# ---------------------------------------------------------------------------------------------------- schema


def _type_schema(field_type: FieldType, defs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(field_type, Markdown):
        return {"type": "string", "contentMediaType": "text/markdown"}
    if isinstance(field_type, Pattern):
        return {"type": "string", "pattern": field_type.regex.pattern}
    if isinstance(field_type, Text):
        return {"type": "string", "minLength": 1}
    if isinstance(field_type, DateType):
        return {"$ref": "#/$defs/date"}
    if isinstance(field_type, NumberType):
        return {"type": "number"}
    if isinstance(field_type, UrlType):
        return {"type": "string", "format": "uri", "pattern": "^(https?|mailto):"}
    if isinstance(field_type, (IntType, BoolType, Choice, Ref)):
        return field_type.schema()
    if not isinstance(field_type, (ListOf, Obj)):
        return field_type.schema()  # a field type added later: its own (YAML) schema is the closest there is
    if isinstance(field_type, ListOf):
        return {"type": "array", "items": _type_schema(field_type.item, defs)}
    if isinstance(field_type, Obj):
        name = field_type.cls.__name__
        if name not in defs:
            defs[name] = {}  # reserve the name first: nested objects may refer back
            defs[name] = _object_schema(field_type.cls, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {type(field_type).__name__}")  # pragma: no cover - unreachable


def _object_schema(cls: type, defs: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = " ".join((cls.__doc__ or "").split())
    properties: dict[str, Any] = dict(extra or {})
    required = list(extra or {})
    for name, spec in specs(cls):
        properties[name] = {**_type_schema(spec.type, defs), "description": spec.doc}
        if spec.required:
            required.append(name)
    schema: dict[str, Any] = {"type": "object"}
    if doc:
        schema["description"] = doc
    schema.update({"properties": properties, "required": required, "additionalProperties": False})
    return schema


def corpus_schema(site_url: str) -> dict[str, Any]:
    """The JSON Schema of `corpus_document()`, with a description of every field."""
    defs: dict[str, Any] = {
        "date": {"type": "string", "pattern": DATE_PATTERN,
                 "description": "A date at its precision: YYYY (a year), YYYY-MM (a month) or YYYY-MM-DD (a day)."},
    }
    identity = {
        "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
               "description": "The record's id, unique across every kind; permanent."},
        "permalink": {"type": "string", "description": "The record's page (or its anchor on a list page); absolute "
                                                       "when the site has a URL. Permanent."},
    }
    record_defs: dict[str, Any] = {}
    for cls in RECORD_TYPES:
        schema = _object_schema(cls, defs, identity)
        if cls is Series:
            schema["properties"]["points"] = {
                "type": "array", "items": {"$ref": "#/$defs/value"},
                "description": "Every value as readers see it, typed in or derived, oldest first, each with its "
                               "sources."}
            schema["required"].append("points")
        record_defs[cls.kind] = schema
    defs["value"] = {
        "type": "object", "description": "One value of a series.",
        "properties": {
            "period": {"$ref": "#/$defs/date", "description": "The year, month or (for steps) day of the value."},
            "value": {"type": "number", "description": "The value, in the series' unit."},
            "sources": {"type": "array", "items": {"$ref": "#/$defs/Citation"}, "minItems": 1,
                        "description": "Where the value comes from; a derived value cites every operand's source."},
            "note": {"type": "string", "description": "Anything a reader must know about this value."},
            "announced": {"$ref": "#/$defs/date", "description": "For steps: when the change was announced."},
            "event": {"type": "string", "description": "For steps: id of the event that made the change."},
            "legal_basis": {"type": "string", "description": "For steps: the legal instrument."},
        },
        "required": ["period", "value", "sources"], "additionalProperties": False}
    defs.update(record_defs)
    site = _object_schema(SiteConfig, defs)
    site["properties"]["url"] = {"type": "string", "description": "The site's address, when it has one."}
    site["description"] = "What the site covers: dyad.yaml."
    properties: dict[str, Any] = {
        "$schema": {"type": "string", "description": "Where this schema is published."},
        "version": {"const": FORMAT_VERSION, "description": "Version of this format. A new minor version only "
                                                            "adds fields; a new major version may change them."},
        "generator": {"type": "string", "description": "The Dyad release that wrote the file."},
        "site": site,
    }
    for cls in RECORD_TYPES:
        properties[cls.folder] = {"type": "array", "items": {"$ref": f"#/$defs/{cls.kind}"},
                                  "description": f"Every {cls.kind} record" + (
                                      ", by date" if cls.kind == "event" else ", by name")}
    return {
        "$schema": DIALECT,
        "$id": absolute(site_url, CORPUS_SCHEMA) if site_url else "dyad.schema.json",
        "title": "Dyad corpus",
        "description": "A Dyad record of relations between states: every fact file, resolved. Bodies are Markdown "
                       "whose links may name records as kind:id (e.g. event:2018-09-06-first-2plus2).",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "$defs": defs,
    }


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def json_files(corpus: Corpus, site_url: str) -> dict[str, str]:
    """`data/dyad.json` and `data/dyad.schema.json`."""
    return {CORPUS_JSON: _dump(corpus_document(corpus, site_url)), CORPUS_SCHEMA: _dump(corpus_schema(site_url))}
