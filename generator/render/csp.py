"""Content-Security-Policy for published pages: only the site's own scripts run.

Themes put a few small inline scripts in every page (Material: its scope, palette and tab helpers), and they differ
by page depth; instant navigation swaps pages without reloading, so one policy must admit every page's inline
scripts. The policy lists their SHA-256 hashes, site-wide, and nothing else inline. Entry points:
`inline_script_hashes()` and `insert_policy()`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Iterable

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
META_MARK = 'http-equiv="Content-Security-Policy"'
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


def inline_script_hashes(html: str) -> set[str]:
    """`'sha256-…'` sources for every inline script a browser would run (not JSON data blocks)."""
    hashes = set()
    for match in _SCRIPT.finditer(html):
        attrs = match.group("attrs")
        kind = _TYPE.search(attrs)
        if _SRC.search(attrs) or (kind and kind.group(1).lower() not in EXECUTABLE):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return hashes


def policy(hashes: Iterable[str]) -> str:
    scripts = " ".join(["'self'", *sorted(hashes)])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:", "font-src 'self' data:", "connect-src 'self'", "worker-src 'self' blob:",
        "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    ])


def insert_policy(html: str, content: str) -> str:
    """Put the policy first in <head>, before any script it governs."""
    if META_MARK in html:
        return html
    meta = f'<meta {META_MARK} content="{content}">'
    match = _HEAD.search(html)
    if match is None:
        return meta + html
    return html[: match.end()] + meta + html[match.end():]
