"""Stage 3, resolve: ids, references, tracks, dates against as_of, backlinks and derived series."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.corpus import Backlink, Corpus
from generator.model import Event, PartialDate, Series
from generator.pipeline import CheckResult

from ._helpers import VALID_EVENT, lines_about, md, report_lines

S2 = "title: Second\npublisher: P\nurl: https://example.org/s2\nkind: dataset\n"


def event(date: str = "2026-02-03", extra: str = "") -> str:
    return VALID_EVENT.replace("2026-02-03", date) + extra


def series(points: list[tuple[str, str, str]], extra: str = "", unit: str = "USD bn",
           frequency: str = "year") -> str:
    lines = [f"title: A series\nunit: {unit}\nfrequency: {frequency}\n{extra}points:\n"]
    lines += [f"  - {{period: {period}, value: {value}, source: {source}}}\n" for period, value, source in points]
    return "".join(lines)


def corpus_of(result: CheckResult) -> Corpus:
    assert result.ok, report_lines(result)
    assert result.corpus is not None
    return result.corpus


# ---------------------------------------------------------------------------------------------------- backlinks


def test_backlinks_record_who_refers_to_a_record_and_in_which_field(make_content, run_check) -> None:
    make_content({
        "events/meeting.yaml": event(extra="actors: [{id: india, role: host}]\n"),
        "events/follow-up.md": md(event("2026-03-01", "related: [meeting]\n"), "After [it](event:meeting).\n"),
    })
    corpus = corpus_of(run_check())
    assert sorted(corpus.backlinks["meeting"], key=lambda b: b.field) == [
        Backlink("follow-up", "body"), Backlink("follow-up", "related")]
    assert Backlink("meeting", "actors") in corpus.backlinks["india"]
    assert {Backlink("meeting", "sources"), Backlink("follow-up", "sources"),
            Backlink("india", "sources")} <= set(corpus.backlinks["s1"])


def test_referrers_are_unique_and_list_events_first_by_date(make_content, run_check) -> None:
    make_content({
        "events/later.yaml": event("2026-05-01", "actors: [india]\nrelated: [earlier]\n"),
        "events/earlier.yaml": event("2025-01-01", "actors: [india]\n"),
        "people/someone.yaml": "name: Someone\ncountry: india\nsources: [s1]\n",
    })
    corpus = corpus_of(run_check())
    assert [r.id for r in corpus.referrers("india")] == ["earlier", "later", "someone"]
    assert [r.id for r in corpus.referrers("earlier")] == ["later"]


def test_events_are_ordered_by_date_then_id(make_content, run_check) -> None:
    make_content({"events/b.yaml": event("2026-01"), "events/a.yaml": event("2026-01"),
                  "events/c.yaml": event("2025-12-31"), "events/d.yaml": event("2026")})
    assert [e.id for e in corpus_of(run_check()).events] == ["c", "d", "a", "b"]


# ---------------------------------------------------------------------------------------------------- derived series


def test_derived_difference_is_exact_decimal_and_cites_both_operands(make_content, run_check) -> None:
    make_content({
        "sources/s2.yaml": S2,
        "series/exports.yaml": series([("2010", "19.249", "s1"), ("2011", "21.542", "s1"), ("2012", "0.1", "s1")]),
        "series/imports.yaml": series([("2011", "36.154", "s2"), ("2010", "29.533", "s2"), ("2012", "0.3", "s2"),
                                       ("2013", "5", "s2")]),
        "series/balance.yaml": "title: Balance\nunit: USD bn\nfrequency: year\nflow: balance\n"
                               "derived: {op: difference, of: [exports, imports]}\n",
    })
    points = corpus_of(run_check()).series_points["balance"]
    assert [(p.period.iso, p.value) for p in points] == [
        ("2010", Decimal("-10.284")), ("2011", Decimal("-14.612")), ("2012", Decimal("-0.2"))]
    assert all(type(p.value) is Decimal for p in points)
    assert [tuple(c.id for c in p.sources) for p in points] == [("s1", "s2")] * 3


def test_derived_sum_adds_every_operand_and_cites_each_source(make_content, run_check) -> None:
    make_content({
        "sources/s2.yaml": S2,
        "sources/s3.yaml": S2.replace("/s2", "/s3"),
        "series/a.yaml": series([("2020", "0.1", "s1")]),
        "series/b.yaml": series([("2020", "0.2", "s2")]),
        "series/c.yaml": series([("2020", "0.3", "s3")]),
        "series/total.yaml": "title: Total\nunit: USD bn\nfrequency: year\nderived: {op: sum, of: [a, b, c]}\n",
    })
    [point] = corpus_of(run_check()).series_points["total"]
    assert point.value == Decimal("0.6") and str(point.value) == "0.6"
    assert [c.id for c in point.sources] == ["s1", "s2", "s3"]


def test_derived_point_cites_a_shared_source_once(make_content, run_check) -> None:
    make_content({
        "series/a.yaml": series([("2020", "5", "s1")]),
        "series/b.yaml": series([("2020", "3", "s1")]),
        "series/d.yaml": "title: D\nunit: USD bn\nfrequency: year\nderived: {op: difference, of: [a, b]}\n",
    })
    [point] = corpus_of(run_check()).series_points["d"]
    assert (point.value, [c.id for c in point.sources]) == (Decimal(2), ["s1"])


def test_derived_point_keeps_each_operands_locator_in_a_shared_source(make_content, run_check) -> None:
    make_content({
        "series/a.yaml": "title: A\nunit: USD bn\nfrequency: year\npoints:\n"
                         "  - {period: 2020, value: 5, source: {id: s1, locator: exports table}}\n",
        "series/b.yaml": "title: B\nunit: USD bn\nfrequency: year\npoints:\n"
                         "  - {period: 2020, value: 3, source: {id: s1, locator: imports table}}\n",
        "series/d.yaml": "title: D\nunit: USD bn\nfrequency: year\nderived: {op: difference, of: [a, b]}\n",
    })
    [point] = corpus_of(run_check()).series_points["d"]
    assert [(c.id, c.locator) for c in point.sources] == [("s1", "exports table"), ("s1", "imports table")]


def test_own_points_are_sorted_by_period_and_cite_their_source(make_content, run_check) -> None:
    make_content({"series/x.yaml": series([("2012", "3", "s1"), ("2010", "1", "s1"), ("2011", "2", "s1")])})
    points = corpus_of(run_check()).series_points["x"]
    assert [(p.period.iso, p.value, p.sources[0].id) for p in points] == [
        ("2010", Decimal(1), "s1"), ("2011", Decimal(2), "s1"), ("2012", Decimal(3), "s1")]


def test_deriving_from_a_derived_series_or_an_unlike_series_is_an_error(make_content, run_check) -> None:
    make_content({
        "series/a.yaml": series([("2020", "1", "s1")]),
        "series/b.yaml": series([("2020", "1", "s1")], unit="percent"),
        "series/d.yaml": "title: D\nunit: USD bn\nfrequency: year\nderived: {op: sum, of: [a, a]}\n",
        "series/e.yaml": "title: E\nunit: USD bn\nfrequency: year\nderived: {op: sum, of: [d, a]}\n",
        "series/f.yaml": "title: F\nunit: USD bn\nfrequency: year\nderived: {op: sum, of: [a, b]}\n",
        "series/g.yaml": "title: G\nunit: USD bn\nfrequency: year\nderived: {op: sum, of: [a, g]}\n",
    })
    result = run_check()
    assert lines_about(result, "content/series/e.yaml") == [
        "content/series/e.yaml:4:25: error: derived.of[0]: 'd' is itself derived (derive from series with points)"]
    assert lines_about(result, "content/series/f.yaml") == [
        "content/series/f.yaml:4:28: error: derived.of[1]: 'b' is in percent by year, this series in USD bn by "
        "year (derive only from like series)"]
    assert lines_about(result, "content/series/g.yaml")[0] == (
        "content/series/g.yaml:4:24: error: derived.of: a series cannot be derived from itself")


def test_series_without_points_or_derived_is_an_error(make_content, run_check) -> None:
    make_content({"series/x.yaml": "title: X\nunit: USD bn\nfrequency: year\n"})
    assert lines_about(run_check(), "content/series/x.yaml") == [
        "content/series/x.yaml:1:1: error: points: a series needs points or 'derived' "
        "(add points, each with period, value and source)"]


def test_irregular_series_takes_days_and_duplicate_periods_are_errors(make_content, run_check) -> None:
    make_content({"series/x.yaml": series([("2025-08-27", "50", "s1"), ("2025-08-27", "25", "s1")],
                                          unit="percent", frequency="irregular")})
    assert lines_about(run_check(), "content/series/x.yaml") == [
        "content/series/x.yaml:6:14: error: points[1].period: period 2025-08-27 appears twice "
        "(first as point 0; keep one)"]


# ---------------------------------------------------------------------------------------------------- dates


def test_scheduled_event_after_as_of_is_allowed(make_content, run_check) -> None:
    make_content({"events/summit.yaml": event("2027-02-14", "status: scheduled\n")})
    result = run_check()
    assert result.ok
    assert lines_about(result, "content/events/summit.yaml") == []


def test_unscheduled_event_after_as_of_is_an_error(make_content, run_check) -> None:
    make_content({"events/summit.yaml": event("2026-12", "status: occurred\n")})
    assert lines_about(run_check(), "content/events/summit.yaml") == [
        "content/events/summit.yaml:2:7: error: date: 2026-12 is after as_of (2026-11-24) (the corpus is current "
        "as of 2026-11-24: mark a planned event 'status: scheduled', or move as_of)"]


def test_a_cancelled_future_event_is_allowed(make_content, run_check) -> None:
    # A summit called off before its date is news the calendar must carry.
    make_content({"events/summit.yaml": event("2026-12", "status: cancelled\n")})
    assert lines_about(run_check(), "content/events/summit.yaml") == []


@pytest.mark.parametrize("date", ["2026-11-24", "2026-11", "2026"])
def test_event_that_may_fall_on_or_before_as_of_is_not_future(date: str, make_content, run_check) -> None:
    make_content({"events/x.yaml": event(date)})
    assert run_check().ok


def test_scheduled_event_in_the_past_is_a_warning_not_an_error(make_content, run_check) -> None:
    make_content({"events/summit.yaml": event("2026-01-10", "status: scheduled\n")})
    result = run_check()
    assert result.ok
    assert lines_about(result, "content/events/summit.yaml") == [
        "content/events/summit.yaml:6:9: warning: status: scheduled for 2026-01-10, which is past "
        "(say whether it occurred or was cancelled)"]


def test_future_series_point_is_an_error_unless_it_has_a_note(make_content, run_check) -> None:
    make_content({
        "series/x.yaml": series([("2027", "1", "s1")]),
        "series/y.yaml": "title: Y\nunit: USD bn\nfrequency: year\npoints:\n"
                         "  - {period: 2027, value: 1, source: s1, note: A projection by the publisher.}\n",
    })
    result = run_check()
    assert [d.message for d in result.diagnostics.items if d.path == "content/series/x.yaml"] == [
        "2027 is after as_of (2026-11-24)"]
    assert lines_about(result, "content/series/y.yaml") == []


def test_agreement_signed_after_as_of_is_an_error(make_content, run_check) -> None:
    make_content({"agreements/x.yaml": "name: X\nsigned: 2027-01-01\nsources: [s1]\n"})
    assert [d.format() for d in run_check().diagnostics.items] == [
        "content/agreements/x.yaml:2:9: error: signed: 2027-01-01 is after as_of (2026-11-24) (the corpus is "
        "current as of 2026-11-24: mark a planned event 'status: scheduled', or move as_of)"]


def test_year_zero_date_is_reported_not_raised(make_content, run_check) -> None:
    make_content({"events/a.yaml": event("0000")})
    result = run_check()
    assert not result.ok
    assert [d.field for d in result.diagnostics.items if d.path == "content/events/a.yaml"] == ["date"]


# ---------------------------------------------------------------------------------------------------- ids, references, tracks


def test_reference_to_an_invalid_record_is_not_reported_as_dangling(make_content, run_check) -> None:
    make_content({
        "events/bad.yaml": event("2026-02-30"),
        "events/good.yaml": event(extra="related: [bad]\n"),
    })
    result = run_check()
    assert [d.path for d in result.diagnostics.items] == ["content/events/bad.yaml"]


def test_reference_to_a_file_that_failed_to_load_is_not_reported_as_dangling(make_content, run_check) -> None:
    make_content({
        "events/bad.yaml": event(extra="title: twice\n"),
        "events/good.yaml": event(extra="related: [bad]\n"),
    })
    assert [d.path for d in run_check().diagnostics.items] == ["content/events/bad.yaml"]


def test_dangling_reference_suggests_only_ids_of_the_right_kind(make_content, run_check) -> None:
    make_content({"events/india-visit.yaml": event(),
                  "events/x.yaml": event(extra="actors: [indiaa]\n")})
    assert lines_about(run_check(), "content/events/x.yaml") == [
        "content/events/x.yaml:6:10: error: actors[0].id: 'indiaa' does not exist (did you mean 'india'?)"]


def test_self_reference_adds_no_backlink(make_content, run_check) -> None:
    make_content({"events/x.md": md(event(extra="related: [x]\n"), "See [this](event:x).\n")})
    assert "x" not in corpus_of(run_check()).backlinks


def test_wrong_kind_message_uses_the_right_article(make_content, run_check) -> None:
    make_content({"events/meeting.yaml": event(), "people/p.yaml": "name: P\nsources: [meeting]\n"})
    [diagnostic] = [d for d in run_check().diagnostics.items if d.path == "content/people/p.yaml"]
    assert diagnostic.message == "'meeting' is an event, not a source"


def test_duplicate_track_declaration_is_an_error(make_content, run_check) -> None:
    config = ("title: T\nfocus: [india]\nas_of: 2026-11-24\ntracks:\n  - {id: trade, title: Trade}\n"
              "  - {id: trade, title: Trade again}\n")
    make_content({"dyad.yaml": config})
    assert lines_about(run_check(), "content/dyad.yaml") == [
        "content/dyad.yaml:6:10: error: tracks[1].id: track 'trade' is declared twice"]


def test_undeclared_track_on_any_record_with_tracks_is_an_error(make_content, run_check) -> None:
    make_content({"initiatives/trust.yaml": "name: TRUST\ntracks: [technology]\nsources: [s1]\n"})
    assert lines_about(run_check(), "content/initiatives/trust.yaml") == [
        "content/initiatives/trust.yaml:2:10: error: tracks[0]: track 'technology' is not declared "
        "(declare it under 'tracks' in dyad.yaml)"]


def test_focus_country_that_does_not_exist_is_an_error_in_the_settings(make_content, run_check) -> None:
    make_content({"dyad.yaml": "title: T\nfocus: [india, inda]\nas_of: 2026\ntracks: [{id: trade, title: T}]\n"})
    assert lines_about(run_check(), "content/dyad.yaml") == [
        "content/dyad.yaml:2:16: error: focus[1]: 'inda' does not exist (did you mean 'india'?)"]


def test_invalid_settings_stop_before_resolving(make_content, run_check) -> None:
    make_content({"dyad.yaml": "title: T\nfocus: [india]\nas_of: soon\ntracks: [{id: trade, title: T}]\n",
                  "events/x.yaml": event(extra="actors: [nobody]\n")})
    result = run_check()
    assert result.corpus is None
    assert [d.path for d in result.diagnostics.items] == ["content/dyad.yaml"]


# ---------------------------------------------------------------------------------------------------- sources


def test_unused_source_is_a_warning_and_the_corpus_still_passes(make_content, run_check) -> None:
    make_content({"sources/s2.yaml": S2})
    result = run_check()
    assert result.ok
    assert lines_about(result, "content/sources/s2.yaml") == [
        "content/sources/s2.yaml:1:1: warning: no record cites this source (cite it, or remove the file)"]
    assert len(result.diagnostics.warnings) == 1 and result.diagnostics.errors == []


def test_source_linked_from_a_body_or_cited_by_an_invalid_record_counts_as_used(make_content, run_check) -> None:
    make_content({
        "sources/s2.yaml": S2,
        "sources/s3.yaml": S2.replace("/s2", "/s3"),
        "events/x.md": md(VALID_EVENT, "As [the data](source:s2) shows.\n"),
        "events/bad.yaml": event("2026-02-30").replace("[s1]", "[s3]"),
    })
    result = run_check()
    assert [d.severity.value for d in result.diagnostics.items] == ["error"]
    assert result.diagnostics.warnings == []


def test_corpus_indexes_records_by_id_and_tracks_by_id(make_content, run_check) -> None:
    make_content({"events/x.yaml": event()})
    corpus = corpus_of(run_check())
    assert sorted(corpus.records) == ["india", "s1", "united-states", "x"]
    assert isinstance(corpus.get("x"), Event) and corpus.get("nope") is None
    assert list(corpus.tracks) == ["trade", "diplomacy"]
    assert corpus.config.as_of == PartialDate(2026, 11, 24)
    assert corpus.of_kind(Series) == []
