"""Repairs to theme markup so every published page passes the W3C Nu HTML checker.

Material for MkDocs writes `autocomplete` on checkboxes, the non-standard `autocorrect`, and labels `for`
controls a page does not have. The fixes are exact and small; content never passes through here. Entry point:
`repair_theme_markup()`.
"""

from __future__ import annotations

import re

_CHECKBOX = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="[^"]*"', re.IGNORECASE)
_AUTOCORRECT = re.compile(r'(<input\b[^>]*?)\s+autocorrect="[^"]*"', re.IGNORECASE)
_LABEL_FOR = re.compile(r'(<label\b[^>]*?)\s+for="([^"]*)"', re.IGNORECASE)
_ID = re.compile(r'\bid="([^"]*)"')


def repair_theme_markup(html: str) -> str:
    html = _CHECKBOX.sub(r"\1", html)
    html = _AUTOCORRECT.sub(r"\1", html)
    ids = set(_ID.findall(html))
    return _LABEL_FOR.sub(lambda m: m.group(0) if m.group(2) in ids else m.group(1), html)
