"""Stage 2, model: the record types and their validation.

Each record kind is a frozen dataclass whose fields carry a `Spec` (type, doc, required). That one table drives
validation of positioned YAML nodes, "did you mean" hints, the JSON Schemas editors use, and `dyad new`
skeletons. The model knows nothing of HTML, Jinja or MkDocs. Entry point: `build_record()`.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import total_ordering
from typing import Any, ClassVar, Iterator
from urllib.parse import urlsplit

from .errors import Diagnostics, Position
from .load import ID_PATTERN, Entry, MappingNode, Node, RawRecord, Scalar, SequenceNode

# ---------------------------------------------------------------------------------------------------- dates


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date that knows its precision: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `2007`, `2026-02` or `2026-02-04`; raises ValueError for anything else or an impossible date."""
        match = cls.PATTERN.match(text)
        if not match:
            raise ValueError(f"'{text}' is not a date")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if year < 1:
            raise ValueError(f"'{text}' has no year 0")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month}")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"'{text}' is not a real day ({calendar.month_name[month]} {year} has {last} days)")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    @property
    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def human(self) -> str:
        """The date as a reader says it, at its own precision: `4 February 2026`, `February 2026`, `2026`."""
        if self.day is not None and self.month is not None:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month is not None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso


def ends_before(end: PartialDate, start: PartialDate) -> bool:
    """True when `end` is certainly before `start`, whatever days the partial dates stand for."""
    return end.latest() < start.earliest()


# ---------------------------------------------------------------------------------------------------- validation context


@dataclass(frozen=True)
class Reference:
    """A use of another record's id, kept with its place so a dangling one is reported there."""

    target: str
    kinds: tuple[str, ...]
    position: Position
    field: str


@dataclass
class Validation:
    """What validating one file gathers: its problems, the place of each field, the references it makes."""

    path: str
    diagnostics: Diagnostics
    positions: dict[str, Position] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)

    def error(self, position: Position, field_name: str, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.path, position, message, hint=hint, field=field_name)

    def warning(self, position: Position, field_name: str, message: str, hint: str = "") -> None:
        self.diagnostics.warning(self.path, position, message, hint=hint, field=field_name)


class _Invalid:
    """The marker for a value that failed validation (its diagnostic is already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


def a_or_an(word: str) -> str:
    """`an event`, `a person`."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{node.value}'" if len(node.value) < 40 else "text"


# ---------------------------------------------------------------------------------------------------- field types


class FieldType:
    """How one field's YAML node becomes a value, and how that is said in JSON Schema."""

    example: str = '""'

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def scalar(self, node: Node, ctx: Validation, name: str, expected: str) -> Scalar | None:
        if isinstance(node, Scalar):
            return node
        ctx.error(node.start, name, f"expected {expected}, found {_describe(node)}")
        return None


class Text(FieldType):
    """Plain text: whatever was written, never re-typed (`no` stays 'no')."""

    def __init__(self, single_line: bool = False) -> None:
        self.single_line = single_line

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        scalar = self.scalar(node, ctx, name, "text")
        if scalar is None:
            return INVALID
        value = scalar.value.strip() if not scalar.block else scalar.value
        if not value.strip():
            ctx.error(scalar.start, name, "must not be empty", "write the text, or remove the field if it is optional")
            return INVALID
        if self.single_line and "\n" in value.strip():
            ctx.error(scalar.start, name, "must be a single line", "join the lines into one")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}


class Markdown(Text):
    """Markdown text; its links and HTML are checked once the corpus is resolved."""

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "contentMediaType": "text/markdown"}


class Pattern(Text):
    """Text that must match a pattern (codes such as ISO country codes or Wikidata ids)."""

    def __init__(self, pattern: str, what: str, example: str) -> None:
        super().__init__(single_line=True)
        self.regex = re.compile(pattern)
        self.what = what
        self.example = example

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        value = super().parse(node, ctx, name)
        if value is INVALID:
            return INVALID
        if not self.regex.match(value):
            ctx.error(node.start, name, f"'{value}' is not {self.what}", f"write it like {self.example}")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": self.regex.pattern}


class DateType(FieldType):
    example = "2026-02-04"

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        scalar = self.scalar(node, ctx, name, "a date")
        if scalar is None:
            return INVALID
        try:
            return PartialDate.parse(scalar.value.strip())
        except ValueError as exc:
            ctx.error(scalar.start, name, str(exc), "write a date as YYYY, YYYY-MM or YYYY-MM-DD")
            return INVALID

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "pattern": PartialDate.PATTERN.pattern},
                          {"type": "integer", "minimum": 1000, "maximum": 9999}]}


class IntType(FieldType):
    PATTERN = re.compile(r"^-?(0|[1-9][0-9]{0,17})$")  # bounded: Python refuses int() of 4,300+ digits

    def __init__(self, minimum: int, maximum: int) -> None:
        self.minimum, self.maximum = minimum, maximum
        self.example = str(minimum)

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        scalar = self.scalar(node, ctx, name, "a whole number")
        if scalar is None:
            return INVALID
        if not self.PATTERN.match(scalar.value):
            ctx.error(scalar.start, name, f"'{scalar.value}' is not a whole number",
                      f"write a number from {self.minimum} to {self.maximum}, without leading zeros")
            return INVALID
        value = int(scalar.value)
        if not self.minimum <= value <= self.maximum:
            ctx.error(scalar.start, name, f"{value} is out of range", f"use {self.minimum} to {self.maximum}")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


class NumberType(FieldType):
    """A decimal number, kept exact (Decimal) so sums and derived series carry no float noise."""

    PATTERN = re.compile(r"^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,12})?$")
    example = "0"

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        scalar = self.scalar(node, ctx, name, "a number")
        if scalar is None:
            return INVALID
        if not self.PATTERN.match(scalar.value):
            ctx.error(scalar.start, name, f"'{scalar.value[:40]}' is not a plain decimal number",
                      "write digits with an optional decimal point, e.g. 19.249 or -10.284")
            return INVALID
        return Decimal(scalar.value)

    def schema(self) -> dict[str, Any]:
        return {"type": "number"}


class BoolType(FieldType):
    example = "false"

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        scalar = self.scalar(node, ctx, name, "true or false")
        if scalar is None:
            return INVALID
        if scalar.plain and scalar.value in ("true", "false"):
            return scalar.value == "true"
        ctx.error(scalar.start, name, f"'{scalar.value}' is not true or false", "write true or false")
        return INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Choice(FieldType):
    def __init__(self, *values: str) -> None:
        self.values = values
        self.example = values[0]

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        scalar = self.scalar(node, ctx, name, "one of " + ", ".join(self.values))
        if scalar is None:
            return INVALID
        if scalar.value in self.values:
            return scalar.value
        close = difflib.get_close_matches(scalar.value, self.values, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(self.values)
        ctx.error(scalar.start, name, f"'{scalar.value}' is not allowed", hint)
        return INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.values)}


SAFE_URL_SCHEMES = ("http", "https")


class UrlType(FieldType):
    example = "https://example.org/page"

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        scalar = self.scalar(node, ctx, name, "a URL")
        if scalar is None:
            return INVALID
        value = scalar.value.strip()
        parts = urlsplit(value) if not any(c.isspace() or ord(c) < 32 for c in value) else None
        if parts is None or parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.netloc:
            ctx.error(scalar.start, name, f"'{value[:80]}' is not a safe web address",
                      "use a full http:// or https:// URL")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": "^https?://"}


class Ref(FieldType):
    """The id of another record, of one of the given kinds; resolved once every file is read."""

    def __init__(self, *kinds: str) -> None:
        self.kinds = kinds
        self.example = f"some-{kinds[0]}-id"

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        scalar = self.scalar(node, ctx, name, f"the id of {a_or_an(' or '.join(self.kinds))}")
        if scalar is None:
            return INVALID
        if not ID_PATTERN.match(scalar.value):
            ctx.error(scalar.start, name, f"'{scalar.value[:60]}' is not a valid id",
                      "ids are lower-case letters, digits and single hyphens")
            return INVALID
        ctx.references.append(Reference(scalar.value, self.kinds, scalar.start, name))
        return scalar.value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": ID_PATTERN.pattern,
                "description": f"id of {a_or_an(' or '.join(self.kinds))}"}


class ListOf(FieldType):
    example = "[]"

    def __init__(self, item: FieldType, min_items: int = 0, unique: bool = False) -> None:
        self.item, self.min_items, self.unique = item, min_items, unique

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        if isinstance(node, Scalar):
            ctx.error(node.start, name, f"expected a list, found {_describe(node)}",
                      f"write it as a list: [{node.value}]" if node.value else "write it as a list")
            return INVALID
        if isinstance(node, MappingNode):
            ctx.error(node.start, name, "expected a list, found a mapping", "start each item with '- '")
            return INVALID
        if len(node.items) < self.min_items:
            ctx.error(node.start, name, f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
            return INVALID
        values = []
        seen: dict[str, Position] = {}
        for index, item in enumerate(node.items):
            item_name = f"{name}[{index}]"
            ctx.positions[item_name] = item.start
            value = self.item.parse(item, ctx, item_name)
            if self.unique and isinstance(value, str):
                if value in seen:
                    ctx.error(item.start, item_name, f"'{value}' is listed twice",
                              f"first at line {seen[value].line}; remove one")
                seen.setdefault(value, item.start)
            values.append(value)
        if any(v is INVALID for v in values):
            return INVALID
        return tuple(values)

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            result["minItems"] = self.min_items
        if self.unique:
            result["uniqueItems"] = True
        return result


@dataclass(frozen=True)
class Spec:
    """What the model says of one field: its type, what it means, whether it must be there."""

    type: FieldType
    doc: str
    required: bool = False


def fld(type_: FieldType, doc: str, *, required: bool = False, default: Any = None) -> Any:
    """Declare a model field. Lists default to an empty tuple."""
    spec = {"dyad": Spec(type_, doc, required)}
    if required:
        return field(metadata=spec)
    if isinstance(type_, ListOf):
        return field(default=(), metadata=spec)
    return field(default=default, metadata=spec)


def specs(cls: type) -> Iterator[tuple[str, Spec]]:
    """A class's fields by the names written in YAML (`yaml_names` maps a YAML key to a Python name)."""
    renamed = {python: key for key, python in getattr(cls, "yaml_names", {}).items()}
    for item in dataclasses.fields(cls):
        spec = item.metadata.get("dyad")
        if spec is not None:
            yield renamed.get(item.name, item.name), spec


def python_name(cls: type, key: str) -> str:
    return getattr(cls, "yaml_names", {}).get(key, key)


class Obj(FieldType):
    """A nested mapping validated against a dataclass's specs."""

    example = "{}"

    def __init__(self, cls: type, shorthand: str | None = None) -> None:
        self.cls = cls
        self.shorthand = shorthand  # a bare scalar stands for this one field (`- some-source` for `- {id: …}`)

    def parse(self, node: Node, ctx: Validation, name: str) -> Any:
        if isinstance(node, Scalar) and self.shorthand:
            key = Scalar(self.shorthand, True, node.start)
            node = MappingNode({self.shorthand: Entry(key, node)}, node.start)
        if not isinstance(node, MappingNode):
            expected = "a mapping" + (" or an id" if self.shorthand else "")
            ctx.error(node.start, name, f"expected {expected}, found {_describe(node)}")
            return INVALID
        values = parse_fields(self.cls, node, ctx, prefix=name)
        if values is None:
            return INVALID
        return self.cls(**values)

    def schema(self) -> dict[str, Any]:
        schema = object_schema(self.cls)
        if self.shorthand:
            spec = dict(specs(self.cls))[self.shorthand]
            return {"anyOf": [spec.type.schema(), schema]}
        return schema


def parse_fields(cls: type, node: MappingNode, ctx: Validation, prefix: str = "") -> dict[str, Any] | None:
    """Validate a mapping against a dataclass's specs; None when anything in it is invalid."""
    declared = dict(specs(cls))
    values: dict[str, Any] = {}
    ok = True
    for key, entry in node.entries.items():
        name = f"{prefix}.{key}" if prefix else key
        spec = declared.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(declared), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(declared)
            ctx.error(entry.key.start, name, "unknown field", hint)
            ok = False
            continue
        ctx.positions[name] = entry.value.start
        if isinstance(entry.value, Scalar) and entry.value.is_null and not isinstance(spec.type, Text):
            if spec.required:
                ctx.error(entry.value.start, name, "must have a value")
                ok = False
            continue
        value = spec.type.parse(entry.value, ctx, name)
        if value is INVALID:
            ok = False
        else:
            values[python_name(cls, key)] = value
    for key, spec in declared.items():
        if spec.required and key not in node.entries:
            name = f"{prefix}.{key}" if prefix else key
            ctx.error(node.start, name, "required field is missing", f"add '{key}:' ({spec.doc.rstrip('.')})")
            ok = False
    return values if ok else None


def object_schema(cls: type) -> dict[str, Any]:
    properties = {}
    for name, spec in specs(cls):
        properties[name] = {**spec.type.schema(), "description": spec.doc}
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [name for name, spec in specs(cls) if spec.required]
    if required:
        schema["required"] = required
    return schema


# ---------------------------------------------------------------------------------------------------- nested objects

ACTOR_KINDS = ("person", "country", "organization")
PARTY_KINDS = ("country", "organization")
SUBJECT_KINDS = ("agreement", "initiative", "commitment", "series")


@dataclass(frozen=True, kw_only=True)
class Citation:
    """A source cited for a fact, optionally with where in it and what it says."""

    id: str = fld(Ref("source"), "Id of the source.", required=True)
    locator: str | None = fld(Text(single_line=True), "Where in the source: page, paragraph, table, timestamp.")
    quote: str | None = fld(Text(), "The words of the source that support the fact.")


CITATIONS = ListOf(Obj(Citation, shorthand="id"), min_items=1)
OPTIONAL_CITATIONS = ListOf(Obj(Citation, shorthand="id"))


@dataclass(frozen=True, kw_only=True)
class Actor:
    id: str = fld(Ref(*ACTOR_KINDS), "Id of the person, country or organization.", required=True)
    role: str | None = fld(Text(single_line=True), "The part it played, e.g. 'host' or its office at the time.")


@dataclass(frozen=True, kw_only=True)
class Note:
    """A sourced remark, chiefly where sources disagree: both readings are kept, each attributed."""

    text: str = fld(Text(), "What the note says, attributing any claim to who made it.", required=True)
    sources: tuple[Citation, ...] = fld(CITATIONS, "Sources for the note.", required=True)


@dataclass(frozen=True, kw_only=True)
class Correction:
    """A published mistake, put right in the open: what was wrong, what is right now, and on what authority."""

    date: PartialDate = fld(DateType(), "When the correction was made.", required=True)
    wrong: str = fld(Text(), "What the record said before.", required=True)
    right: str = fld(Text(), "What it says now.", required=True)
    sources: tuple[Citation, ...] = fld(CITATIONS, "Sources for the corrected fact.", required=True)


CORRECTIONS = ListOf(Obj(Correction))
CORRECTIONS_DOC = "Corrections to this record, oldest first: date, what was wrong, what is right now, sources."


@dataclass(frozen=True, kw_only=True)
class Role:
    yaml_names: ClassVar[dict[str, str]] = {"from": "start", "to": "end"}
    title: str = fld(Text(single_line=True), "The office or position, e.g. 'External Affairs Minister'.",
                     required=True)
    organization: str | None = fld(Ref("organization", "country"), "Where the role is held.")
    start: PartialDate | None = fld(DateType(), "When the role began.")
    end: PartialDate | None = fld(DateType(), "When it ended; leave out while it lasts.")
    sources: tuple[Citation, ...] = fld(CITATIONS, "Sources for the role and its dates.", required=True)


@dataclass(frozen=True, kw_only=True)
class StatusEntry:
    date: PartialDate = fld(DateType(), "When this status was reported.", required=True)
    status: str = fld(Choice("announced", "in-progress", "delivered", "partly-delivered", "stalled", "abandoned"),
                      "The commitment's status from this date.", required=True)
    note: str | None = fld(Text(), "What happened, attributed.")
    sources: tuple[Citation, ...] = fld(CITATIONS, "Sources for this status.", required=True)


@dataclass(frozen=True, kw_only=True)
class Point:
    period: PartialDate = fld(DateType(), "The year, month or (for steps) day the value is for.", required=True)
    value: Decimal = fld(NumberType(), "The value, in the series' unit.", required=True)
    source: Citation = fld(Obj(Citation, shorthand="id"), "The source of this value.", required=True)
    note: str | None = fld(Text(), "Anything a reader must know about this value.")
    announced: PartialDate | None = fld(DateType(), "For steps: when the change was announced.")
    event: str | None = fld(Ref("event"), "For steps: the event that made the change.")
    legal_basis: str | None = fld(Text(single_line=True), "For steps: the legal instrument, e.g. an order.")


@dataclass(frozen=True, kw_only=True)
class Derivation:
    op: str = fld(Choice("difference", "sum"), "How the series is computed from others.", required=True)
    of: tuple[str, ...] = fld(ListOf(Ref("series"), min_items=2), "The series it is computed from, in order.",
                              required=True)


@dataclass(frozen=True, kw_only=True)
class Track:
    id: str = fld(Pattern(ID_PATTERN.pattern, "a valid id", "critical-minerals"), "The track's id.", required=True)
    title: str = fld(Text(single_line=True), "The track's name as readers see it.", required=True)
    description: str | None = fld(Text(), "One sentence on what the track covers.")


# ---------------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordMeta:
    """Where a record came from: its file, the place of each field, and the ids it refers to."""

    path: str
    positions: dict[str, Position]
    references: tuple[Reference, ...]
    body_line: int = 0
    body_in_file: bool = False
    body_column: int = 0  # the indent YAML strips from a block-scalar body, added back to columns
    file: str = ""  # the file as it was opened, for reading its history

    def position(self, name: str) -> Position:
        return self.positions.get(name, Position(1, 1))


@dataclass(frozen=True, kw_only=True)
class Record:
    """What every record has: an id (from its file name) and its origin."""

    kind: ClassVar[str] = "record"
    folder: ClassVar[str] = ""
    id: str
    meta: RecordMeta

    @property
    def label(self) -> str:
        return str(getattr(self, "name", None) or getattr(self, "title", None) or self.id)


@dataclass(frozen=True, kw_only=True)
class Event(Record):
    """Something that happened (or is scheduled) between the states the site covers, with its sources."""

    kind: ClassVar[str] = "event"
    folder: ClassVar[str] = "events"
    title: str = fld(Text(single_line=True), "The event in a few words.", required=True)
    date: PartialDate = fld(DateType(), "When it happened (or starts), at its true precision.", required=True)
    end: PartialDate | None = fld(DateType(), "When it ended, for events that span time.")
    summary: str = fld(Text(), "One sentence saying what happened.", required=True)
    tracks: tuple[str, ...] = fld(ListOf(Text(single_line=True), min_items=1, unique=True),
                                  "Tracks from dyad.yaml this event belongs to.", required=True)
    status: str = fld(Choice("occurred", "scheduled", "cancelled"), "Whether it took place.", default="occurred")
    importance: int = fld(IntType(1, 3), "1 minor, 2 notable, 3 headline.", default=2)
    location: str | None = fld(Text(single_line=True), "Where it took place.")
    actors: tuple[Actor, ...] = fld(ListOf(Obj(Actor, shorthand="id")), "Who took part, with their role.")
    about: tuple[str, ...] = fld(ListOf(Ref(*SUBJECT_KINDS), unique=True),
                                 "Agreements, initiatives, commitments or series the event concerns.")
    related: tuple[str, ...] = fld(ListOf(Ref("event"), unique=True), "Other events it is linked to.")
    confidence: str = fld(Choice("confirmed", "single-source", "disputed"),
                          "How sure the sources make us: see the methodology page.", default="confirmed")
    sources: tuple[Citation, ...] = fld(CITATIONS, "Sources for the event.", required=True)
    notes: tuple[Note, ...] = fld(ListOf(Obj(Note)), "Sourced notes, e.g. where sources disagree.")
    corrections: tuple[Correction, ...] = fld(CORRECTIONS, CORRECTIONS_DOC)
    body: str | None = fld(Markdown(), "Longer Markdown text (or the body of a .md file).")

    @property
    def span_end(self) -> PartialDate:
        return self.end or self.date


@dataclass(frozen=True, kw_only=True)
class Entity(Record):
    """What people, countries, organizations, agreements and initiatives share."""

    name: str = fld(Text(single_line=True), "The name readers know it by.", required=True)
    aliases: tuple[str, ...] = fld(ListOf(Text(single_line=True), unique=True), "Other names and spellings.")
    description: str | None = fld(Text(), "One or two sentences on who or what it is.")
    sources: tuple[Citation, ...] = fld(CITATIONS, "Sources for what the record says.", required=True)
    wikidata: str | None = fld(Pattern(r"^Q[1-9][0-9]*$", "a Wikidata id", "Q668"), "Its Wikidata item id.")
    notes: tuple[Note, ...] = fld(ListOf(Obj(Note)), "Sourced notes, e.g. where sources disagree.")
    corrections: tuple[Correction, ...] = fld(CORRECTIONS, CORRECTIONS_DOC)
    body: str | None = fld(Markdown(), "Longer Markdown text (or the body of a .md file).")


@dataclass(frozen=True, kw_only=True)
class Person(Entity):
    """A person, with dated offices."""

    kind: ClassVar[str] = "person"
    folder: ClassVar[str] = "people"
    country: str | None = fld(Ref("country"), "The country the person serves or belongs to.")
    roles: tuple[Role, ...] = fld(ListOf(Obj(Role)), "Offices held, with dates and sources.")


@dataclass(frozen=True, kw_only=True)
class Country(Entity):
    """A state. What a site covers is a set of countries named in dyad.yaml."""

    kind: ClassVar[str] = "country"
    folder: ClassVar[str] = "countries"
    sources: tuple[Citation, ...] = fld(OPTIONAL_CITATIONS, "Sources; required once there is a description.")
    iso: str | None = fld(Pattern(r"^[A-Z]{2}$", "an ISO 3166-1 alpha-2 code", "IN"), "ISO 3166-1 alpha-2 code.")


@dataclass(frozen=True, kw_only=True)
class Organization(Entity):
    """A ministry, agency, company, alliance or other body."""

    kind: ClassVar[str] = "organization"
    folder: ClassVar[str] = "organizations"
    type: str = fld(Choice("government", "ministry", "agency", "legislature", "court", "military", "company",
                           "multilateral", "think-tank", "other"), "What sort of body it is.", default="other")
    country: str | None = fld(Ref("country"), "Where it is based.")
    parent: str | None = fld(Ref("organization"), "The body it belongs to.")
    url: str | None = fld(UrlType(), "Its official website.")


@dataclass(frozen=True, kw_only=True)
class Agreement(Entity):
    """A signed agreement, with its dates and parties."""

    kind: ClassVar[str] = "agreement"
    folder: ClassVar[str] = "agreements"
    signed: PartialDate | None = fld(DateType(), "When it was signed.")
    in_force: PartialDate | None = fld(DateType(), "When it entered into force.")
    ended: PartialDate | None = fld(DateType(), "When it lapsed or was replaced.")
    parties: tuple[str, ...] = fld(ListOf(Ref(*PARTY_KINDS), unique=True), "Countries or organizations bound by it.")
    signatories: tuple[str, ...] = fld(ListOf(Ref("person"), unique=True), "Who signed it.")
    signed_at: str | None = fld(Ref("event"), "The event at which it was signed.")
    tracks: tuple[str, ...] = fld(ListOf(Text(single_line=True), unique=True), "Tracks it belongs to.")


@dataclass(frozen=True, kw_only=True)
class Initiative(Entity):
    """A standing initiative or mechanism, such as the Quad or TRUST."""

    kind: ClassVar[str] = "initiative"
    folder: ClassVar[str] = "initiatives"
    launched: PartialDate | None = fld(DateType(), "When it was launched.")
    ended: PartialDate | None = fld(DateType(), "When it ended or was succeeded.")
    members: tuple[str, ...] = fld(ListOf(Ref(*PARTY_KINDS), unique=True), "Countries or bodies taking part.")
    preceded_by: str | None = fld(Ref("initiative"), "The initiative it succeeded.")
    succeeded_by: str | None = fld(Ref("initiative"), "The initiative that succeeded it.")
    tracks: tuple[str, ...] = fld(ListOf(Text(single_line=True), unique=True), "Tracks it belongs to.")


@dataclass(frozen=True, kw_only=True)
class Source(Record):
    """A document facts cite: original publisher, title, address and dates."""

    kind: ClassVar[str] = "source"
    folder: ClassVar[str] = "sources"
    yaml_names: ClassVar[dict[str, str]] = {"kind": "kind_of"}
    title: str = fld(Text(single_line=True), "The title of the page, document or dataset.", required=True)
    publisher: str = fld(Text(single_line=True), "Who published it (the original publisher).", required=True)
    url: str = fld(UrlType(), "Where it is published (http or https).", required=True)
    kind_of: str = fld(Choice("government", "news", "dataset", "analysis", "reference", "social"),
                       "What sort of source it is.", required=True)
    author: str | None = fld(Text(single_line=True), "Author or wire service, e.g. PTI.")
    published: PartialDate | None = fld(DateType(), "When it was published.")
    accessed: PartialDate | None = fld(DateType(), "When an editor last read it.")
    copy_url: str | None = fld(UrlType(), "Where it was actually read, when that was a copy (http or https).")
    language: str | None = fld(Pattern(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", "a language tag", "en"),
                               "Language (BCP 47), when not English.")
    note: str | None = fld(Text(), "Anything a reader should know about the source, e.g. that a figure came "
                                   "from a copy.")

    @property
    def label(self) -> str:
        return self.title


@dataclass(frozen=True, kw_only=True)
class Series(Record):
    """A numeric time series, each value with its source; or one derived from others."""

    kind: ClassVar[str] = "series"
    folder: ClassVar[str] = "series"
    title: str = fld(Text(single_line=True), "What the series measures.", required=True)
    description: str | None = fld(Text(), "Basis, coverage and caveats.")
    unit: str = fld(Text(single_line=True), "Unit of every value, e.g. 'USD bn' or 'percent'.", required=True)
    frequency: str = fld(Choice("year", "month", "irregular"),
                         "year or month; irregular for dated steps such as tariff rates.", required=True)
    flow: str = fld(Choice("exports", "imports", "balance", "total", "rate", "other"), "What the values are.",
                    default="other")
    reporter: str | None = fld(Ref("country"), "The country whose statistics these are.")
    partner: str | None = fld(Ref("country"), "The partner country.")
    basis: str | None = fld(Text(single_line=True), "Statistical basis, e.g. 'Census basis, calendar year'.")
    tracks: tuple[str, ...] = fld(ListOf(Text(single_line=True), unique=True), "Tracks it belongs to.")
    events: tuple[str, ...] = fld(ListOf(Ref("event"), unique=True), "Events to mark on its chart.")
    points: tuple[Point, ...] = fld(ListOf(Obj(Point)), "The values, each with its source.")
    derived: Derivation | None = fld(Obj(Derivation), "Computed from other series instead of points.")
    sources: tuple[Citation, ...] = fld(OPTIONAL_CITATIONS, "Sources for the series as a whole.")
    corrections: tuple[Correction, ...] = fld(CORRECTIONS, CORRECTIONS_DOC)


@dataclass(frozen=True, kw_only=True)
class Commitment(Record):
    """A promise made at an event, with a dated, sourced status history."""

    kind: ClassVar[str] = "commitment"
    folder: ClassVar[str] = "commitments"
    title: str = fld(Text(single_line=True), "The commitment in a few words.", required=True)
    summary: str = fld(Text(), "What was promised, attributed to who promised it.", required=True)
    made_on: str = fld(Ref("event"), "The event at which it was made.", required=True)
    made_by: tuple[str, ...] = fld(ListOf(Ref(*ACTOR_KINDS), unique=True), "Who made it.")
    target: PartialDate | None = fld(DateType(), "The date it is due.")
    tracks: tuple[str, ...] = fld(ListOf(Text(single_line=True), unique=True), "Tracks it belongs to.")
    status: tuple[StatusEntry, ...] = fld(ListOf(Obj(StatusEntry), min_items=1),
                                          "Dated status history, oldest first.", required=True)
    sources: tuple[Citation, ...] = fld(CITATIONS, "Sources for the commitment.", required=True)
    corrections: tuple[Correction, ...] = fld(CORRECTIONS, CORRECTIONS_DOC)
    body: str | None = fld(Markdown(), "Longer Markdown text (or the body of a .md file).")

    @property
    def current_status(self) -> StatusEntry:
        return self.status[-1]

    def overdue(self, as_of: PartialDate) -> bool:
        """Due before `as_of`, and neither delivered nor abandoned by the last recorded status."""
        return (self.target is not None and ends_before(self.target, as_of)
                and self.current_status.status not in ("delivered", "abandoned"))


@dataclass(frozen=True, kw_only=True)
class SiteConfig(Record):
    """`dyad.yaml`: what the site covers. A second relationship needs only another of these, not code."""

    kind: ClassVar[str] = "config"
    title: str = fld(Text(single_line=True), "The site's title.", required=True)
    description: str | None = fld(Text(), "One sentence on what the site covers.")
    focus: tuple[str, ...] = fld(ListOf(Ref("country"), min_items=1, unique=True),
                                 "The countries whose relationship the site records.", required=True)
    as_of: PartialDate = fld(DateType(), "The date the corpus is current as of.", required=True)
    edit_url: str | None = fld(UrlType(), "Base URL for 'edit this fact' links (the content folder).")
    tracks: tuple[Track, ...] = fld(ListOf(Obj(Track), min_items=1), "The tracks events are filed under.",
                                    required=True)
    fiscal_year_start: int | None = fld(IntType(1, 12), "Month a fiscal year starts in (4 for India's "
                                        "April–March year); monthly series are then also shown by fiscal year.")
    fiscal_year_label: str | None = fld(Text(single_line=True), "Whose fiscal year it is, e.g. 'India's fiscal "
                                        "year (April–March)'.")


@dataclass(frozen=True, kw_only=True)
class Unchecked(Record):
    """Stands in for a file that failed validation, so its id and references are still checked: one bad file
    must not make every record that names it look dangling."""

    kind: ClassVar[str] = "unchecked"
    of_kind: str
    of_folder: str


def kind_of(record: Record) -> str:
    """A record's kind, looking through an `Unchecked` stand-in."""
    return record.of_kind if isinstance(record, Unchecked) else record.kind


def folder_of(record: Record) -> str:
    return record.of_folder if isinstance(record, Unchecked) else record.folder


RECORD_TYPES: tuple[type[Record], ...] = (Event, Person, Country, Organization, Agreement, Initiative, Source,
                                          Series, Commitment)
KINDS: dict[str, type[Record]] = {cls.kind: cls for cls in RECORD_TYPES}
FOLDERS: dict[str, str] = {cls.folder: cls.kind for cls in RECORD_TYPES}


# ---------------------------------------------------------------------------------------------------- checks within one record


def _check_record(record: Record, ctx: Validation) -> None:
    """Rules that need only the record itself (cross-record rules live in corpus.py)."""
    pos = record.meta.position
    if isinstance(record, Event):
        if record.end is not None and ends_before(record.end, record.date):
            ctx.error(pos("end"), "end", f"ends ({record.end}) before it starts ({record.date})",
                      "swap the dates or fix the end")
    if isinstance(record, Person):
        for index, role in enumerate(record.roles):
            if role.start and role.end and ends_before(role.end, role.start):
                name = f"roles[{index}].to"
                ctx.error(pos(name), name, f"ends ({role.end}) before it starts ({role.start})")
    if isinstance(record, Agreement) and record.signed and record.ended and ends_before(record.ended, record.signed):
        ctx.error(pos("ended"), "ended", f"ends ({record.ended}) before it was signed ({record.signed})")
    if isinstance(record, Agreement) and record.signed and record.in_force and ends_before(record.in_force,
                                                                                        record.signed):
        ctx.error(pos("in_force"), "in_force", f"in force ({record.in_force}) before signed ({record.signed})")
    if isinstance(record, Initiative) and record.launched and record.ended and ends_before(record.ended,
                                                                                        record.launched):
        ctx.error(pos("ended"), "ended", f"ends ({record.ended}) before it was launched ({record.launched})")
    if isinstance(record, Country) and record.description and not record.sources:
        ctx.error(pos("description"), "sources", "a country with a description must cite a source",
                  "add 'sources:' with the id of the source the description rests on")
    if isinstance(record, Series):
        _check_series(record, ctx)
    if isinstance(record, Commitment):
        for index in range(1, len(record.status)):
            if record.status[index].date < record.status[index - 1].date:
                name = f"status[{index}].date"
                ctx.error(pos(name), name, "status history is out of order", "list statuses oldest first")


def _check_series(series: Series, ctx: Validation) -> None:
    pos = series.meta.position
    if series.derived and series.points:
        ctx.error(pos("points"), "points", "a derived series cannot also have points",
                  "remove the points: derived values are computed")
    if not series.derived and not series.points:
        ctx.error(pos("points") if "points" in series.meta.positions else Position(1, 1), "points",
                  "a series needs points or 'derived'", "add points, each with period, value and source")
    if series.derived and series.id in series.derived.of:
        ctx.error(pos("derived.of"), "derived.of", "a series cannot be derived from itself")
    expected = {"year": "year", "month": "month", "irregular": "day"}[series.frequency]
    seen: dict[str, int] = {}
    for index, point in enumerate(series.points):
        name = f"points[{index}].period"
        if point.period.precision != expected:
            ctx.error(pos(name), name, f"period {point.period} is {a_or_an(point.period.precision)}, but the series is "
                      f"'{series.frequency}'", f"write each period as a {expected}")
        if point.period.iso in seen:
            ctx.error(pos(name), name, f"period {point.period} appears twice",
                      f"first as point {seen[point.period.iso]}; keep one")
        seen.setdefault(point.period.iso, index)
        if point.announced and ends_before(point.period, point.announced):
            ctx.warning(pos(name), name, f"takes effect ({point.period}) before it was announced "
                        f"({point.announced})", "check the dates")


# ---------------------------------------------------------------------------------------------------- entry point


def build_record(raw: RawRecord, diagnostics: Diagnostics) -> Record:
    """Validate one loaded file into its typed record; problems go to `diagnostics`, and an invalid file
    becomes an `Unchecked` stand-in."""
    cls: type[Record] = SiteConfig if raw.kind == "config" else KINDS[raw.kind]
    ctx = Validation(raw.display, diagnostics)
    values = parse_fields(cls, raw.fields, ctx)
    if values is not None:
        values = _attach_body(cls, raw, values, ctx)
    if values is None:
        meta = RecordMeta(raw.display, ctx.positions, tuple(ctx.references))
        return Unchecked(id=raw.id, meta=meta, of_kind=cls.kind, of_folder=getattr(cls, "folder", ""))
    body_line, body_column = raw.body_line, 0
    if not raw.body and "body" in values:
        body_node = raw.fields.entries["body"].value
        block = isinstance(body_node, Scalar) and body_node.block
        body_line = body_node.start.line + (1 if block else 0)
        lines = raw.text.splitlines()
        if block and 0 < body_line <= len(lines):
            first = lines[body_line - 1]
            body_column = len(first) - len(first.lstrip(" "))
    meta = RecordMeta(raw.display, ctx.positions, tuple(ctx.references), body_line, raw.body is not None,
                      body_column, str(raw.path))
    record = cls(id=raw.id, meta=meta, **values)
    _check_record(record, ctx)
    return record


def _attach_body(cls: type[Record], raw: RawRecord, values: dict[str, Any], ctx: Validation) -> dict[str, Any] | None:
    """Put a Markdown file's body into `values`, refusing a body written twice or on a kind without one."""
    if raw.body is None:
        return values
    if "body" in values:
        ctx.error(ctx.positions["body"], "body", "the body is written twice: in front matter and after it",
                  "keep the Markdown after the front matter and remove 'body:'")
        return None
    if raw.body.strip():
        if "body" not in {name for name, _ in specs(cls)}:
            ctx.error(Position(raw.body_line, 1), "body", f"a {cls.kind} has no body",
                      "move the text into 'description' or 'note'")
            return None
        values["body"] = raw.body
    return values
