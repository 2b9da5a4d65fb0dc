"""`dyad export timelinejs` and `/data/timeline.json`: valid TimelineJS 3 JSON that imports back without losing
an event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.corpus import Corpus
from generator.interop.timelinejs_in import TimelineOptions, import_timeline
from generator.interop.timelinejs_out import NOT_CARRIED, dump_timeline, timeline
from generator.model import Event, Source
from generator.pipeline import check

from .conftest import MINI, REFERENCE_FILES, SITE, requires_reference, resolved, run

# The TimelineJS 3 JSON format (timeline.knightlab.com/docs/json-format.html), as a JSON Schema. `number` lets
# the reference files' string years through when `loose`; what Dyad writes must use integers.


def timelinejs_schema(loose: bool = False) -> dict[str, Any]:
    number: dict[str, Any] = ({"type": ["integer", "string", "number", "null"]} if loose
                              else {"type": "integer"})
    date = {"type": "object", "required": ["year"], "additionalProperties": loose,
            "properties": {"year": number, "month": number, "day": number, "hour": number, "minute": number,
                           "second": number, "millisecond": number, "display_date": {"type": "string"},
                           "format": {"type": "string"}}}
    text = {"type": "object", "additionalProperties": False,
            "properties": {"headline": {"type": ["string", "null"]}, "text": {"type": ["string", "null"]}}}
    media = {"type": "object", "required": ["url"], "additionalProperties": False,
             "properties": {k: {"type": ["string", "null"]} for k in ("url", "caption", "credit", "thumbnail",
                                                                        "alt", "title", "link", "link_target")}}
    slide_properties = {"start_date": date, "end_date": date, "text": text, "media": media,
                        "group": {"type": "string"}, "display_date": {"type": "string"},
                        "background": {"type": "object"}, "autolink": {"type": "boolean"},
                        "unique_id": {"type": "string"}}
    slide = {"type": "object", "required": ["start_date"], "properties": slide_properties,
             "additionalProperties": loose}
    title = {"type": "object", "properties": slide_properties, "additionalProperties": loose}
    era = {"type": "object", "required": ["start_date", "end_date"], "additionalProperties": False,
           "properties": {"start_date": date, "end_date": date, "text": text}}
    return {"type": "object", "required": ["events"],
            "properties": {"title": title, "events": {"type": "array", "items": slide},
                           "eras": {"type": "array", "items": era}, "scale": {"enum": ["human", "cosmological"]},
                           "dyad": {"type": "object"}}}


RICH = {
    "events/2019-a-year.yaml": "title: A year\ndate: 2019\nsummary: Something in 2019.\ntracks: [trade]\n"
                               "sources: [s1]\n",
    "events/2020-01-talks.md": (
        "---\ntitle: \"</script> talks & 'quotes' <b>\"\ndate: 2020-01\nend: 2020-03\n"
        "summary: Talks ran for three months, AT&T <Q1>.\ntracks: [diplomacy, trade]\nlocation: Delhi <India>\n"
        "sources:\n  - {id: s1, locator: p. 4}\n  - s2\n---\n"
        "The talks **ended** in [India](country:india); see [the record](https://example.org/r?a=1&b=2).\n"),
    "events/2020-02-overlapping-span.yaml": "title: Overlapping span\ndate: 2020-02\nend: 2020-06\n"
                                           "summary: It overlaps.\ntracks: [trade]\nsources: [s2]\n",
    "events/2026-12-01-summit.yaml": "title: Summit\ndate: 2026-12-01\nsummary: A summit is planned.\n"
                                     "tracks: [diplomacy]\nstatus: scheduled\nsources: [s1]\n",
    "sources/s2.yaml": "title: Second, \"quoted\"\npublisher: Ministry & Co\nurl: https://example.org/s2?x=1&y=2\n"
                       "kind: government\n",
}


@pytest.fixture
def rich(make_content: Any) -> Corpus:
    return resolved(make_content(RICH))


def test_the_export_is_valid_timelinejs(mini: Corpus, rich: Corpus) -> None:
    for corpus in (mini, rich):
        document = timeline(corpus, SITE)
        jsonschema.validate(document, timelinejs_schema())
        ids = [slide["unique_id"] for slide in document["events"]]
        assert ids == [e.id for e in corpus.events] and len(set(ids)) == len(ids)


@requires_reference()
@pytest.mark.parametrize("reference", REFERENCE_FILES, ids=lambda p: p.name)
def test_the_schema_accepts_the_reference_files(reference: Path) -> None:
    jsonschema.validate(json.loads(reference.read_text(encoding="utf-8")), timelinejs_schema(loose=True))


def test_slides_keep_precision_group_sources_and_escape_text(rich: Corpus) -> None:
    slides = {s["unique_id"]: s for s in timeline(rich, SITE)["events"]}
    assert slides["2019-a-year"]["start_date"] == {"year": 2019}
    talks = slides["2020-01-talks"]
    assert talks["start_date"] == {"year": 2020, "month": 1} and talks["end_date"] == {"year": 2020, "month": 3}
    assert talks["display_date"] == "January 2020 – March 2020"
    assert talks["group"] == "Diplomacy"
    assert talks["text"]["headline"] == "&lt;/script&gt; talks &amp; &#x27;quotes&#x27; &lt;b&gt;"
    text = talks["text"]["text"]
    assert "<p>Talks ran for three months, AT&amp;T &lt;Q1&gt;.</p>" in text
    assert '<a href="https://example.org/s2?x=1&amp;y=2" data-dyad-source="s2"' in text and "p. 4" in text
    assert f'href="{SITE}countries/india/"' in text and "Tracks: Diplomacy, Trade." in text
    assert "Scheduled." in slides["2026-12-01-summit"]["text"]["text"]


def test_spans_become_eras_where_they_do_not_overlap(rich: Corpus) -> None:
    eras = timeline(rich, SITE)["eras"]
    assert eras == [{"start_date": {"year": 2020, "month": 1}, "end_date": {"year": 2020, "month": 3},
                     "text": {"headline": "&lt;/script&gt; talks &amp; &#x27;quotes&#x27; &lt;b&gt;"}}]


def test_what_the_format_cannot_carry_is_stated(mini: Corpus) -> None:
    document = timeline(mini, SITE)
    assert document["dyad"]["not_carried"] == list(NOT_CARRIED)
    assert "This timeline cannot carry: more than one track per event" in document["title"]["text"]["text"]


def test_a_track_keeps_only_its_events(rich: Corpus) -> None:
    document = timeline(rich, SITE, track="diplomacy")
    assert [s["unique_id"] for s in document["events"]] == ["2020-01-talks", "2026-12-01-summit"]
    assert {s["group"] for s in document["events"]} == {"Diplomacy"}
    with pytest.raises(KeyError):
        timeline(rich, SITE, track="nope")


def _facts(event: Event, corpus: Corpus) -> tuple[Any, ...]:
    sources = tuple(sorted((s.url, s.title, s.publisher, s.kind_of) for s in (corpus.get(c.id) for c in event.sources)
                           if isinstance(s, Source)))
    return (event.id, event.title, event.date, event.end, event.summary, event.tracks, event.status,
            event.location, sources)


@pytest.mark.parametrize("site_url", [SITE, ""])
def test_the_export_reimports_without_losing_an_event(make_content: Any, tmp_path: Path, site_url: str) -> None:
    for source in (MINI, make_content(RICH)):
        corpus = resolved(source)
        exported = json.loads(dump_timeline(timeline(corpus, site_url)))
        into = tmp_path / f"reimported-{source.parent.name}-{bool(site_url)}"
        report = import_timeline(exported, into, TimelineOptions(origin="timeline.json"))
        assert not report.failure
        result = check(into)
        assert result.ok, result.diagnostics.report(result.files)  # it builds: nothing for an editor to add
        assert result.corpus is not None
        again = result.corpus
        assert [_facts(e, again) for e in again.events] == [_facts(e, corpus) for e in corpus.events]
        assert again.config.title == corpus.config.title and again.config.focus == corpus.config.focus
        assert again.config.as_of == corpus.config.as_of
        body = again.get("2020-01-talks") if source != MINI else again.get("2025-03-01-port-north-summit")
        assert isinstance(body, Event) and body.body and ("**ended**" in body.body or "pelican" in body.body)


def test_cli_writes_the_timeline(tmp_path: Path) -> None:
    out = tmp_path / "out" / "trade.json"
    result = run("export", "timelinejs", "--content", MINI, "--track", "trade", "--out", out, "--site-url",
                 "https://example.org/site")
    assert result.exit_code == 0, result.output
    assert "2 events" in result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [s["unique_id"] for s in document["events"]] == ["2025-03-01-port-north-summit", "2026-09-trade-talks"]
    assert document["dyad"]["url"] == SITE
    to_stdout = run("export", "timelinejs", "--content", MINI)
    assert json.loads(to_stdout.stdout)["events"][0]["unique_id"] == "2024-northern-forum-founded"


def test_cli_refuses_an_unknown_track_and_bad_content(tmp_path: Path) -> None:
    result = run("export", "timelinejs", "--content", MINI, "--track", "space")
    assert result.exit_code == 2 and "no track 'space'; the tracks are: trade, diplomacy" in result.output
    (tmp_path / "dyad.yaml").write_text("title: x\n", encoding="utf-8")
    broken = run("export", "timelinejs", "--content", tmp_path)
    assert broken.exit_code == 1 and "has errors" in broken.output
