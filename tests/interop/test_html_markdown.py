"""HTML from TimelineJS `text` becomes Markdown that keeps its meaning and carries nothing unsafe."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from generator.interop.html_markdown import html_to_markdown, html_to_text
from generator.markdown import link_scheme, render_body, scan_body

# Each input tries to get HTML, script or an unsafe link through the conversion.
XSS = [
    "<script>alert(1)</script>visible",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>text",
    '<p onclick="alert(1)">para</p>',
    "<pre>```\n&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;</pre>",
    "<code>&lt;/code&gt;&lt;script&gt;</code>",
    '<a href="https://ok.example/" title="&quot;)](javascript:alert(1))">t</a>',
    "[x](javascript:alert(1)) and ![y](javascript:alert(2))",
    "<!-- comment --> <![CDATA[ x ]]> text",
    "AT&amp;T &lt;Q1&gt; </script> <!--",
    "<" * 30 + "b>" * 30,
    "<blockquote>" * 40 + "deep" + "</blockquote>" * 40,
    "<ul><li><ul><li><ul><li>" * 10 + "deep list" + "</li></ul></li></ul></li></ul>" * 10,
]


SAFE_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "br", "hr", "h1", "h2", "h3",
             "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sup", "section", "span", "div"}


class Tags(HTMLParser):
    """Every tag and attribute of rendered HTML, to check what a browser would act on (not what it shows)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@pytest.mark.parametrize("html", XSS)
def test_converted_markdown_passes_the_body_rules_and_renders_nothing_unsafe(html: str) -> None:
    markdown = html_to_markdown(html).markdown
    assert scan_body(markdown).problems == []
    parser = Tags()
    parser.feed(render_body(markdown, lambda kind, record_id: None))
    for tag, attrs in parser.found:
        assert tag in SAFE_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            if name == "href":
                assert link_scheme(value or "") in ("http", "https", "mailto"), value


def test_formatting_links_and_lists_survive() -> None:
    html = ('<p>The <i>Bodyguard</i> soundtrack sold <b>42 million</b> copies; see '
            '<a href="https://example.org/a_(b)">the chart</a>.</p><ul><li>one</li><li>two</li></ul>')
    markdown = html_to_markdown(html).markdown
    assert "*Bodyguard*" in markdown and "**42 million**" in markdown
    assert "[the chart](https://example.org/a_%28b%29)" in markdown
    assert "- one\n- two" in markdown
    rendered = render_body(markdown, lambda kind, record_id: None)
    assert '<a href="https://example.org/a_%28b%29" rel="noopener">the chart</a>' in rendered


def test_escaped_html_in_text_stays_text() -> None:
    markdown = html_to_markdown("AT&amp;T &lt;Q1&gt; 1. not a list * not emphasis # not a heading").markdown
    rendered = render_body(markdown, lambda kind, record_id: None)
    assert rendered.strip() == "<p>AT&amp;T &lt;Q1&gt; 1. not a list * not emphasis # not a heading</p>"


def test_what_is_dropped_is_said() -> None:
    conversion = html_to_markdown('<img src="https://x.example/a.jpg" alt="a photo"> <a href="javascript:x">y</a>')
    assert any("image" in d for d in conversion.dropped)
    assert any("javascript:x" in d for d in conversion.dropped)
    assert "a photo" in conversion.markdown


def test_text_is_what_a_reader_sees() -> None:
    assert html_to_text("Whitney Houston<br/> 1963 - 2012") == "Whitney Houston\n 1963 - 2012".replace("\n ", " ")
    assert html_to_text("<p>One</p><p>Two <b>bold</b></p><script>x</script>") == "One\n\nTwo bold"
    assert html_to_text("&lt;b&gt; &amp;") == "<b> &"
