"""`dyad new`: a new record file with every required field, the optional ones listed as comments.

Entry point: `skeleton()`. Values the editor passes are written in; the rest are left empty so `dyad check`
says exactly what is still to fill in.
"""

from __future__ import annotations

import json

from .model import KINDS, ListOf, specs

PRESET_FIELDS = {"title": "title", "name": "title", "date": "date", "sources": "source", "tracks": "track"}


def _value(field_name: str, is_list: bool, values: dict[str, str]) -> str:
    given = values.get(PRESET_FIELDS.get(field_name, field_name), "")
    if is_list:
        return f"[{given}]" if given else "[]"
    if field_name == "date" and given:
        return given
    return json.dumps(given, ensure_ascii=False)


def skeleton(kind: str, values: dict[str, str]) -> str:
    """The text of a new `kind` record. `values` may hold title, date, source and track."""
    cls = KINDS[kind]
    lines = [f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"]
    optional = []
    for name, spec in specs(cls):
        if spec.required:
            lines.append(f"{name}: {_value(name, isinstance(spec.type, ListOf), values)}")
        else:
            optional.append(f"# {name}: … ({spec.doc.rstrip('.')})")
    if optional:
        lines.append("# Optional fields:")
        lines.extend(optional)
    return "\n".join(lines) + "\n"
