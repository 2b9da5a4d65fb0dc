"""Every internal link and anchor in a built site resolves: MkDocs does not see links inside generated HTML.

Entry point: `check_links(site_dir)`, returning one problem per broken link with the page and line it is on.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SKIPPED_SCHEMES = ("http", "https", "mailto", "data", "javascript")


@dataclass(frozen=True)
class BrokenLink:
    page: str
    line: int
    target: str
    reason: str

    def format(self) -> str:
        return f"{self.page}:{self.line}: broken link '{self.target}': {self.reason}"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if (name == "href" and tag in ("a", "link", "area")) or (name == "src" and tag in ("script", "img")):
                self.links.append((self.getpos()[0], value))


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def _target_file(site: Path, page_dir: str, path: str) -> Path | None:
    joined = posixpath.normpath(posixpath.join(page_dir, unquote(path))) if not path.startswith("/") else None
    if joined is None or joined.startswith(".."):
        return None
    candidate = site / joined
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate


def check_links(site_dir: Path, base_path: str = "/") -> list[BrokenLink]:
    """Broken internal links and anchors in every HTML page under `site_dir`, served at `base_path`.

    Pages link relatively, so the site works at any mount point; only 404.html (served at any URL) may use
    absolute paths, which must then start with `base_path`."""
    pages = {p: _parse(p) for p in sorted(site_dir.rglob("*.html"))}
    problems: list[BrokenLink] = []
    for page, parsed in pages.items():
        rel_page = page.relative_to(site_dir).as_posix()
        page_dir = posixpath.dirname(rel_page)
        for line, link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme in SKIPPED_SCHEMES or parts.netloc:
                continue
            path = parts.path
            if path.startswith("/"):
                if rel_page != "404.html" or not path.startswith(base_path):
                    problems.append(BrokenLink(rel_page, line, link, "absolute path: breaks under a sub-path"))
                    continue
                path = path[len(base_path):] or "."
                target = _target_file(site_dir, "", path)
            else:
                target = page if not path else _target_file(site_dir, page_dir, path)
            if target is None or not target.is_file():
                problems.append(BrokenLink(rel_page, line, link, "no such page or file"))
                continue
            if parts.fragment and target.suffix == ".html":
                target_parsed = pages.get(target) or _parse(target)
                if unquote(parts.fragment) not in target_parsed.ids:
                    problems.append(BrokenLink(rel_page, line, link, f"no anchor '#{parts.fragment}' there"))
    return problems


def reachable_pages(site_dir: Path, start: str = "index.html") -> set[str]:
    """Every HTML page a reader can reach by following links from `start` (site-relative paths)."""
    seen: set[str] = set()
    queue = [start]
    while queue:
        page = queue.pop()
        if page in seen or not (site_dir / page).is_file():
            continue
        seen.add(page)
        for _, link in _parse(site_dir / page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
            if target.endswith("/") or "." not in posixpath.basename(target):
                target = posixpath.join(target, "index.html")
            if target.endswith(".html"):
                queue.append(target)
    return seen
