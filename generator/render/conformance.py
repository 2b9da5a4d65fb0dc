"""Repairs to theme markup so every published page passes the W3C Nu HTML checker.

Material for MkDocs writes `autocomplete` on checkboxes, the non-standard `autocorrect`, and labels `for`
controls a page does not have (the table of contents' label on a page outside the navigation). The fixes are
exact and small, and touch only the theme's own markup: the header, search form and sidebars before the page's
`<article class="md-content__inner…">` and the footer after its last `</article>`. Content never passes through
here, and a page without that article (another theme) is repaired whole. Entry point: `repair_theme_markup()`.
"""

from __future__ import annotations

import re

_CHECKBOX = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="[^"]*"', re.IGNORECASE)
_AUTOCORRECT = re.compile(r'(<input\b[^>]*?)\s+autocorrect="[^"]*"', re.IGNORECASE)
_LABEL_FOR = re.compile(r'(<label\b[^>]*?)\s+for="([^"]*)"', re.IGNORECASE)
# Every `<input` and `<label` tag in any case (and a few non-tags such as `<ibpel`): a quick scan for the places the
# exact patterns above may match, since each of their matches lies within one such tag.
_TAG = re.compile(r"<[iIlL][nNaA][pPbB][uUeE][tTlL]\b[^>]*")
CONTENT_START = '<article class="md-content__inner'
CONTENT_END = "</article>"


def repair_theme_markup(html: str) -> str:
    start = html.find(CONTENT_START)
    end = html.rfind(CONTENT_END)
    if start == -1 or end < start:
        return _repair(html, html)
    return _repair(html[:start], html) + html[start:end] + _repair(html[end:], html)


def _repair(part: str, page: str) -> str:
    """`part` of `page` repaired, tag by tag; a label keeps its `for` when the control it names is in the page.
    (`part` starts where a tag does, so an `id` at its start is one in the page too.)"""
    def label(match: re.Match[str]) -> str:
        value = match.group(2)  # the control is most often beside its label: look in `part` first
        return match.group(0) if _has_id(part, value) or _has_id(page, value) else match.group(1)

    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        lower = text.lower()  # each pattern needs its attribute's name, which holds no letter with odd case rules
        if "autocomplete" in lower:
            text = _CHECKBOX.sub(r"\1", text)
        if "autocorrect" in lower:
            text = _AUTOCORRECT.sub(r"\1", text)
        if "for" in lower:
            text = _LABEL_FOR.sub(label, text)
        return text

    return _TAG.sub(tag, part)


def _has_id(page: str, value: str) -> bool:
    """Whether `page` has an `id="value"` attribute: after a non-word character or at the start, where the regular
    expression `\\bid="([^"]*)"` would find it, but by plain string search rather than a scan of every position."""
    needle = f'id="{value}"'
    at = page.find(needle)
    while at != -1:
        if at == 0 or not (page[at - 1].isalnum() or page[at - 1] == "_"):
            return True
        at = page.find(needle, at + 1)
    return False
