"""schema.org JSON-LD for pages: `Event` on event pages (more kinds arrive with the data issue)."""

from __future__ import annotations

from typing import Any

from ..corpus import Corpus
from ..model import Entity, Event, Source

EVENT_STATUS = {"occurred": "https://schema.org/EventScheduled", "scheduled": "https://schema.org/EventScheduled",
                "cancelled": "https://schema.org/EventCancelled"}


def event_jsonld(corpus: Corpus, event: Event, absolute_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title, "description": event.summary,
        "startDate": event.date.iso, "eventStatus": EVENT_STATUS[event.status],
    }
    if event.end:
        data["endDate"] = event.end.iso
    if event.location:
        data["location"] = {"@type": "Place", "name": event.location}
    if absolute_url:
        data["url"] = absolute_url
    sources = [corpus.get(c.id) for c in event.sources]
    data["citation"] = [s.url for s in sources if isinstance(s, Source)]
    return data


def entity_jsonld(corpus: Corpus, entity: Entity, absolute_url: str) -> dict[str, Any] | None:
    """JSON-LD for an entity page; None until the data issue defines it."""
    return None


def dataset_jsonld(corpus: Corpus, absolute_url: str) -> dict[str, Any] | None:
    """JSON-LD `Dataset` for the data page; None until the data issue defines it."""
    return None
