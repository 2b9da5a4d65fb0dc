"""Text helpers every format shares: ids made from titles, characters no output format may carry, absolute URLs.

Content text is semi-trusted: it may hold control or bidirectional characters (YAML escapes can produce them)
that make XML ill-formed, break iCalendar lines or make text read differently from what it says.
"""

from __future__ import annotations

import re
import unicodedata

from ..load import ID_PATTERN

# C0/C1 controls other than tab, newline and carriage return; lone surrogates; non-characters; bidi controls.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_NOT_ID = re.compile(r"[^a-z0-9]+")


def clean(text: str) -> str:
    """Text without the characters XML 1.0, RFC 5545 and Dyad's loader refuse."""
    return _UNSAFE.sub("", text)


def one_line(text: str) -> str:
    """Clean text with every run of whitespace (newlines included) made one space."""
    return " ".join(clean(text).split())


def slugify(text: str, max_length: int = 60) -> str:
    """An id-shaped slug (`^[a-z0-9]+(-[a-z0-9]+)*$`) of any text, cut at a word boundary; '' if none is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_ID.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length]
        slug = slug.rsplit("-", 1)[0] if "-" in slug else slug
    return slug.strip("-")


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not yet taken; the result is added to `taken`."""
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    assert ID_PATTERN.match(candidate), candidate
    taken.add(candidate)
    return candidate


def absolute(site_url: str, path: str) -> str:
    """A site-relative path made absolute against the site URL; unchanged when there is no site URL."""
    if not site_url:
        return path
    return site_url.rstrip("/") + "/" + path.lstrip("/")
