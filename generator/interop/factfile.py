"""Fact files as an editor would write them, for importers: YAML (or Markdown with front matter when there is a
body), one record a file, fields in the model's order.

Free text is written as a double-quoted scalar (JSON string syntax, which YAML reads the same), so no text can
turn into YAML structure; ids, dates, numbers and choices are written plain. Entry point: `fact_file()`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Sequence

from ..load import NULL_WORDS
from ..model import PartialDate
from .textutil import clean

Fields = Sequence[tuple[str, Any]]


class Plain(str):
    """A value written unquoted: an id, a date, a number or a choice (none of which YAML could misread)."""


def decimal_text(value: Decimal) -> str:
    """A decimal as Dyad writes numbers: no exponent, no trailing zeros, no leading '+'."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def scalar(value: Any) -> str:
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, Plain) and str(value) not in NULL_WORDS:
        return str(value)
    return json.dumps(clean(str(value)), ensure_ascii=False)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_inline(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    return scalar(value)


def yaml_text(fields: Fields, comments: Sequence[str] = ()) -> str:
    """YAML for a record: `key: value` lines; a list of mappings is written one flow mapping per line."""
    lines = [f"# {clean(' '.join(comment.split()))}" for comment in comments]
    for key, value in fields:
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            lines.extend(f"  - {_inline(item)}" for item in value)
        else:
            lines.append(f"{key}: {_inline(value)}")
    return "\n".join(lines) + "\n"


def fact_file(fields: Fields, body: str | None = None, comments: Sequence[str] = ()) -> tuple[str, str]:
    """(suffix, text) of a record file: `.md` with front matter when it has a body, else `.yaml`."""
    if body:
        return ".md", "---\n" + yaml_text(fields, comments) + "---\n" + clean(body).rstrip() + "\n"
    return ".yaml", yaml_text(fields, comments)
