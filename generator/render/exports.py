"""Files the site publishes beside its pages (downloads, feeds, calendars), keyed by their path in the site."""

from __future__ import annotations

from ..corpus import Corpus


def export_files(corpus: Corpus, site_url: str) -> dict[str, str]:
    """Every export file: site-relative path (e.g. `data/dyad.json`) → text. Empty until the data issue."""
    return {}
