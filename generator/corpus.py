"""Stage 3, resolve: typed records to a Corpus, the only input of rendering.

Cross-record rules live here: unique ids and URLs, references that point at real records of the right kind,
declared tracks, dates against the corpus's `as_of`, Markdown bodies, derived series. Entry point: `resolve()`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from typing import Iterable, NamedTuple, TypeVar

from .errors import Diagnostics, Position
from .markdown import scan_body
from .model import (Citation, Commitment, Event, PartialDate, Record, Series, SiteConfig, Source, Track,
                    a_or_an, ends_before, folder_of, kind_of)

R = TypeVar("R", bound=Record)


class Backlink(NamedTuple):
    """Record `source` refers to the target in its field `field` (a tuple: resolve makes one per reference)."""

    source: str
    field: str


@dataclass(frozen=True)
class SeriesPoint:
    """One value of a series as readers see it: typed-in or computed, always with its sources."""

    period: PartialDate
    value: Decimal
    sources: tuple[Citation, ...]
    note: str | None = None
    announced: PartialDate | None = None
    event: str | None = None
    legal_basis: str | None = None


@dataclass
class Corpus:
    """Every record, resolved and indexed."""

    config: SiteConfig
    records: dict[str, Record]
    backlinks: dict[str, list[Backlink]] = field(default_factory=dict)
    series_points: dict[str, list[SeriesPoint]] = field(default_factory=dict)
    _by_kind: dict[type, list[Record]] = field(default_factory=dict, repr=False)
    _referrers: dict[str, list[Record]] = field(default_factory=dict, repr=False)

    def of_kind(self, cls: type[R]) -> list[R]:
        """Records of one type, in a stable order (events by date, everything else by name); sorted once."""
        if cls not in self._by_kind:
            found: list[Record] = [r for r in self.records.values() if type(r) is cls]
            if cls is Event:
                found.sort(key=lambda r: (r.date.sort_key(), r.id))  # type: ignore[attr-defined]
            else:
                found.sort(key=lambda r: (r.label.casefold(), r.id))
            self._by_kind[cls] = found
        return list(self._by_kind[cls])  # type: ignore[arg-type]

    @property
    def events(self) -> list[Event]:
        return self.of_kind(Event)

    @cached_property
    def tracks(self) -> dict[str, Track]:
        return {track.id: track for track in self.config.tracks}

    @cached_property
    def event_positions(self) -> dict[str, int]:
        """Where each event stands in date order, for previous/next links without a scan."""
        return {event.id: index for index, event in enumerate(self.of_kind(Event))}

    def get(self, record_id: str) -> Record | None:
        return self.records.get(record_id)

    def referrers(self, record_id: str) -> list[Record]:
        """Every record that refers to this one, each once, events first by date."""
        if record_id not in self._referrers:
            ids = dict.fromkeys(link.source for link in self.backlinks.get(record_id, []))
            found = [self.records[i] for i in ids if i in self.records]
            self._referrers[record_id] = sorted(
                found, key=lambda r: (0, r.date.sort_key(), r.id) if isinstance(r, Event) else (1, (0, 0, 0), r.id))
        return list(self._referrers[record_id])


def _nearest(target: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(target, list(candidates), n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else "check the id, or add the record it names"


def _check_ids(records: list[Record], diagnostics: Diagnostics) -> dict[str, Record]:
    by_id: dict[str, Record] = {}
    for record in sorted(records, key=lambda r: r.meta.path):
        first = by_id.get(record.id)
        if first is None:
            by_id[record.id] = record
        elif kind_of(first) == kind_of(record):
            diagnostics.error(record.meta.path, Position(1, 1),
                              f"two records map to /{folder_of(record)}/{record.id}/ (also {first.meta.path})",
                              hint="keep one file per id: .yaml or .md, not both")
        else:
            diagnostics.error(record.meta.path, Position(1, 1),
                              f"id '{record.id}' is already used by the {kind_of(first)} {first.meta.path}",
                              hint="ids are unique across all kinds: rename one file")
    return by_id


def _check_references(records: Iterable[Record], by_id: dict[str, Record], diagnostics: Diagnostics,
                      backlinks: dict[str, list[Backlink]]) -> None:
    kinds = {record_id: kind_of(record) for record_id, record in by_id.items()}
    top_field: dict[str, str] = {}  # `actors[2].id` → `actors`, worked out once per distinct field path
    for record in records:
        for ref in record.meta.references:
            kind = kinds.get(ref.target)
            if kind is None:
                candidates = [i for i, r in by_id.items() if kind_of(r) in ref.kinds]
                diagnostics.error(record.meta.path, ref.position, f"'{ref.target}' does not exist",
                                  hint=_nearest(ref.target, candidates), field=ref.field)
            elif kind not in ref.kinds:
                diagnostics.error(record.meta.path, ref.position,
                                  f"'{ref.target}' is {a_or_an(kind)}, not {a_or_an(' or '.join(ref.kinds))}",
                                  field=ref.field)
            elif ref.target != record.id:
                field = top_field.get(ref.field)
                if field is None:
                    field = top_field[ref.field] = ref.field.split("[")[0].split(".")[0]
                backlinks[ref.target].append(Backlink(record.id, field))


def _tracked(record: Record) -> tuple[str, ...]:
    return tuple(getattr(record, "tracks", ()))


def _check_tracks(records: Iterable[Record], config: SiteConfig, diagnostics: Diagnostics) -> None:
    declared = [t.id for t in config.tracks]
    seen: set[str] = set()
    for index, track in enumerate(config.tracks):
        if track.id == "index":
            name = f"tracks[{index}].id"
            diagnostics.error(config.meta.path, config.meta.position(name), "track id 'index' is reserved for the "
                              "tracks page", hint="choose another id", field=name)
        if track.id in seen:
            name = f"tracks[{index}].id"
            diagnostics.error(config.meta.path, config.meta.position(name), f"track '{track.id}' is declared twice",
                              field=name)
        seen.add(track.id)
    for record in records:
        for index, track_id in enumerate(_tracked(record)):
            if track_id not in declared:
                name = f"tracks[{index}]"
                close = difflib.get_close_matches(track_id, declared, n=1, cutoff=0.5)
                hint = f"did you mean '{close[0]}'?" if close else "declare it under 'tracks' in dyad.yaml"
                diagnostics.error(record.meta.path, record.meta.position(name), f"track '{track_id}' is not declared",
                                  hint=hint, field=name)


def _check_dates(records: Iterable[Record], as_of: PartialDate, diagnostics: Diagnostics,
                 by_id: dict[str, Record]) -> None:
    def future(date: PartialDate) -> bool:
        return ends_before(as_of, date)

    hint = f"the corpus is current as of {as_of}: mark a planned event 'status: scheduled', or move as_of"
    for record in records:
        pos = record.meta.position
        if isinstance(record, Event):
            if future(record.date) and record.status not in ("scheduled", "cancelled"):
                diagnostics.error(record.meta.path, pos("date"), f"{record.date} is after as_of ({as_of})",
                                  hint=hint, field="date")
            if record.status == "scheduled" and ends_before(record.span_end, as_of):
                diagnostics.warning(record.meta.path, pos("status"), f"scheduled for {record.date}, which is past",
                                    hint="say whether it occurred or was cancelled", field="status")
        if isinstance(record, Commitment):
            made = by_id.get(record.made_on)
            first = record.status[0].date
            if isinstance(made, Event) and ends_before(first, made.date):
                diagnostics.warning(record.meta.path, pos("status[0].date"),
                                    f"first status ({first}) is before the event it was made at ({made.date})",
                                    hint="point made_on at the event where it was first made",
                                    field="status[0].date")
            for index, entry in enumerate(record.status):
                if future(entry.date):
                    name = f"status[{index}].date"
                    diagnostics.error(record.meta.path, pos(name), f"{entry.date} is after as_of ({as_of})",
                                      hint="a status is reported, not foreseen", field=name)
        if isinstance(record, Series):
            for index, point in enumerate(record.points):
                if future(point.period) and not point.note:
                    name = f"points[{index}].period"
                    diagnostics.error(record.meta.path, pos(name), f"{point.period} is after as_of ({as_of})",
                                      hint="values are reported, not foreseen", field=name)
        for index, correction in enumerate(getattr(record, "corrections", ())):
            name = f"corrections[{index}].date"
            if future(correction.date):
                diagnostics.error(record.meta.path, pos(name), f"{correction.date} is after as_of ({as_of})",
                                  hint="a correction is dated when it was made", field=name)
        for name in ("signed", "in_force", "launched"):
            value = getattr(record, name, None)
            if isinstance(value, PartialDate) and future(value):
                diagnostics.error(record.meta.path, pos(name), f"{value} is after as_of ({as_of})", hint=hint,
                                  field=name)


def _check_bodies(records: Iterable[Record], by_id: dict[str, Record], diagnostics: Diagnostics,
                  backlinks: dict[str, list[Backlink]]) -> None:
    for record in records:
        body = getattr(record, "body", None)
        if not body:
            continue
        offset, indent = record.meta.body_line, record.meta.body_column
        scan = scan_body(body)
        for problem in scan.problems:
            diagnostics.error(record.meta.path, Position(offset + problem.line, indent + problem.column),
                              problem.message, hint=problem.hint, field="body")
        for link in scan.links:
            target = by_id.get(link.id)
            if target is not None and kind_of(target) == link.kind:
                if link.id != record.id:
                    backlinks[link.id].append(Backlink(record.id, "body"))
                continue
            where = Position(offset + link.line, indent + link.column)
            if target is None:
                candidates = [i for i, r in by_id.items() if kind_of(r) == link.kind]
                diagnostics.error(record.meta.path, where, f"link to {link.kind}:{link.id}, which does not exist",
                                  hint=_nearest(link.id, candidates), field="body")
            else:
                diagnostics.error(record.meta.path, where, f"link to {link.kind}:{link.id}, but '{link.id}' is "
                                  f"{a_or_an(kind_of(target))}", hint=f"write {kind_of(target)}:{link.id}", field="body")


def _own_points(series: Series) -> list[SeriesPoint]:
    return sorted((SeriesPoint(p.period, p.value, (p.source,), p.note, p.announced, p.event, p.legal_basis)
                   for p in series.points), key=lambda p: p.period.sort_key())


def _derive(series: Series, by_id: dict[str, Record], diagnostics: Diagnostics) -> list[SeriesPoint]:
    """Compute a derived series from its operands, period by period, citing every operand's sources."""
    assert series.derived is not None
    operands: list[Series] = []
    for index, operand_id in enumerate(series.derived.of):
        operand = by_id.get(operand_id)
        if not isinstance(operand, Series):
            return []  # reported as a dangling or mistyped reference
        name = f"derived.of[{index}]"
        where = series.meta.position(name)
        if operand.derived is not None:
            diagnostics.error(series.meta.path, where, f"'{operand_id}' is itself derived",
                              hint="derive from series with points", field=name)
            return []
        if operand.unit != series.unit or operand.frequency != series.frequency:
            diagnostics.error(series.meta.path, where,
                              f"'{operand_id}' is in {operand.unit} by {operand.frequency}, this series in "
                              f"{series.unit} by {series.frequency}", hint="derive only from like series",
                              field=name)
            return []
        operands.append(operand)
    tables = [{p.period.iso: p for p in operand.points} for operand in operands]
    periods = sorted(set.intersection(*(set(t) for t in tables)))
    derived = []
    for period in periods:
        points = [table[period] for table in tables]
        value = points[0].value
        for point in points[1:]:
            value = value - point.value if series.derived.op == "difference" else value + point.value
        citations = tuple(dict.fromkeys(p.source for p in points))  # the same citation once, each locator kept
        derived.append(SeriesPoint(points[0].period, value, citations))
    return sorted(derived, key=lambda p: p.period.sort_key())


def _warn_unused_sources(records: Iterable[Record], backlinks: dict[str, list[Backlink]],
                         diagnostics: Diagnostics) -> None:
    for record in records:
        if isinstance(record, Source) and not backlinks.get(record.id):
            diagnostics.warning(record.meta.path, Position(1, 1), "no record cites this source",
                                hint="cite it, or remove the file")


def resolve(records: list[Record], config: SiteConfig, diagnostics: Diagnostics) -> Corpus:
    """Check everything that needs more than one record, and index the corpus for rendering."""
    by_id = _check_ids(records, diagnostics)
    backlinks: dict[str, list[Backlink]] = defaultdict(list)
    _check_references([config, *by_id.values()], by_id, diagnostics, backlinks)
    _check_tracks(by_id.values(), config, diagnostics)
    _check_dates(by_id.values(), config.as_of, diagnostics, by_id)
    _check_bodies(by_id.values(), by_id, diagnostics, backlinks)
    _warn_unused_sources(by_id.values(), backlinks, diagnostics)
    series_points = {}
    for record in by_id.values():
        if isinstance(record, Series):
            series_points[record.id] = _derive(record, by_id, diagnostics) if record.derived else _own_points(record)
    return Corpus(config, by_id, dict(backlinks), series_points)

