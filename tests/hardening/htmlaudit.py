"""An HTML auditor for built pages: what a browser would parse, not what the bytes look like.

`audit_page()` lists every construct in a page that could run script: `<script>` elements other than the site's
own (a `src` inside the site, a JSON data block that parses, or one of the theme's inline scripts), event-handler
attributes, URLs with a scheme other than http(s)/mailto, and elements that change how a page loads or runs
(`iframe`, `object`, `embed`, `base`, `meta http-equiv` other than the site's Content-Security-Policy).
`PageText` collects the text a reader sees, per element, with entities decoded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from generator.markdown import link_scheme

SAFE_SCHEMES = ("", "http", "https", "mailto")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background")
DANGEROUS_TAGS = ("iframe", "object", "embed", "base", "frame", "frameset", "applet")
JSON_TYPES = ("application/json", "application/ld+json")
# The only meta http-equiv the site writes itself (generator.render.csp).
ALLOWED_HTTP_EQUIV = ("content-security-policy",)


@dataclass
class Script:
    line: int
    attrs: dict[str, str | None]
    body: str = ""


@dataclass
class Finding:
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[Script] = []
        self.findings: list[Finding] = []
        self._script: Script | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self.tags.append(tag)
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.findings.append(Finding(line, f"<{tag}> repeats an attribute: {names}"))
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(Finding(line, f"<{tag}> has event handler {name}={value!r}"))
            if name in URL_ATTRIBUTES and value is not None:
                for url in (value.split(",") if name == "srcset" else [value]):
                    scheme = link_scheme(url.strip().split(" ")[0] if name == "srcset" else url)
                    if scheme not in SAFE_SCHEMES:
                        self.findings.append(Finding(line, f"<{tag}> {name}={value!r} has scheme {scheme}:"))
            if name == "style" and value and re.search(r"url\s*\(|expression\s*\(", value, re.IGNORECASE):
                self.findings.append(Finding(line, f"<{tag}> style={value!r} loads or runs something"))
        if tag in DANGEROUS_TAGS:
            self.findings.append(Finding(line, f"<{tag}> element"))
        if tag == "meta":
            equiv = dict(attrs).get("http-equiv")
            if equiv is not None and equiv.lower() not in ALLOWED_HTTP_EQUIV:
                self.findings.append(Finding(line, f"<meta http-equiv={equiv!r}>"))
        if tag == "script":
            self._script = Script(line, dict(attrs))
            self.scripts.append(self._script)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.body += data


def parse_page(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def inline_scripts(html: str) -> list[str]:
    """The bodies of a page's inline, executable scripts (no src, not a JSON data block)."""
    return [s.body for s in parse_page(html).scripts if not s.attrs.get("src")
            and (s.attrs.get("type") or "").lower() not in JSON_TYPES]


def _inside_site(url: str, base_path: str) -> bool:
    """A relative URL, or an absolute path below the path the site is published at (404.html uses those)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return False
    return not url.startswith("/") or bool(base_path and url.startswith(base_path))


def audit_page(html: str, known_inline: set[str], base_path: str = "") -> list[str]:
    """Everything in a page that could run script and is not the site's own, as readable findings.

    `known_inline` holds the bodies of the theme's inline scripts; `base_path` is the path the site is published
    under, so absolute script paths below it count as inside the site."""
    page = parse_page(html)
    findings = [str(f) for f in page.findings]
    for script in page.scripts:
        kind = (script.attrs.get("type") or "").lower()
        src = script.attrs.get("src")
        if src is not None:
            if not _inside_site(src, base_path):
                findings.append(f"line {script.line}: <script src={src!r}> loads from outside the site")
            if script.body.strip():
                findings.append(f"line {script.line}: <script src> with a body {script.body[:60]!r}")
        elif kind in JSON_TYPES:
            try:
                json.loads(script.body)
            except ValueError as exc:
                findings.append(f"line {script.line}: <script type={kind}> does not parse as JSON ({exc}): "
                                f"{script.body[:80]!r}")
        elif script.body not in known_inline:
            findings.append(f"line {script.line}: unknown inline script {script.body[:80]!r}")
    return findings


def json_blocks(html: str, kind: str) -> list[object]:
    return [json.loads(s.body) for s in parse_page(html).scripts if (s.attrs.get("type") or "").lower() == kind]


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str | None]
    text: list[str] = field(default_factory=list)


class PageText(HTMLParser):
    """The decoded text inside each element (by tag, class and id), and every attribute value, as a browser
    shows them. `texts(tag)` gives the text of each such element, whitespace collapsed."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Element] = []
        self.done: list[_Element] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None:
                self.attributes.append((tag, name, value))
        if tag in self.VOID:
            return
        self.stack.append(_Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                closed = self.stack[index:]
                del self.stack[index:]
                for element in reversed(closed):
                    self.done.append(element)
                    if self.stack:
                        self.stack[-1].text.extend(element.text)
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack[-1:]:
            element.text.append(data)

    def texts(self, tag: str, css_class: str | None = None) -> list[str]:
        found = [e for e in self.done if e.tag == tag
                 and (css_class is None or css_class in (e.attrs.get("class") or "").split())]
        return [" ".join("".join(e.text).split()) for e in found]

    def attribute_values(self, name: str) -> list[str]:
        return [value for _, attr, value in self.attributes if attr == name]
