"""Markdown bodies: every executable construct is (a) refused by `dyad check` at its own line, with the build
leaving the previous site untouched, AND, separately, (b) never emitted by `generator.markdown.render_body`: no
`<script`, no `on…=` attribute, no href/src with a scheme other than http(s)/mailto, no iframe, style, base, meta.

Builds on tests/core/test_markdown.py (which covers the common spellings through scan_body and render_body) by
running every attack through the whole pipeline, the CLI and a build, and by adding the spellings it leaves out.
"""

from __future__ import annotations

import pytest

from generator.markdown import render_body, scan_body
from tests.core._helpers import VALID_EVENT

from .conftest import Refusal
from .htmlaudit import parse_page

FRONT = "---\n" + VALID_EVENT + "---\n"
INTRO = "Intro line.\n\n"  # the body's first two lines: the attack starts on line 10 of the file
ATTACK_LINE = 10
RAW_HTML = "raw HTML is not allowed"
BAD_LINK = "is not allowed (link to http(s)://"
TOO_DEEP = "nesting deeper than 20 levels"
NESTED_LISTS = "\n".join("  " * level + "- item" for level in range(25))  # reported where it passes level 20

# name → (the Markdown, the message `dyad check` gives, the line of the file it gives it on)
ATTACKS: dict[str, tuple[str, str, int]] = {
    # raw HTML
    "script": ("<script>alert(1)</script>", RAW_HTML, 10),
    "script-upper-with-src": ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", RAW_HTML, 10),
    "script-split-by-tag": ("<scr<script>ipt>alert(1)</script>", RAW_HTML, 10),
    "closing-script-first": ("</script><script>alert(1)</script>", RAW_HTML, 10),
    "img-onerror": ("Text <img src=x onerror=alert(1)> more.", RAW_HTML, 10),
    "img-onerror-mixed-case": ("<IMG SRC=x OnError=alert(1)>", RAW_HTML, 10),
    "iframe": ('<iframe src="https://evil.example"></iframe>', RAW_HTML, 10),
    "iframe-srcdoc": ("<iframe srcdoc='<script>alert(1)</script>'></iframe>", RAW_HTML, 10),
    "style-element": ("<style>body { display: none }</style>", RAW_HTML, 10),
    "style-attribute": ('<p style="background:url(javascript:alert(1))">x</p>', RAW_HTML, 10),
    "base": ('<base href="https://evil.example/">', RAW_HTML, 10),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', RAW_HTML, 10),
    "svg-onload-inline": ("Text <svg onload=alert(1)> more.", RAW_HTML, 10),
    "a-onclick-inline": ('A <a href="https://x.example" onclick="alert(1)">link</a>.', RAW_HTML, 10),
    "object-data": ('<object data="javascript:alert(1)"></object>', RAW_HTML, 10),
    "form-action": ('<form action="javascript:alert(1)"><button>x</button></form>', RAW_HTML, 10),
    "math-xlink": ('<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
                   RAW_HTML, 10),
    "comment-then-script": ("<!-- x --><script>alert(1)</script>", RAW_HTML, 10),
    "cdata": ("<![CDATA[<script>alert(1)</script>]]>", RAW_HTML, 10),
    "html-in-list-item": ("- item\n- <script>alert(1)</script>", RAW_HTML, 11),
    "html-in-quote": ("> quoted\n> <iframe src=x></iframe>", RAW_HTML, 11),
    "html-on-a-later-paragraph-line": ("First line,\nthen <b onmouseover=alert(1)>bold</b>.", RAW_HTML, 11),
    # javascript: in every spelling
    "js-plain": ("[x](javascript:alert(1))", BAD_LINK, 10),
    "js-mixed-case": ("[x](JaVaScRiPt:alert(1))", BAD_LINK, 10),
    "js-decimal-entity": ("[x](&#106;avascript:alert(1))", BAD_LINK, 10),
    "js-hex-entity": ("[x](&#x6A;avascript:alert(1))", BAD_LINK, 10),
    "js-every-char-hex-entity": ("[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
                                 BAD_LINK, 10),
    "js-zero-padded-entity": ("[x](&#0000106;avascript:alert(1))", BAD_LINK, 10),
    "js-entity-colon": ("[x](javascript&#58;alert(1))", BAD_LINK, 10),
    "js-named-colon": ("[x](javascript&colon;alert(1))", BAD_LINK, 10),
    "js-Tab-entity": ("[x](java&Tab;script:alert(1))", BAD_LINK, 10),
    "js-NewLine-entity": ("[x](java&NewLine;script:alert(1))", BAD_LINK, 10),
    "js-raw-tab-in-brackets": ("[x](<java\tscript:alert(1)>)", BAD_LINK, 10),
    "js-angle-brackets": ("[x](<javascript:alert(1)>)", BAD_LINK, 10),
    "js-leading-space": ("[x]( javascript:alert(1))", BAD_LINK, 10),
    "js-with-title": ('[x](javascript:alert(1) "title")', BAD_LINK, 10),
    "js-reference-definition": ("[x][r]\n\n[r]: javascript:alert(1)", BAD_LINK, 10),
    "js-reference-angle-brackets": ("[x][r]\n\n[r]: <javascript:alert(1)>", BAD_LINK, 10),
    "js-reference-with-title": ("[x][r]\n\n[r]: javascript:alert(1) 'title'", BAD_LINK, 10),
    "js-reference-other-case": ("[X][Y]\n\n[y]: JAVASCRIPT:alert(1)", BAD_LINK, 10),
    "js-shortcut-reference": ("[r]\n\n[r]: javascript:alert(1)", BAD_LINK, 10),
    "js-autolink": ("<javascript:alert(1)>", BAD_LINK, 10),
    "js-autolink-upper": ("<JAVASCRIPT:alert(1)>", BAD_LINK, 10),
    "js-image": ("![x](javascript:alert(1))", BAD_LINK, 10),
    "js-in-heading": ("## [x](javascript:alert(1))", BAD_LINK, 10),
    "js-in-table": ("| a |\n| --- |\n| [x](javascript:alert(1)) |", BAD_LINK, 12),
    "js-in-footnote": ("See[^1].\n\n[^1]: [x](javascript:alert(1))", BAD_LINK, 12),
    "js-inside-a-web-link": ("[[x](javascript:alert(1))](https://ok.example)", BAD_LINK, 10),
    # other schemes
    "vbscript": ("[x](vbscript:msgbox(1))", BAD_LINK, 10),
    "vbscript-autolink": ("<vbscript:msgbox(1)>", BAD_LINK, 10),
    "data-text-html": ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", BAD_LINK, 10),
    "data-upper": ("[x](DATA:text/html,<script>alert(1)</script>)", BAD_LINK, 10),
    "data-svg-image": ("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", BAD_LINK, 10),
    "file": ("[x](file:///etc/passwd)", BAD_LINK, 10),
    "file-upper-autolink": ("<FILE:///etc/passwd>", BAD_LINK, 10),
    "protocol-relative": ("[x](//evil.example/)", BAD_LINK, 10),
    # nesting beyond the parser's limit
    "quotes-25-deep": ("> " * 25 + "deep", TOO_DEEP, 10),
    "quotes-5000-deep": ("> " * 5000 + "deep", TOO_DEEP, 10),
    "lists-25-deep": (NESTED_LISTS, TOO_DEEP, 19),
    "list-markers-5000-on-one-line": ("- " * 5000 + "deep", TOO_DEEP, 10),
    "emphasis-5000": ("*" * 5000 + "deep" + "*" * 5000, TOO_DEEP, 10),
}

TEMPLATE_SYNTAX = "{{ 7*7 }} {% raw %}{{ config }}{% endraw %} {# comment #} {%- if true -%}"


# ---------------------------------------------------------------------------------------------------- (a) check refuses


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_dyad_check_refuses_the_attack_at_its_line_and_the_build_leaves_the_site(name: str,
                                                                                 refusal: Refusal) -> None:
    markdown, message, line = ATTACKS[name]
    refusal.write({"events/attack.md": FRONT + INTRO + markdown + "\n"})
    refusal.assert_refused(f"content/events/attack.md:{line}:", message)


@pytest.mark.parametrize(("markdown", "where"), [
    ("<script>alert(1)</script>", "8:3"),
    ("[x](javascript:alert(1))", "8:7"),
])
def test_dyad_check_refuses_the_attack_in_a_yaml_block_body_at_its_line_and_column(markdown: str, where: str,
                                                                                    refusal: Refusal) -> None:
    refusal.write({"events/attack.yaml": VALID_EVENT + "body: |\n  Intro.\n  " + markdown + "\n"})
    refusal.assert_refused(f"content/events/attack.yaml:{where}", "not allowed")


def test_every_attack_on_its_own_line_is_reported_on_that_line() -> None:
    """All the one-line attacks in one body, one per paragraph: each diagnostic lands on its own line."""
    one_line = [name for name, (markdown, _, line) in sorted(ATTACKS.items())
                if line == ATTACK_LINE and "\n" not in markdown and "5000" not in name and "25" not in name]
    body = "\n\n".join(ATTACKS[name][0] for name in one_line) + "\n"
    reported = {p.line for p in scan_body(body).problems}
    expected = {2 * index for index in range(len(one_line))}
    assert expected <= reported, sorted(one_line[i // 2] for i in expected - reported)


# ---------------------------------------------------------------------------------------------------- (b) rendering neutralises

FORBIDDEN_TAGS = {"script", "iframe", "style", "base", "meta", "object", "embed", "form", "svg", "math", "link",
                  "frame", "frameset", "applet"}


def executable_constructs(html: str) -> list[str]:
    """Everything in rendered body HTML that could run or load something."""
    page = parse_page(html)
    found = ["raw '<script'"] if "<script" in html.lower() else []
    found += [str(f) for f in page.findings]  # on… attributes, unsafe URL schemes, style url(), dangerous tags
    return found + [f"<{tag}> element" for tag in page.tags if tag in FORBIDDEN_TAGS]


def resolver(kind: str, record_id: str) -> str | None:
    return f"../../{kind}/{record_id}/"


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_render_body_never_outputs_an_executable_construct(name: str) -> None:
    markdown = ATTACKS[name][0]
    html = render_body(INTRO + markdown + "\n", resolver)
    assert executable_constructs(html) == [], html[:500]


def test_render_body_neutralises_every_attack_at_once() -> None:
    html = render_body("\n\n".join(markdown for markdown, _, _ in ATTACKS.values()), resolver)
    assert executable_constructs(html) == []


def test_render_body_keeps_web_and_record_links_working() -> None:
    """Neutralising must not be done by dropping everything: safe links still render as links."""
    html = render_body("[a](https://example.org/x) [b](mailto:desk@example.org) [c](event:some-event)", resolver)
    page = parse_page(html)
    assert page.findings == []
    assert 'href="https://example.org/x"' in html and 'href="mailto:desk@example.org"' in html
    assert 'href="../../event/some-event/"' in html


def test_the_auditor_itself_catches_what_it_looks_for() -> None:
    """The helper must be able to fail: raw constructs are reported."""
    assert executable_constructs("<script>alert(1)</script>")
    assert executable_constructs('<a href="javascript:alert(1)">x</a>')
    assert executable_constructs('<a href="&#106;avascript:alert(1)">x</a>')
    assert executable_constructs('<img src=x onerror="alert(1)">')
    assert executable_constructs("<iframe></iframe>") and executable_constructs("<base href=x>")
    assert executable_constructs('<meta http-equiv="refresh">') and executable_constructs("<style></style>")
    assert executable_constructs("<p>&lt;script&gt;</p>") == []


# ---------------------------------------------------------------------------------------------------- template syntax


def test_template_syntax_in_a_body_is_accepted_and_renders_literally(refusal: Refusal) -> None:
    """(b): Jinja syntax is text; it is never evaluated (no 49) and shows as written."""
    refusal.write({"events/tpl.md": FRONT + INTRO + TEMPLATE_SYNTAX + "\n"})
    assert refusal.check().ok
    html = render_body(TEMPLATE_SYNTAX, resolver)
    assert html == f"<p>{TEMPLATE_SYNTAX}</p>\n"
    assert "49" not in html


def test_template_syntax_in_a_body_survives_the_page_templates(refusal: Refusal) -> None:
    from generator.build import prepare_site

    refusal.write({"events/tpl.md": FRONT + INTRO + TEMPLATE_SYNTAX + "\n"})
    prepared = prepare_site(refusal.content)
    assert prepared.ok
    [page] = [p for p in prepared.pages if p.src_uri == "events/tpl.md"]
    assert TEMPLATE_SYNTAX in page.markdown
