"""schema.org JSON-LD for page heads: `Event` on event pages, a type per entity kind on entity pages, `Dataset`
with its downloads on the data page.

Entity types: a person is a `Person`; an organization is a `GovernmentOrganization` when it is part of a state
(government, ministry, agency, legislature, court, military) and an `Organization` otherwise; a country is a
`Country`; an agreement, a legal instrument, is `Legislation` (legislationType "agreement"; party countries as
its jurisdictions); an initiative is a `Project` (schema.org's "enterprise planned to achieve a particular aim",
a kind of Organization; member countries as the area it serves). An entity that
records a Wikidata id, or an organization with an official website, says so in `sameAs`. The page puts the dict
into <head> with `json_for_script`, which escapes it for a <script> element.
"""

from __future__ import annotations

from typing import Any

from ..corpus import Corpus
from ..interop.downloads import downloads
from ..interop.textutil import absolute
from ..model import Agreement, Country, Entity, Event, Initiative, Organization, Person, Source

EVENT_STATUS = {"occurred": "https://schema.org/EventScheduled", "scheduled": "https://schema.org/EventScheduled",
                "cancelled": "https://schema.org/EventCancelled"}
GOVERNMENT_TYPES = ("government", "ministry", "agency", "legislature", "court", "military")
WIKIDATA = "https://www.wikidata.org/wiki/"


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


def schema_type(entity: Entity) -> str:
    """The schema.org type of an entity (see the module's docstring)."""
    if isinstance(entity, Person):
        return "Person"
    if isinstance(entity, Organization):
        return "GovernmentOrganization" if entity.type in GOVERNMENT_TYPES else "Organization"
    if isinstance(entity, Country):
        return "Country"
    if isinstance(entity, Agreement):
        return "Legislation"
    if isinstance(entity, Initiative):
        return "Project"
    return "Thing"  # pragma: no cover - every entity kind is listed above


def _reference(corpus: Corpus, record_id: str) -> dict[str, Any] | None:
    """A short node for a related entity: its type and name."""
    found = corpus.get(record_id)
    if isinstance(found, Entity):
        return {"@type": schema_type(found), "name": found.name}
    return None


def _split_parties(corpus: Corpus, ids: tuple[str, ...], places: str, bodies: str) -> dict[str, Any]:
    """Countries and organizations under the properties whose expected types they fit: schema.org has a country
    as a place (an AdministrativeArea), never as an Organization."""
    out: dict[str, Any] = {}
    for record_id in ids:
        node = _reference(corpus, record_id)
        if node is not None:
            out.setdefault(places if node["@type"] == "Country" else bodies, []).append(node)
    return out


def _kind_fields(corpus: Corpus, entity: Entity) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(entity, Person):
        titles = list(dict.fromkeys(role.title for role in entity.roles if role.end is None))
        if titles:
            out["jobTitle"] = titles if len(titles) > 1 else titles[0]
        nationality = _reference(corpus, entity.country) if entity.country else None
        if nationality:
            out["nationality"] = nationality
    elif isinstance(entity, Organization):
        parent = _reference(corpus, entity.parent) if entity.parent else None
        if parent:
            out["parentOrganization"] = parent
        country = _reference(corpus, entity.country) if entity.country else None
        if country:
            out["location"] = country
    elif isinstance(entity, Country) and entity.iso:
        out["identifier"] = entity.iso
    elif isinstance(entity, Agreement):
        out["legislationType"] = "agreement"
        if entity.signed:
            out["legislationDate"] = entity.signed.iso
        out.update(_split_parties(corpus, entity.parties, "legislationJurisdiction", "legislationPassedBy"))
    elif isinstance(entity, Initiative):
        if entity.launched:
            out["foundingDate"] = entity.launched.iso
        if entity.ended:
            out["dissolutionDate"] = entity.ended.iso
        out.update(_split_parties(corpus, entity.members, "areaServed", "member"))
    return out


def entity_jsonld(corpus: Corpus, entity: Entity, absolute_url: str) -> dict[str, Any] | None:
    """JSON-LD for an entity page: its schema.org type, names, description, related entities and `sameAs`."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": schema_type(entity), "name": entity.name}
    if entity.aliases:
        data["alternateName"] = list(entity.aliases)
    if entity.description:
        data["description"] = entity.description
    if absolute_url:
        data["url"] = absolute_url
    data.update(_kind_fields(corpus, entity))
    same_as = [WIKIDATA + entity.wikidata] if entity.wikidata else []
    if isinstance(entity, Organization) and entity.url:
        same_as.append(entity.url)
    if same_as:
        data["sameAs"] = same_as
    return data


def dataset_jsonld(corpus: Corpus, absolute_url: str) -> dict[str, Any] | None:
    """JSON-LD `Dataset` for the data page, with a `DataDownload` for every published file."""
    config = corpus.config
    site_url = absolute_url[: -len("data/")] if absolute_url.endswith("data/") else ""
    events = corpus.events
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Dataset", "name": f"{config.title}: data",
        "description": config.description or f"The sourced record of {config.title}: events, people, "
                                              "organizations, agreements, commitments and trade series.",
        "dateModified": config.as_of.iso,
        "isAccessibleForFree": True,
        "keywords": [track.title for track in config.tracks],
        "spatialCoverage": [c["name"] for c in (_reference(corpus, i) for i in config.focus) if c],
    }
    if events:
        data["temporalCoverage"] = f"{events[0].date.iso}/{max(e.span_end.iso for e in events)}"
    if absolute_url:
        data["url"] = absolute_url
    data["distribution"] = [{"@type": "DataDownload", "name": d.name, "description": d.description,
                             "encodingFormat": d.media_type, "contentUrl": absolute(site_url, d.path)}
                            for d in downloads(corpus)]
    return data
