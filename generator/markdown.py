"""Markdown bodies: one markdown-it-py set-up for checking and rendering what editors write.

Bodies are semi-trusted (they arrive by pull request), so raw HTML, unsafe link schemes and nesting deep enough
for the parser to drop text are all reported at their line in the file; rendering escapes HTML and neutralises
any link the checker would refuse. Entry points: `scan_body()` and `render_body()`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .model import KINDS

MAX_NESTING = 20
WEB_SCHEMES = ("http", "https", "mailto")
RECORD_LINK = re.compile(r"^([a-z]+):([a-z0-9]+(?:-[a-z0-9]+)*)(#[A-Za-z0-9_-]+)?$")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")

LinkResolver = Callable[[str, str], str | None]


@dataclass(frozen=True)
class BodyProblem:
    """A problem in a body, at a 0-based line of the body and a 1-based column."""

    line: int
    column: int
    message: str
    hint: str


@dataclass(frozen=True)
class RecordLink:
    """A `kind:id` link in a body, resolved against the corpus later."""

    line: int
    column: int
    kind: str
    id: str


@dataclass
class BodyScan:
    problems: list[BodyProblem] = field(default_factory=list)
    links: list[RecordLink] = field(default_factory=list)


def link_scheme(url: str) -> str:
    """The scheme a browser would see, after the tricks used to hide one (case, entities, tabs, newlines)."""
    cleaned = _INVISIBLE.sub("", html.unescape(url)).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else ""


def classify_link(url: str) -> tuple[str, str, str] | None:
    """('web', url, '') for a safe web link, ('record', kind, id) for a record link, None for anything else."""
    record = RECORD_LINK.match(url)
    if record and record.group(1) in KINDS:
        return ("record", record.group(1), record.group(2))
    if link_scheme(url) in WEB_SCHEMES:
        return ("web", url, "")
    return None


@lru_cache(maxsize=2)
def make_parser(for_checking: bool) -> MarkdownIt:
    """CommonMark with tables and footnotes. The checking parser sees raw HTML and every link so it can report
    them; the rendering parser treats HTML as text and drops links `classify_link` refuses."""
    parser = MarkdownIt("commonmark", {"html": for_checking, "maxNesting": MAX_NESTING + 1})
    parser.enable("table").use(footnote_plugin)
    if for_checking:
        parser.validateLink = lambda url: True  # type: ignore[method-assign]
    else:
        parser.validateLink = lambda url: classify_link(url) is not None  # type: ignore[method-assign]
    return parser


def _walk(tokens: list[Token], span: tuple[int, int] = (0, 1)) -> Iterator[tuple[Token, tuple[int, int]]]:
    """Every token with the lines of the block it belongs to (inline tokens carry no line map of their own)."""
    for token in tokens:
        here = (token.map[0], token.map[1]) if token.map else span
        yield token, here
        if token.children:
            yield from _walk(token.children, here)


class _Locator:
    """Finds where a snippet stands in the source: the line inside its block, and the column."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor: dict[tuple[int, int], tuple[int, int]] = {}

    def find(self, span: tuple[int, int], snippet: str) -> tuple[int, int]:
        start_line, start_col = self.cursor.get(span, (span[0], 0))
        for line in range(start_line, min(max(span[1], span[0] + 1), len(self.lines))):
            found = self.lines[line].find(snippet, start_col if line == start_line else 0) if snippet else -1
            if found >= 0:
                self.cursor[span] = (line, found + len(snippet))
                return line, found + 1
        return span[0], 1


def scan_body(text: str) -> BodyScan:
    """Report raw HTML, unsafe links and too-deep nesting, and collect record links, with their lines."""
    scan = BodyScan()
    locate = _Locator(text.splitlines())
    deepest_reported = False
    for token, span in _walk(make_parser(True).parse(text)):
        if token.level >= MAX_NESTING and not deepest_reported:
            deepest_reported = True
            scan.problems.append(BodyProblem(span[0], 1, f"nesting deeper than {MAX_NESTING} levels",
                                             "flatten the quotes or lists: deeper text would be dropped"))
        if token.type in ("html_block", "html_inline"):
            snippet = token.content.strip().splitlines()[0] if token.content.strip() else token.content
            line, column = locate.find(span, snippet[:20])
            scan.problems.append(BodyProblem(line, column, f"raw HTML is not allowed: {snippet[:40]!r}",
                                             "write it in Markdown; HTML in content is refused"))
        elif token.type in ("link_open", "image"):
            url = str(token.attrGet("href") or token.attrGet("src") or "")
            kind = classify_link(url)
            line, column = locate.find(span, url[:20])
            if kind is None:
                scan.problems.append(BodyProblem(
                    line, column, f"link '{url[:60]}' is not allowed",
                    "link to http(s):// or mailto: addresses, or to records as kind:id (e.g. event:some-id)"))
            elif kind[0] == "record":
                scan.links.append(RecordLink(line, column, kind[1], kind[2]))
    return scan


@lru_cache(maxsize=50_000)
def _parsed(text: str) -> tuple[list[Token], list[Token]]:
    """A body's tokens, parsed once however many pages, feeds and exports show it; and its links, each keeping
    the address as written (rendering rewrites `href` per page)."""
    tokens = make_parser(False).parse(text)
    links = []
    for token, _ in _walk(tokens):
        if token.type == "link_open":
            token.meta["dyad_href"] = str(token.attrGet("href") or "")
            links.append(token)
    return tokens, links


def render_body(text: str, resolve: LinkResolver) -> str:
    """Body Markdown to HTML; `resolve(kind, id)` gives a record link's URL (None leaves it as plain text)."""
    parser = make_parser(False)
    tokens, links = _parsed(text)
    for token in links:
        url = token.meta["dyad_href"]
        kind = classify_link(url)
        if kind and kind[0] == "record":
            target = resolve(kind[1], kind[2])
            token.attrSet("href", target if target is not None else "#")
        elif kind and kind[0] == "web" and link_scheme(url) != "mailto":
            token.attrSet("rel", "noopener")
    return parser.renderer.render(tokens, parser.options, {})
