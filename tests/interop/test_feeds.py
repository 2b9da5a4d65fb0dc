"""Atom feeds: well-formed for a real feed parser, permanent entry ids, `updated` from the content, the newest
`FEED_ENTRIES` events in each."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import feedparser
import pytest

from generator.corpus import Corpus
from generator.interop.atom import atom_feeds, feed_specs, render_feed
from generator.interop.downloads import FEED_ENTRIES
from generator.model import Event

from .conftest import REPO, SITE, resolved

ATOM = "{http://www.w3.org/2005/Atom}"
EVENT = "title: {title}\ndate: {date}\nsummary: It happened.\ntracks: [trade]\nsources: [{sources}]\n"


def parsed(text: str) -> Any:
    feed = feedparser.parse(text)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize("site_url", [SITE, ""])
def test_every_feed_is_well_formed_atom(mini: Corpus, site_url: str) -> None:
    feeds = atom_feeds(mini, site_url)
    assert {"feed.xml", "tracks/trade/feed.xml", "tracks/diplomacy/feed.xml", "people/ada-north/feed.xml",
            "countries/northland/feed.xml", "organizations/northland-trade-ministry/feed.xml",
            "agreements/port-north-accord/feed.xml", "initiatives/northern-forum/feed.xml"} <= set(feeds)
    for path, text in feeds.items():
        root = ET.fromstring(text.encode("utf-8"))
        assert root.tag == f"{ATOM}feed", path
        for entry in root.iter(f"{ATOM}entry"):  # RFC 4287 4.1.2: id, title and updated in every entry
            assert {child.tag for child in entry} >= {f"{ATOM}id", f"{ATOM}title", f"{ATOM}updated"}
        feed = parsed(text)
        assert feed.feed.id and feed.feed.updated and feed.feed.title
        for entry in feed.entries:
            assert entry.id.startswith(SITE if site_url else "urn:dyad:northland-southland:")


def test_entries_are_the_feeds_events_with_permanent_ids(mini: Corpus) -> None:
    feeds = atom_feeds(mini, SITE)
    everything = parsed(feeds["feed.xml"])
    assert [e.id for e in everything.entries] == [f"{SITE}events/{e.id}/" for e in reversed(mini.events)]
    trade = parsed(feeds["tracks/trade/feed.xml"])
    assert [e.id for e in trade.entries] == [f"{SITE}events/2026-09-trade-talks/",
                                             f"{SITE}events/2025-03-01-port-north-summit/"]
    person = parsed(feeds["people/ada-north/feed.xml"])
    assert [e.id for e in person.entries] == [f"{SITE}events/2025-03-01-port-north-summit/"]
    summit = everything.entries[1]
    assert summit.title == 'Port North summit & "AT&T <Q1>" accord'  # escaped in XML, intact once parsed
    assert summit.link == f"{SITE}events/2025-03-01-port-north-summit/"
    assert [t.term for t in summit.tags] == ["diplomacy", "trade"]
    content = summit.content[0].value  # feedparser sanitizes HTML; the text and the links stay
    assert "<p>The leaders met" in content and '<a href="https://example.org/gazette/summit">' in content


def test_updated_comes_from_the_content_and_moves_with_a_correction(make_content: Any) -> None:
    files = {"events/2024-05-01-a.yaml": EVENT.format(title="A", date="2024-05-01", sources="s1"),
             "events/2025-b.yaml": EVENT.format(title="B", date="2025", sources="s1")}
    first = parsed(atom_feeds(resolved(make_content(files)), SITE)["feed.xml"])
    assert {e.id.rsplit("/", 2)[1]: e.updated for e in first.entries} == {
        "2024-05-01-a": "2024-05-01T00:00:00Z", "2025-b": "2025-01-01T00:00:00Z"}
    assert first.feed.updated == "2025-01-01T00:00:00Z"
    # An editor corrects A against a source read later: only A's entry moves, and keeps its id.
    files["sources/s2.yaml"] = ("title: Correction\npublisher: P\nurl: https://example.org/c\nkind: news\n"
                                "published: 2026-03\naccessed: 2026-04-02\n")
    files["events/2024-05-01-a.yaml"] = EVENT.format(title="A, corrected", date="2024-05-01", sources="s1, s2")
    second = parsed(atom_feeds(resolved(make_content(files)), SITE)["feed.xml"])
    assert {e.id.rsplit("/", 2)[1]: e.updated for e in second.entries} == {
        "2024-05-01-a": "2026-04-02T00:00:00Z", "2025-b": "2025-01-01T00:00:00Z"}
    assert second.feed.updated == "2026-04-02T00:00:00Z"


@pytest.mark.skipif("corrections" not in Event.__dataclass_fields__, reason="the model has no corrections yet")
def test_a_recorded_correction_moves_updated(make_content: Any) -> None:
    corrected = EVENT.format(title="A", date="2024-05-01", sources="s1") + (
        "corrections:\n  - {date: 2026-01-15, wrong: 'It said 4 May.', right: 'It says 1 May.', sources: [s1]}\n")
    feed = parsed(atom_feeds(resolved(make_content({"events/2024-05-01-a.yaml": corrected})), SITE)["feed.xml"])
    assert feed.entries[0].updated == "2026-01-15T00:00:00Z"


def test_hostile_text_stays_text(make_content: Any) -> None:
    # Control characters never get this far: the loader refuses them (tests/hardening).
    title = '"</title><script>alert(1)</script> ]]> &amp;"'
    corpus = resolved(make_content({"events/2024-x.yaml": EVENT.format(title=title, date="2024", sources="s1")}))
    text = atom_feeds(corpus, SITE)["feed.xml"]
    assert "<script>" not in text
    entry = parsed(text).entries[0]
    assert entry.title == "</title><script>alert(1)</script> ]]> &amp;"


def test_feeds_are_byte_identical_from_the_same_content(mini: Corpus) -> None:
    assert atom_feeds(mini, SITE) == atom_feeds(resolved_again(), SITE)


def resolved_again() -> Corpus:
    from .conftest import MINI
    return resolved(MINI)


def test_each_feed_carries_its_newest_entries(make_content: Any) -> None:
    count = FEED_ENTRIES + 10
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(count)]
    files = {f"events/{d.isoformat()}-e.yaml": EVENT.format(title=f"E {i}", date=d.isoformat(), sources="s1")
             for i, d in enumerate(days)}
    first = parsed(atom_feeds(resolved(make_content(files)), SITE)["feed.xml"])
    newest = [f"{SITE}events/{d.isoformat()}-e/" for d in reversed(days)][:FEED_ENTRIES]
    assert [e.id for e in first.entries] == newest
    assert first.feed.updated == f"{days[-1].isoformat()}T00:00:00Z"
    # The oldest event is corrected against a source read later: it is now among the newest (added or corrected),
    # listed by its date, last; the oldest of the others makes room.
    files["sources/s2.yaml"] = ("title: Correction\npublisher: P\nurl: https://example.org/c\nkind: news\n"
                                "accessed: 2026-04-02\n")
    files[f"events/{days[0].isoformat()}-e.yaml"] = EVENT.format(title="E 0", date=days[0].isoformat(),
                                                                 sources="s1, s2")
    feeds = atom_feeds(resolved(make_content(files)), SITE)
    second = parsed(feeds["feed.xml"])
    assert [e.id for e in second.entries] == newest[:-1] + [f"{SITE}events/{days[0].isoformat()}-e/"]
    assert second.feed.updated == "2026-04-02T00:00:00Z"
    assert len(parsed(feeds["tracks/trade/feed.xml"]).entries) == FEED_ENTRIES
    assert len(parsed(feeds["tracks/diplomacy/feed.xml"]).entries) == 0


@pytest.mark.parametrize("site_url", [SITE, ""])
def test_a_feed_is_the_same_alone_as_among_the_others(mini: Corpus, site_url: str) -> None:
    # Entries are written once and reused across feeds; that must not change a byte.
    feeds = atom_feeds(mini, site_url)
    for spec in feed_specs(mini):
        assert render_feed(mini, spec, site_url) == feeds[spec.path], spec.path


def test_the_site_says_how_many_entries_a_feed_carries() -> None:
    said = f"{FEED_ENTRIES} events most recently added or corrected"
    for path in ("templates/data.md.j2", "site_src/methodology.md"):
        assert said in " ".join((REPO / path).read_text(encoding="utf-8").split()), path
