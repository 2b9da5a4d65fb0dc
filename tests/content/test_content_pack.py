"""The India–US fact pack keeps its minimums and its sourcing rules, so it cannot quietly shrink or lose sources."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.corpus import Corpus
from generator.model import (Agreement, Commitment, Country, Event, Initiative, Organization, Person, Series,
                             Source)
from generator.pipeline import check

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
WIRES = {"PTI", "ANI", "IANS", "Reuters", "AP", "AFP", "dpa-AFX", "Xinhua", "Jiji Press", "KNN", "UNI"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    result = check(CONTENT)
    assert result.corpus is not None, result.diagnostics.report(result.files)
    return result.corpus


def test_the_pack_checks_clean_with_no_warnings() -> None:
    result = check(CONTENT)
    assert result.diagnostics.items == [], result.diagnostics.report(result.files)


def test_at_least_80_events_from_2000_to_today_on_every_track(corpus: Corpus) -> None:
    events = corpus.events
    assert len(events) >= 80
    assert events[0].date.year <= 2000 and events[-1].date.year >= 2026
    per_track = Counter(track for event in events for track in event.tracks)
    assert set(per_track) == set(corpus.tracks), "every declared track has events"
    assert min(per_track.values()) >= 3


def test_at_least_40_entities_with_dated_roles_for_people(corpus: Corpus) -> None:
    entities = [r for cls in (Person, Country, Organization, Agreement, Initiative) for r in corpus.of_kind(cls)]
    assert len(entities) >= 40
    people = corpus.of_kind(Person)
    assert sum(1 for p in people if p.roles) >= 30, "people carry their offices"
    assert sum(1 for p in people if any(role.start for role in p.roles)) >= 10, "with dates where sources give them"
    agreements = corpus.of_kind(Agreement)
    dated = [a for a in agreements if a.signed or a.in_force]
    assert len(dated) >= 0.8 * len(agreements), "agreements carry their dates (an unsigned one cannot)"


def origin(source: Source) -> str:
    """Two copies of one wire story are one source: a wire's stories count by the wire, others by publisher."""
    return source.author if source.author in WIRES else source.publisher


def test_headline_events_cite_two_independent_sources(corpus: Corpus) -> None:
    thin = []
    for event in corpus.events:
        if event.importance == 3:
            origins = {origin(s) for c in event.sources if isinstance(s := corpus.get(c.id), Source)}
            if len(origins) < 2:
                thin.append(event.id)
    assert thin == []


def test_every_fact_and_every_series_point_cites_a_source(corpus: Corpus) -> None:
    for record in corpus.records.values():
        if isinstance(record, (Event, Person, Organization, Agreement, Initiative, Commitment)):
            assert record.sources, record.id
    for series in corpus.of_kind(Series):
        for point in corpus.series_points[series.id]:
            assert point.sources and all(isinstance(corpus.get(c.id), Source) for c in point.sources)


def test_trade_series_cover_2010_to_2025_with_a_derived_balance(corpus: Corpus) -> None:
    exports = corpus.get("us-goods-exports-to-india")
    imports = corpus.get("us-goods-imports-from-india")
    balance = corpus.get("us-goods-balance-with-india")
    assert isinstance(exports, Series) and isinstance(imports, Series) and isinstance(balance, Series)
    assert balance.derived is not None and not balance.points, "the balance is computed, never typed in"
    years = {p.period.year for p in corpus.series_points[imports.id]}
    assert min(years) == 2010 and max(years) >= 2024
    first = corpus.series_points[balance.id][0]
    assert first.period.year == 2010 and first.value == exports.points[0].value - imports.points[0].value


def test_tariff_rate_is_a_series_of_dated_steps_in_2025_and_2026(corpus: Corpus) -> None:
    tariffs = [s for s in corpus.of_kind(Series) if s.flow == "rate" and s.frequency == "irregular"]
    assert tariffs
    periods = {p.period.year for s in tariffs for p in s.points}
    assert {2025, 2026} <= periods
    assert all(p.period.precision == "day" and p.legal_basis for s in tariffs for p in s.points)


def test_at_least_12_commitments_with_dated_sourced_histories(corpus: Corpus) -> None:
    commitments = corpus.of_kind(Commitment)
    assert len(commitments) >= 12
    assert all(entry.sources for c in commitments for entry in c.status)
    assert sum(1 for c in commitments if len(c.status) >= 2) >= 6


def test_trade_figures_cite_the_original_publisher_and_say_when_read_from_a_copy(corpus: Corpus) -> None:
    census = [s for s in corpus.of_kind(Source) if "Census" in s.publisher]
    assert census, "US goods trade cites the US Census Bureau"
    assert all(s.copy_url and s.note for s in census if s.copy_url), "a copy is named and explained"


def test_the_corpus_declares_its_as_of_date(corpus: Corpus) -> None:
    assert corpus.config.as_of.precision == "day"


def test_the_seed_report_errors_are_not_repeated(corpus: Corpus) -> None:
    text = " ".join(str(getattr(r, f, "") or "") for r in corpus.records.values()
                    for f in ("title", "summary", "description", "body", "name")).lower()
    assert "ge fighter jets" not in text
    assert "$190 billion in 2025" not in text and "190 billion in 2025" not in text
    trust = corpus.get("trust-initiative") or next((i for i in corpus.of_kind(Initiative) if "TRUST" in i.name), None)
    assert trust is not None, "iCET's successor TRUST is in the record"
