"""Markdown bodies: every unsafe link and raw HTML found with its line; rendering never emits either."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from generator.markdown import MAX_NESTING, classify_link, link_scheme, render_body, scan_body

from ._helpers import VALID_EVENT, lines_about, md

UNSAFE_LINKS = {
    "plain": "[x](javascript:alert(1))",
    "mixed-case": "[x](JaVaScRiPt:alert(1))",
    "decimal-entity": "[x](&#106;avascript:alert(1))",
    "hex-entity": "[x](&#x6A;avascript:alert(1))",
    "named-entity-colon": "[x](javascript&colon;alert(1))",
    "embedded-tab": "[x](<java\tscript:alert(1)>)",
    "tab-entity": "[x](java&#9;script:alert(1))",
    "leading-space": "[x]( javascript:alert(1))",
    "with-title": '[x](javascript:alert(1) "title")',
    "on-next-line": "[x](\njavascript:alert(1))",
    "reference-definition": "[x][r]\n\n[r]: javascript:alert(1)",
    "collapsed-reference": "[r][]\n\n[r]: JAVASCRIPT:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "autolink-upper": "<JAVASCRIPT:alert(1)>",
    "image": "![x](javascript:alert(1))",
    "in-footnote": "See[^1].\n\n[^1]: [x](javascript:alert(1))",
    "in-table": "| a |\n| --- |\n| [x](javascript:alert(1)) |",
    "in-image-alt": "![a [x](javascript:alert(1))](https://example.org/i.png)",
    "vbscript": "[x](vbscript:msgbox(1))",
    "data-html": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "file": "[x](file:///etc/passwd)",
    "unknown-record-kind": "[x](page:home)",
    "relative": "[x](/admin)",
}

RAW_HTML = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "Text <img src=x onerror=alert(1)> more.",
    "iframe": "<iframe src=\"https://example.org\"></iframe>",
    "style": "<style>body { display: none }</style>",
    "inline-bold": "Some <b>bold</b> text.",
    "comment": "<!-- hidden -->",
    "svg-onload": "<svg onload=alert(1)>",
}


@pytest.mark.parametrize("body", UNSAFE_LINKS.values(), ids=UNSAFE_LINKS.keys())
def test_scan_body_refuses_every_spelling_of_an_unsafe_link(body: str) -> None:
    scan = scan_body(body)
    assert len(scan.problems) == 1
    assert scan.problems[0].message.startswith("link '") and scan.problems[0].message.endswith("' is not allowed")
    assert scan.links == []


@pytest.mark.parametrize("body", RAW_HTML.values(), ids=RAW_HTML.keys())
def test_scan_body_refuses_raw_html(body: str) -> None:
    problems = scan_body(body).problems
    assert problems
    assert all(p.message.startswith("raw HTML is not allowed: ") for p in problems)


@pytest.mark.parametrize("body", [
    "[a](https://example.org) and [b](http://example.org/x?y=1#z).",
    "<https://example.org/page>",
    "[write](mailto:desk@example.org)",
    "Plain text mentioning javascript: as a word.",
    "`<script>` in code and `[x](javascript:y)` too.",
    "    <script>indented code</script>",
    "```\n<iframe>\n```",
])
def test_scan_body_accepts_web_links_and_code(body: str) -> None:
    assert scan_body(body).problems == []


def test_scan_body_collects_record_links_with_line_and_column() -> None:
    scan = scan_body("Intro.\n\nSee [the Quad](initiative:quad) and [Rubio](person:marco-rubio#roles).\n")
    assert scan.problems == []
    assert [(link.line, link.column, link.kind, link.id) for link in scan.links] == [
        (2, 16, "initiative", "quad"), (2, 45, "person", "marco-rubio")]


def test_scan_body_reports_problems_on_their_own_zero_based_line() -> None:
    scan = scan_body("One.\n\nTwo.\n\n<div>x</div>\n\n[x](vbscript:y)\n")
    assert [(p.line, p.column) for p in scan.problems] == [(4, 1), (6, 5)]


def test_scan_body_reports_inline_problems_on_a_paragraphs_later_line() -> None:
    scan = scan_body("First line of the paragraph,\nthen a [link](javascript:alert(1)) and <b>bold</b>.\n")
    assert [(p.line, p.column) for p in scan.problems] == [(1, 15), (1, 40), (1, 47)]


def test_nesting_deeper_than_the_limit_is_reported_once() -> None:
    body = "Intro.\n\n" + "> " * (MAX_NESTING + 5) + "deep\n"
    problems = scan_body(body).problems
    assert [(p.line, p.message) for p in problems] == [(2, f"nesting deeper than {MAX_NESTING} levels")]


@pytest.mark.parametrize("depth", [1, 10, 18, 19, 20, 21, 22, 30])
def test_nested_text_is_either_rendered_or_reported_never_silently_dropped(depth: int) -> None:
    quotes = "> " * depth + "needle\n"
    bullets = "".join("  " * level + "- item\n" for level in range(depth)) + "  " * depth + "- needle\n"
    for body in (quotes, bullets):
        reported = any("nesting deeper" in p.message for p in scan_body(body).problems)
        assert reported or "needle" in render_body(body, lambda kind, id_: None)


def test_shallow_nesting_is_not_reported() -> None:
    assert scan_body("> " * 10 + "fine\n").problems == []


@pytest.mark.parametrize(("url", "scheme"), [("JaVaScRiPt:x", "javascript"), ("&#106;avascript:x", "javascript"),
                                              ("java\tscript:x", "javascript"), ("java\nscript:x", "javascript"),
                                              ("\x00javascript:x", "javascript"), ("https://e.org", "https"),
                                              ("/relative", ""), ("#frag", "")])
def test_link_scheme_sees_through_case_entities_and_invisible_characters(url: str, scheme: str) -> None:
    assert link_scheme(url) == scheme


@pytest.mark.parametrize(("url", "expected"), [
    ("event:2026-02-03-meeting", ("record", "event", "2026-02-03-meeting")),
    ("series:us-goods-exports#2010", ("record", "series", "us-goods-exports")),
    ("https://example.org", ("web", "https://example.org", "")),
    ("mailto:a@example.org", ("web", "mailto:a@example.org", "")),
    ("page:home", None),
    ("event:Bad_Id", None),
    ("javascript:alert(1)", None),
])
def test_classify_link(url: str, expected: tuple[str, str, str] | None) -> None:
    assert classify_link(url) == expected


# ---------------------------------------------------------------------------------------------------- rendering


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in ("href", "src", "action", "formaction")]


def rendered(body: str) -> _Collector:
    collector = _Collector()
    collector.feed(render_body(body, lambda kind, id_: f"/{kind}/{id_}/"))
    return collector


@pytest.mark.parametrize("body", [*UNSAFE_LINKS.values(), *RAW_HTML.values()],
                         ids=[*UNSAFE_LINKS.keys(), *RAW_HTML.keys()])
def test_render_body_emits_no_script_tag_and_no_unsafe_url(body: str) -> None:
    html = render_body(body, lambda kind, id_: f"/{kind}/{id_}/")
    assert "<script" not in html.lower()
    assert "<iframe" not in html.lower() and "<style" not in html.lower() and "<svg" not in html.lower()
    collector = rendered(body)
    assert [u for u in collector.urls if link_scheme(u) not in ("http", "https", "mailto", "")] == []
    assert not any(u.lower().lstrip().startswith(("javascript", "vbscript", "data", "file")) for u in collector.urls)
    assert not any("onerror" in t or "onload" in t for t in collector.tags)


def test_render_body_escapes_raw_html_as_text() -> None:
    assert render_body("<b>bold</b>", lambda kind, id_: None) == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_render_body_resolves_record_links_through_the_resolver() -> None:
    calls: list[tuple[str, str]] = []

    def resolve(kind: str, record_id: str) -> str | None:
        calls.append((kind, record_id))
        return "../events/2026-02-03-meeting/" if record_id == "2026-02-03-meeting" else None

    html = render_body("[met](event:2026-02-03-meeting) and [gone](event:missing)", resolve)
    assert calls == [("event", "2026-02-03-meeting"), ("event", "missing")]
    assert '<a href="../events/2026-02-03-meeting/">met</a>' in html
    assert '<a href="#">gone</a>' in html


def test_render_body_marks_web_links_noopener_but_not_mailto() -> None:
    html = render_body("[a](https://example.org) [m](mailto:a@example.org)", lambda kind, id_: None)
    assert '<a href="https://example.org" rel="noopener">a</a>' in html
    assert '<a href="mailto:a@example.org">m</a>' in html


def test_render_body_supports_tables_and_footnotes() -> None:
    html = render_body("| a | b |\n| - | - |\n| 1 | 2 |\n\nText[^1].\n\n[^1]: A note.\n", lambda k, i: None)
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote-ref"' in html and "A note." in html


# ---------------------------------------------------------------------------------------------------- in the pipeline


def test_body_problems_are_reported_at_their_line_in_the_file_after_the_front_matter(make_content,
                                                                                      run_check) -> None:
    body = "Para.\n\n<div>x</div>\n\n[x](event:2026-02-03-metting)\n"
    make_content({"events/a.md": md(VALID_EVENT, body), "events/2026-02-03-meeting.yaml": VALID_EVENT})
    assert lines_about(run_check(), "content/events/a.md") == [
        "content/events/a.md:10:1: error: body: raw HTML is not allowed: '<div>x</div>' "
        "(write it in Markdown; HTML in content is refused)",
        "content/events/a.md:12:5: error: body: link to event:2026-02-03-metting, which does not exist "
        "(did you mean '2026-02-03-meeting'?)",
    ]


def test_body_problems_in_a_yaml_block_body_are_reported_at_their_line(make_content, run_check) -> None:
    make_content({"events/a.yaml": VALID_EVENT + "body: |\n  Para.\n\n  <div>x</div>\n"})
    [diagnostic] = [d for d in run_check().diagnostics.items if d.path == "content/events/a.yaml"]
    assert diagnostic.position.line == 9


def test_body_problems_in_a_yaml_block_body_carry_the_column_in_the_file(make_content, run_check) -> None:
    make_content({"events/a.yaml": VALID_EVENT + "body: |\n  Para.\n\n  <div>x</div>\n"})
    assert lines_about(run_check(), "content/events/a.yaml") == [
        "content/events/a.yaml:9:3: error: body: raw HTML is not allowed: '<div>x</div>' "
        "(write it in Markdown; HTML in content is refused)"]


def test_record_link_to_the_wrong_kind_suggests_the_right_prefix(make_content, run_check) -> None:
    make_content({"events/a.md": md(VALID_EVENT, "[India](person:india)\n")})
    assert lines_about(run_check(), "content/events/a.md") == [
        "content/events/a.md:8:9: error: body: link to person:india, but 'india' is a country "
        "(write country:india)"]
