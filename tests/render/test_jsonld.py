"""JSON-LD in page heads: valid JSON with schema.org types on event, entity and data pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from generator.build import prepare_site
from generator.interop.downloads import downloads

MINI = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mini" / "content"
SITE = "https://example.org/site/"
SCHEMA_ORG_TYPES = {"Event", "Place", "Person", "Country", "GovernmentOrganization", "Organization", "Legislation",
                    "Project", "Dataset", "DataDownload"}
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

EXTRA = {
    "people/hostile.yaml": 'name: "</script><script>alert(1)</script>"\nwikidata: Q42\n'
                           "aliases: [H]\nsources: [s1]\ncountry: india\n",
    "organizations/ministry.yaml": "name: A ministry\ntype: ministry\ncountry: india\nsources: [s1]\n"
                                   "url: https://example.gov/\nwikidata: Q1\n",
    "organizations/company.yaml": "name: A company\ntype: company\nsources: [s1]\n",
    "agreements/pact.yaml": "name: Pact\nsigned: 2020\nparties: [india, united-states, company]\nsources: [s1]\n",
    "initiatives/forum.yaml": "name: Forum\nlaunched: 2019\nmembers: [india, ministry]\nsources: [s1]\n",
    "events/2020-meeting.yaml": "title: Meeting\ndate: 2020\nsummary: They met.\ntracks: [diplomacy]\n"
                                "actors: [hostile, ministry]\nabout: [pact, forum]\nsources: [s1]\n",
}


def blocks(head: str) -> list[dict[str, Any]]:
    return [json.loads(text) for text in BLOCK.findall(head)]


def types(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "@type" in node:
            yield node["@type"]
        for value in node.values():
            yield from types(value)
    elif isinstance(node, list):
        for item in node:
            yield from types(item)


@pytest.fixture(scope="module")
def heads() -> dict[str, str]:
    site = prepare_site(MINI, site_url=SITE)
    assert site.ok
    return {page.src_uri: page.head for page in site.pages}


@pytest.fixture
def extra_heads(make_content: Any) -> dict[str, str]:
    site = prepare_site(make_content(EXTRA), site_url=SITE)
    assert site.ok, site.diagnostics.report(site.files)
    return {page.src_uri: page.head for page in site.pages}


def test_every_block_is_json_with_schema_org_types(heads: dict[str, str], extra_heads: dict[str, str]) -> None:
    seen = 0
    for all_heads in (heads, extra_heads):
        for src, head in all_heads.items():
            assert head.count('type="application/ld+json"') == len(blocks(head)), src
            for block in blocks(head):
                seen += 1
                assert block["@context"] == "https://schema.org", src
                assert set(types(block)) <= SCHEMA_ORG_TYPES, (src, set(types(block)))
    assert seen >= 12


def test_pages_carry_the_type_of_what_they_show(heads: dict[str, str]) -> None:
    def kind(src: str) -> str:
        [block] = blocks(heads[src])
        return str(block["@type"])

    assert kind("events/2025-03-01-port-north-summit.md") == "Event"
    assert kind("people/ada-north.md") == "Person"
    assert kind("organizations/northland-trade-ministry.md") == "GovernmentOrganization"
    assert kind("countries/northland.md") == "Country"
    assert kind("agreements/port-north-accord.md") == "Legislation"
    assert kind("initiatives/northern-forum.md") == "Project"
    assert kind("data/index.md") == "Dataset"


def test_entities_say_same_as_and_their_relations(extra_heads: dict[str, str]) -> None:
    [person] = blocks(extra_heads["people/hostile.md"])
    assert person["name"] == "</script><script>alert(1)</script>"  # escaped in the page, intact once parsed
    assert "</script><script>" not in extra_heads["people/hostile.md"].split("ld+json")[1].split("</script>\n")[0]
    assert person["sameAs"] == ["https://www.wikidata.org/wiki/Q42"] and person["alternateName"] == ["H"]
    assert person["nationality"] == {"@type": "Country", "name": "India"}
    [ministry] = blocks(extra_heads["organizations/ministry.md"])
    assert ministry["@type"] == "GovernmentOrganization"
    assert ministry["sameAs"] == ["https://www.wikidata.org/wiki/Q1", "https://example.gov/"]
    [company] = blocks(extra_heads["organizations/company.md"])
    assert company["@type"] == "Organization" and "sameAs" not in company
    [pact] = blocks(extra_heads["agreements/pact.md"])
    assert pact["legislationJurisdiction"] == [{"@type": "Country", "name": "India"},
                                               {"@type": "Country", "name": "United States"}]
    assert pact["legislationPassedBy"] == [{"@type": "Organization", "name": "A company"}]
    [forum] = blocks(extra_heads["initiatives/forum.md"])
    assert forum["member"] == [{"@type": "GovernmentOrganization", "name": "A ministry"}]
    assert forum["foundingDate"] == "2019"


def test_the_dataset_lists_every_download(heads: dict[str, str]) -> None:
    [dataset] = blocks(heads["data/index.md"])
    site = prepare_site(MINI, site_url=SITE)
    assert site.renderer is not None
    expected = {SITE + d.path for d in downloads(site.renderer.corpus)}
    assert {d["contentUrl"] for d in dataset["distribution"]} == expected
    assert set(site.exports) >= {d.path for d in downloads(site.renderer.corpus)}
    assert dataset["temporalCoverage"] == "2024/2026-09" and dataset["dateModified"] == "2026-06-30"
    assert dataset["spatialCoverage"] == ["Northland", "Southland"]
