"""HTML from other tools (TimelineJS `text`) to Markdown that Dyad's body rules accept, or to plain text.

markdownify does the conversion; this module narrows it: scripts, styles, frames and media are dropped, links
keep only http(s) and mailto targets, and every text run is escaped so no raw HTML can appear. The result is then
checked with Dyad's own body scanner; anything it would refuse falls back to escaped plain text, so an import can
never write a body that `dyad check` rejects. Entry point: `html_to_markdown()` (`html_to_text()` for one-line
fields).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from markdownify import MarkdownConverter

from ..markdown import classify_link, link_scheme, scan_body
from .textutil import clean

DROPPED_TAGS = ("script", "style", "template", "noscript", "iframe", "object", "embed", "audio", "video", "svg",
                "math", "canvas", "form", "input", "button", "select", "textarea", "head", "title", "meta", "link")
BLOCK_TAGS = ("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "pre",
              "section", "article", "header", "footer", "figure", "figcaption", "dl", "dt", "dd", "hr")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SAFE_URL_CHARS = ":/?#[]@!$&'*+,;=%~-._"


@dataclass
class Conversion:
    """Markdown made from HTML, and what could not be carried over (said in the import report)."""

    markdown: str
    dropped: list[str] = field(default_factory=list)


def parse_html(html: str) -> BeautifulSoup:
    """Parse a fragment with the standard library's parser, dropping elements whose content is never text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(clean(html), "html.parser")
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    return soup


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders as the same text: every ASCII punctuation mark backslashed."""
    return _PUNCTUATION.sub(r"\\\1", text)


def safe_href(href: str) -> str | None:
    """A link target a Dyad body may hold (http, https, mailto), percent-encoded so it cannot end the link."""
    href = clean(href).strip()
    kind = classify_link(href)
    if not href or kind is None or kind[0] != "web" or link_scheme(href) not in ("http", "https", "mailto"):
        return None
    return quote(href, safe=_SAFE_URL_CHARS).replace("(", "%28").replace(")", "%29")


class _Converter(MarkdownConverter):
    """markdownify with Dyad's rules: safe links only, no images or media, nothing raw."""

    def __init__(self, dropped: list[str], **options: Any) -> None:
        super().__init__(**options)
        self.dropped = dropped

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = str(el.get("href") or "")
        target = safe_href(href)
        if target is None:
            if href.strip() and not href.strip().startswith("#"):
                self.dropped.append(f"link to {href.strip()[:60]!r} (only http, https and mailto links are kept)")
            return text
        stripped = text.strip()
        if not stripped:
            return text
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        return f"{lead}[{stripped}]({target}){trail}"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        self.dropped.append("image (Dyad bodies hold no images; cite the page it illustrates instead)")
        alt = " ".join(str(el.get("alt") or "").split())
        return escape_markdown(alt)

    def convert_video(self, el: Any, text: str, parent_tags: set[str]) -> str:  # pragma: no cover - dropped first
        return text


def _convert(soup: BeautifulSoup, dropped: list[str]) -> str:
    converter = _Converter(dropped, escape_misc=True, escape_asterisks=True, escape_underscores=True,
                           autolinks=False, heading_style="ATX", newline_style="backslash", bullets="-")
    markdown: str = converter.convert_soup(soup)
    lines = [line.rstrip() for line in markdown.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """The reader-visible text of an HTML fragment: paragraphs separated by blank lines, spaces collapsed."""
    soup = parse_html(html)
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(BLOCK_TAGS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", soup.get_text()))
    return "\n\n".join(p for p in paragraphs if p)


def html_to_markdown(html: str) -> Conversion:
    """Safe Markdown for an HTML fragment; falls back to escaped plain text if the result would break a rule."""
    dropped: list[str] = []
    markdown = _convert(parse_html(html), dropped)
    if scan_body(markdown).problems:
        dropped.append("formatting (the HTML could not be carried safely; kept as plain text)")
        markdown = "\n\n".join(escape_markdown(p) for p in html_to_text(html).split("\n\n"))
    return Conversion(markdown, sorted(set(dropped)))
