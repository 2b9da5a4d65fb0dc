"""Live data in hand-written pages: a fenced ```dyad block becomes an event list, a figure or a list of tracks.

A block holds YAML validated like any record (unknown keys, bad values and dangling ids are errors at the
page's own line), so narrative pages stay current without copying facts into them. Entry points:
`find_blocks()` and `render_block()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass




from ..errors import Diagnostics, Position
from ..load import MappingNode, _LoadError, parse_yaml
from ..model import (BoolType, Commitment, a_or_an, Choice, DateType, Event, IntType, PartialDate, Ref, Series, Text, Validation, fld,
                     parse_fields)
from . import urls
from .pages import Linker, SiteRenderer

FENCE = re.compile(r"^```dyad[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True, kw_only=True)
class EmbedSpec:
    """What a ```dyad block may ask for."""

    show: str = fld(Choice("events", "figure", "tracks", "stats", "pending", "due"), "What to show: events, "
                    "pending (scheduled events), due (open commitments), figure, tracks or stats.", required=True)
    track: str | None = fld(Text(single_line=True), "events: only this track.")
    actor: str | None = fld(Ref("person", "country", "organization", "agreement", "initiative"),
                            "events: only those involving this record.")
    year: int | None = fld(IntType(1000, 9999), "events: only this year.")
    since: PartialDate | None = fld(DateType(), "events: only from this date.")
    limit: int | None = fld(IntType(1, 100000), "events: at most this many.")
    order: str = fld(Choice("newest", "oldest"), "events: newest or oldest first.", default="newest")
    summaries: bool = fld(BoolType(), "events: show each summary.", default=False)
    series: str | None = fld(Ref("series"), "figure: the series.")
    period: PartialDate | None = fld(DateType(), "figure: the period (the latest when left out).")
    label: str | None = fld(Text(single_line=True), "figure: the words under the number.")


@dataclass(frozen=True)
class Block:
    start: int  # 0-based character offsets of the whole fence in the page
    end: int
    line: int  # 1-based line of the opening fence
    source: str


def find_blocks(markdown: str) -> list[Block]:
    return [Block(m.start(), m.end(), markdown.count("\n", 0, m.start()) + 1, m.group(1))
            for m in FENCE.finditer(markdown)]


def parse_block(block: Block, path: str, diagnostics: Diagnostics, renderer: SiteRenderer) -> EmbedSpec | None:
    """Validate one block's YAML against `EmbedSpec` and the corpus; problems go to `diagnostics`."""
    try:
        node = parse_yaml(block.source, line_offset=block.line)
    except _LoadError as exc:
        diagnostics.error(path, exc.position, exc.message, hint=exc.hint, field="dyad block")
        return None
    if not isinstance(node, MappingNode):
        diagnostics.error(path, Position(block.line, 1), "a dyad block holds 'key: value' lines",
                          hint="start with 'show: events' (or figure, tracks, stats, pending)", field="dyad block")
        return None
    ctx = Validation(path, diagnostics)
    values = parse_fields(EmbedSpec, node, ctx)
    if values is None:
        return None
    spec = EmbedSpec(**values)
    corpus = renderer.corpus
    ok = True
    for ref in ctx.references:
        target = corpus.get(ref.target)
        if target is None or target.kind not in ref.kinds:
            diagnostics.error(path, ref.position, f"'{ref.target}' is not {a_or_an(' or '.join(ref.kinds))} in the record",
                              field=ref.field)
            ok = False
    if spec.track and spec.track not in corpus.tracks:
        diagnostics.error(path, ctx.positions["track"], f"track '{spec.track}' is not declared", field="track")
        ok = False
    if spec.show == "figure" and not spec.series:
        diagnostics.error(path, Position(block.line, 1), "a figure needs 'series'", field="series")
        ok = False
    return spec if ok else None


def _events(spec: EmbedSpec, renderer: SiteRenderer) -> list[Event]:
    corpus, index = renderer.corpus, renderer.index
    events = corpus.events
    if spec.show == "pending":
        as_of = corpus.config.as_of
        events = [e for e in events if e.status == "scheduled" and not e.span_end.latest() < as_of.earliest()]
    if spec.track:
        events = [e for e in events if spec.track in e.tracks]
    if spec.actor:
        keep = {e.id for e in index.events_by_entity.get(spec.actor, [])}
        events = [e for e in events if e.id in keep]
    if spec.year:
        events = [e for e in events if e.date.year == spec.year]
    if spec.since:
        since = spec.since
        events = [e for e in events if not e.span_end.latest() < since.earliest()]
    if spec.order == "newest":
        events = list(reversed(events))
    return events[: spec.limit] if spec.limit else events


def render_block(spec: EmbedSpec, renderer: SiteRenderer, here: str) -> str:
    """The HTML a block stands for, on the page at URL `here`."""
    linker = Linker(renderer.corpus, here)
    context = {"l": linker, "spec": spec, "corpus": renderer.corpus, "site": renderer.corpus.config,
               "index": renderer.index}
    if spec.show in ("events", "pending"):
        context["events"] = _events(spec, renderer)
    if spec.show == "due":
        open_ones = [c for c in renderer.corpus.of_kind(Commitment)
                     if c.current_status.status not in ("delivered", "abandoned")]
        context["commitments"] = sorted(open_ones, key=lambda c: (c.target is None,
                                                                  c.target.sort_key() if c.target else (0, 0, 0), c.id))
    if spec.show == "figure":
        series = renderer.corpus.get(spec.series or "")
        assert isinstance(series, Series)
        points = renderer.corpus.series_points.get(series.id, [])
        chosen = [p for p in points if spec.period is None or p.period == spec.period]
        context["series"] = series
        context["point"] = chosen[-1] if chosen else None
        context["series_url"] = linker.href(urls.record_url(series))
    template = renderer.env.get_template(f"embed_{spec.show}.html.j2")
    return "\n" + template.render(**context).strip() + "\n"


def expand(markdown: str, path: str, here: str, renderer: SiteRenderer, diagnostics: Diagnostics) -> str:
    """A hand-written page with every ```dyad block replaced by what it shows."""
    out, last = [], 0
    for block in find_blocks(markdown):
        spec = parse_block(block, path, diagnostics, renderer)
        out.append(markdown[last:block.start])
        out.append(render_block(spec, renderer, here) if spec else "")
        last = block.end
    out.append(markdown[last:])
    return "".join(out)



