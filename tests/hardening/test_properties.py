"""Properties over generated input: nothing escapes the loader but a placed diagnostic; nothing the Markdown
renderer or the chart builder emits can run, whatever text content holds.

Builds on tests/core/test_properties.py (YAML-ish lines through `check`) with hostile alphabets: control and
bidi characters, markup, entity-encoded schemes, deep brackets, for the loader, `render_body` and
`timeline_chart`. Each property is kept small (max_examples, no deadline) so the suite stays fast.
"""

from __future__ import annotations

import atexit
import dataclasses
import html
import json
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.corpus import Corpus
from generator.load import _LoadError, parse_yaml
from generator.markdown import link_scheme, render_body, scan_body
from generator.model import Event
from generator.pipeline import check
from generator.render.charts import timeline_chart
from generator.render.pages import json_for_script
from tests.conftest import BASE_FILES
from tests.core._helpers import VALID_EVENT

from .conftest import MINI
from .htmlaudit import parse_page

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE_PIECES = [
    "<script>", "</script>", "<!--", "-->", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:",
    "&#106;", "&#x6A;", "&colon;", "&Tab;", "&#58;", "vbscript:", "data:text/html,", "file:///", "[", "]", "(", ")",
    "](", "<", ">", '"', "'", "`", "*", "_", "#", "> ", "- ", "1. ", "|", "\\", "&", "&amp;", "\n", "\n\n", "\t",
    "    ", "\x00", "\x1b", "\x7f", "\u202e", "\u2066", "\u200b", "\ufeff", "{{ 7*7 }}", "{% raw %}", "[^1]", "[^1]: ",
    "<https://", "https://example.org/", "mailto:", "event:", "[x]: ", "!", "![", "<iframe>", "<style>", "<base>",
    "<meta http-equiv=refresh>", "onerror=", "&", ":", "%0a", "\r", "\r\n",
]
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=8)), max_size=30).map("".join)


# ---------------------------------------------------------------------------------------------------- the loader

YAML_PIECES = [
    "title: x", "date: 2026-02-03", "summary: y", "tracks: [diplomacy]", "sources: [s1]", "&a ", "*a", "!!python/",
    "!ENV ", "!", "%YAML 1.1", "%TAG ! tag:x,2000:", "---", "...", "- ", "? ", ": ", "{", "}", "[", "]", ",", "'",
    '"', "|", ">", "#", "\t", "  ", "\n", "\x00", "\x1b", "\x85", "\u2028", "\u202e", "\ufeff", "no", "on", "01234",
    "1:30", "1e3", ".nan", ".inf", "9" * 50, "<<: ", "\\u202e", "\\0", "\\e", "\\x00",
]
YAMLISH = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=6)), max_size=40).map("".join)


@lru_cache(maxsize=1)
def _scratch() -> Path:
    """One content folder reused by every example (the base corpus, rewritten file by file)."""
    root = Path(tempfile.mkdtemp(prefix="dyad-hardening-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for relative, text in BASE_FILES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    (root / "events").mkdir(exist_ok=True)
    return root


@FAST
@given(text=YAMLISH, suffix=st.sampled_from([".yaml", ".md"]), tail=st.sampled_from([b"", b"\xff", b"caf\xe9\n"]))
def test_the_loader_turns_any_text_into_a_record_or_placed_diagnostics(text: str, suffix: str, tail: bytes) -> None:
    root = _scratch()
    for old in (root / "events").iterdir():
        old.unlink()
    content = f"---\n{text}\n---\n{text}\n" if suffix == ".md" else text
    data = content.encode("utf-8") + tail  # the tail makes some files invalid UTF-8
    path = root / "events" / f"fuzz{suffix}"
    path.write_bytes(data)
    result = check(root)  # must not raise
    lines = data.count(b"\n") + 1
    for diagnostic in result.diagnostics.items:
        assert diagnostic.message, diagnostic
        assert diagnostic.position.line >= 1 and diagnostic.position.column >= 1, diagnostic.format()
        if diagnostic.path == str(path):
            # libyaml counts U+0085/U+2028 as line breaks too; allow for them and the end-of-input line
            breaks = content.count("\x85") + content.count("\u2028") + content.count("\u2029") + content.count("\r")
            assert diagnostic.position.line <= lines + breaks + 1, diagnostic.format()
    if result.ok:
        assert result.corpus is not None and result.corpus.get("fuzz") is not None


@FAST
@given(text=YAMLISH)
def test_parse_yaml_raises_nothing_but_a_placed_load_error(text: str) -> None:
    try:
        parse_yaml(text)
    except _LoadError as error:
        assert error.position.line >= 1 and error.position.column >= 1
        assert error.message


@settings(max_examples=40, deadline=None)
@given(value=HOSTILE_TEXT.filter(lambda s: s.strip()))
def test_any_text_in_a_quoted_title_loads_back_exactly_or_is_refused(value: str) -> None:
    """A JSON string is a valid YAML double-quoted scalar: the title either comes back exactly as written or the
    file is refused with a diagnostic (for characters YAML does not allow)."""
    root = _scratch()
    for old in (root / "events").iterdir():
        old.unlink()
    (root / "events" / "a.yaml").write_text(
        VALID_EVENT.replace("title: Jaishankar meets Rubio", f"title: {json.dumps(value)}"), encoding="utf-8")
    result = check(root)
    if result.ok:
        event = result.corpus.get("a") if result.corpus else None
        assert isinstance(event, Event)
        assert event.title == value.strip() or "\n" in value.strip()
    else:
        assert any(d.path.endswith("events/a.yaml") for d in result.diagnostics.errors)


# ---------------------------------------------------------------------------------------------------- Markdown


def _resolve(kind: str, record_id: str) -> str | None:
    return f"../../{kind}/{record_id}/" if record_id != "missing" else None


SAFE = ("", "http", "https", "mailto")


@settings(max_examples=200, deadline=None)
@given(text=HOSTILE_TEXT)
def test_render_body_never_emits_script_or_an_unsafe_url_whatever_the_text(text: str) -> None:
    out = render_body(text, _resolve)
    assert "<script" not in out.lower()
    page = parse_page(out)
    assert [f for f in page.findings] == []
    assert not {"script", "iframe", "style", "base", "meta", "object", "embed", "svg", "math", "form",
                "link"} & set(page.tags)
    for tag, name, value in _attributes(out):
        assert not name.startswith("on"), (tag, name, value)
        if name in ("href", "src"):
            assert link_scheme(value) in SAFE, (tag, name, value)


def _attributes(markup: str) -> list[tuple[str, str, str]]:
    from html.parser import HTMLParser

    found: list[tuple[str, str, str]] = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((tag, name, value or "") for name, value in attrs)

    Attributes(convert_charrefs=True).feed(markup)
    return found


@settings(max_examples=100, deadline=None)
@given(text=HOSTILE_TEXT)
def test_scan_body_never_raises_and_places_problems_inside_the_body(text: str) -> None:
    scan = scan_body(text)
    lines = max(1, len(text.splitlines()))
    for problem in scan.problems:
        assert 0 <= problem.line < lines + 1 and problem.column >= 1, problem


@settings(max_examples=100, deadline=None)
@given(text=HOSTILE_TEXT)
def test_a_body_the_checker_accepts_renders_every_word_it_holds(text: str) -> None:
    """What check lets through is rendered, not silently dropped: every long enough word of plain text shows.
    (Link reference and footnote definitions are not text: an unused one shows nothing, by CommonMark.)"""
    if scan_body(text).problems or "]:" in text:
        return
    out = html.unescape(render_body(text, _resolve))
    for word in text.split():
        if word.isalnum() and len(word) > 3:
            assert word in out, (word, out[:300])


# ---------------------------------------------------------------------------------------------------- charts


@lru_cache(maxsize=1)
def _mini_corpus() -> Corpus:
    result = check(MINI)
    assert result.corpus is not None, [d.format() for d in result.diagnostics.errors]
    return result.corpus


def _strings(value: object) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(item: object, path: str) -> None:
        if isinstance(item, dict):
            for key, child in item.items():
                walk(child, f"{path}.{key}")
        elif isinstance(item, list):
            for index, child in enumerate(item):
                walk(child, f"{path}[{index}]")
        elif isinstance(item, str):
            out.append((path, item))

    walk(value, "")
    return out


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.tuples(HOSTILE_TEXT.filter(lambda s: s.strip()), HOSTILE_TEXT.filter(lambda s: s.strip())),
                      min_size=1, max_size=3))
def test_timeline_chart_escapes_any_title_and_summary_and_links_only_to_event_pages(
        texts: list[tuple[str, str]]) -> None:
    corpus = _mini_corpus()
    events = [dataclasses.replace(event, title=title, summary=summary)
              for event, (title, summary) in zip(corpus.events, texts)]
    chart = timeline_chart(corpus, events, "fuzz", "Fuzzed events")
    assert chart is not None
    text = json_for_script(chart.figure)
    assert "<" not in text and ">" not in text  # cannot close the element or file it is served in
    assert json.loads(text) == json.loads(json.dumps(chart.figure))
    for path, value in _strings(chart.figure):
        if path.endswith(".hovertemplate"):
            continue  # Dyad's own markup around %{customdata[…]}
        assert "<" not in value, (path, value)  # escaped: plotly.js reads labels as HTML
    rows = [row for trace in chart.figure["data"] if trace.get("meta") == "events" for row in trace["customdata"]]
    assert {html.unescape(row[1]) for row in rows} == {title for title, _ in texts[:len(events)]}
    assert {html.unescape(row[2]) for row in rows} == {summary for _, summary in texts[:len(events)]}
    for row in rows:
        assert link_scheme(row[3]) == "" and row[3].startswith("events/") and row[3].endswith("/"), row[3]
        assert "javascript" not in row[3].lower()


def test_the_scratch_folder_is_a_temporary_one() -> None:
    assert str(_scratch()).startswith(tempfile.gettempdir()) and os.path.isdir(_scratch())
