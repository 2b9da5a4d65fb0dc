"""Markdown bodies: one markdown-it-py set-up for checking and rendering what editors write.

Bodies are semi-trusted (they arrive by pull request), so raw HTML, unsafe link schemes and nesting deep enough
for the parser to drop text are all reported at their line in the file; rendering escapes HTML and neutralises
any link the checker would refuse. Entry points: `scan_body()` and `render_body()`.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from html import escape
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


_SCANNED: OrderedDict[str, BodyScan] = OrderedDict()


def scan_body(text: str) -> BodyScan:
    """Report raw HTML, unsafe links and too-deep nesting, and collect record links, with their lines.

    Results are kept by text, so a rebuild under `dyad serve` parses only the bodies that changed."""
    found = _SCANNED.get(text)
    if found is not None:
        return found
    scan = _scan(text)
    _SCANNED[text] = scan
    while len(_SCANNED) > RENDERED_CACHE_SIZE:
        _SCANNED.popitem(last=False)
    return scan


def _scan(text: str) -> BodyScan:
    scan = BodyScan()
    locate = _Locator(text.splitlines())
    deepest_reported = False
    parser = make_parser(True)
    tokens = parser.parse(text)
    for token, span in _walk(tokens):
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
    if not scan.problems:  # parsed once: the rendering reuses these tokens
        _remember(text, _to_template(tokens, parser))
    return scan


_RECORD_HREF = re.compile(r'href="dyad-record:([a-z]+):([a-z0-9]+(?:-[a-z0-9]+)*)"')
_RENDERED: OrderedDict[str, str] = OrderedDict()
RENDERED_CACHE_SIZE = 20_000  # bodies' HTML kept for the pages, feeds and exports that show them again


def _remember(text: str, html: str) -> None:
    _RENDERED[text] = html
    _RENDERED.move_to_end(text)
    while len(_RENDERED) > RENDERED_CACHE_SIZE:
        _RENDERED.popitem(last=False)


def _to_template(tokens: list[Token], parser: MarkdownIt) -> str:
    """Render tokens with each record link as a `dyad-record:kind:id` placeholder, filled in per page."""
    for token, _ in _walk(tokens):
        if token.type == "link_open":
            url = str(token.attrGet("href") or "")
            kind = classify_link(url)
            if kind and kind[0] == "record":
                token.attrSet("href", f"dyad-record:{kind[1]}:{kind[2]}")
            elif kind and kind[0] == "web" and link_scheme(url) != "mailto":
                token.attrSet("rel", "noopener")
    return str(parser.renderer.render(tokens, parser.options, {}))


def render_body(text: str, resolve: LinkResolver) -> str:
    """Body Markdown to HTML; `resolve(kind, id)` gives a record link's URL (None leaves the link inert).

    A body `scan_body` found clean is rendered from the tokens it already parsed (without raw HTML or refused
    links the two parsers read it alike); any other text is parsed here with HTML off and unsafe links refused."""
    html = _RENDERED.get(text)
    if html is None:
        parser = make_parser(False)
        html = _to_template(parser.parse(text), parser)
        _remember(text, html)

    def fill(match: re.Match[str]) -> str:
        target = resolve(match.group(1), match.group(2))
        return f'href="{escape(target, quote=True)}"' if target is not None else 'href="#"'

    return _RECORD_HREF.sub(fill, html)
