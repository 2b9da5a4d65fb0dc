"""Stage 2, model: dates with precision, each field type, records and their stand-ins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from generator.errors import Diagnostics, Position
from generator.load import MappingNode, RawRecord, parse_yaml
from generator.model import (INVALID, KINDS, BoolType, Choice, Citation, Country, DateType, Event, FieldType,
                             IntType, ListOf, Markdown, NumberType, Obj, PartialDate, Pattern, Ref, Source,
                             Text, Unchecked, UrlType, Validation, build_record, ends_before, folder_of, kind_of,
                             specs)

from ._helpers import VALID_EVENT


def parse_value(field_type: FieldType, yaml_value: str) -> tuple[Any, Validation]:
    """Parse `value: <yaml_value>` and run one field type over the value node."""
    root = parse_yaml(f"value: {yaml_value}\n")
    assert isinstance(root, MappingNode)
    ctx = Validation("f.yaml", Diagnostics())
    return field_type.parse(root.entries["value"].value, ctx, "value"), ctx


def messages(ctx: Validation) -> list[str]:
    return [d.message for d in ctx.diagnostics.items]


def build(kind: str, text: str, record_id: str = "r", body: str | None = None,
          body_line: int = 0) -> tuple[Any, Diagnostics]:
    root = parse_yaml(text)
    assert isinstance(root, MappingNode)
    diagnostics = Diagnostics()
    raw = RawRecord(Path(f"{record_id}.yaml"), f"{record_id}.yaml", kind, record_id, root, body, body_line)
    return build_record(raw, diagnostics), diagnostics


# ---------------------------------------------------------------------------------------------------- PartialDate


@pytest.mark.parametrize(("text", "parts", "precision"), [
    ("2007", (2007, None, None), "year"),
    ("2026-02", (2026, 2, None), "month"),
    ("2026-02-04", (2026, 2, 4), "day"),
    ("2024-02-29", (2024, 2, 29), "day"),
])
def test_partial_date_parses_each_precision(text: str, parts: tuple[int, int | None, int | None],
                                            precision: str) -> None:
    date = PartialDate.parse(text)
    assert (date.year, date.month, date.day) == parts
    assert date.precision == precision
    assert date.iso == text == str(date)


@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2026-13", "2026-00", "2026-01-00", "2026-04-31",
                                  "26", "20260", "2026-1", "2026-01-1", "2026/01/01", "2026-01-01T10:00", "",
                                  " 2026", "1:30", "2026-02-03 "])
def test_partial_date_refuses_impossible_and_malformed_dates(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_impossible_day_message_names_the_month_length() -> None:
    with pytest.raises(ValueError, match=r"'2024-02-30' is not a real day \(February 2024 has 29 days\)"):
        PartialDate.parse("2024-02-30")


@pytest.mark.parametrize(("text", "human"), [("2026-02-04", "4 February 2026"), ("2026-02", "February 2026"),
                                             ("2026", "2026"), ("1999-12-31", "31 December 1999")])
def test_partial_date_human_form_keeps_its_precision(text: str, human: str) -> None:
    assert PartialDate.parse(text).human() == human


@pytest.mark.parametrize(("text", "earliest", "latest"), [
    ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
    ("2026-02-04", dt.date(2026, 2, 4), dt.date(2026, 2, 4)),
])
def test_partial_date_earliest_and_latest_span_its_precision(text: str, earliest: dt.date,
                                                             latest: dt.date) -> None:
    date = PartialDate.parse(text)
    assert (date.earliest(), date.latest()) == (earliest, latest)


def test_partial_dates_sort_coarser_first_within_the_same_period() -> None:
    texts = ["2026-02-04", "2025", "2026-02", "2026", "2026-01-31", "2026-02-01"]
    assert [str(d) for d in sorted(PartialDate.parse(t) for t in texts)] == [
        "2025", "2026", "2026-01-31", "2026-02", "2026-02-01", "2026-02-04"]
    assert PartialDate.parse("2026-02") == PartialDate(2026, 2)
    assert PartialDate.parse("2026") < PartialDate.parse("2026-01")


@pytest.mark.parametrize(("end", "start", "before"), [
    ("2019-04", "2019-05-30", True),
    ("2019-05", "2019-05-30", False),   # May 2019 may end on the 31st
    ("2019", "2019-05-30", False),
    ("2019-05-29", "2019-05-30", True),
    ("2019-05-30", "2019-05-30", False),
    ("2018", "2019", True),
])
def test_ends_before_is_true_only_when_certain_whatever_the_precision(end: str, start: str, before: bool) -> None:
    assert ends_before(PartialDate.parse(end), PartialDate.parse(start)) is before


@pytest.mark.parametrize("text", ["\u0662\u0660\u0662\u0666", "\uff12\uff10\uff12\uff16-\uff10\uff12"])
def test_partial_date_refuses_non_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_partial_date_refuses_year_zero() -> None:
    with pytest.raises(ValueError):
        PartialDate.parse("0000")


# ---------------------------------------------------------------------------------------------------- field types


@pytest.mark.parametrize(("yaml_value", "value"), [("no", "no"), ("01234", "01234"), ("1:30", "1:30"),
                                                   ("1e3", "1e3"), ("'  padded  '", "padded"), ("null", "null")])
def test_text_keeps_what_was_written_without_yaml_typing(yaml_value: str, value: str) -> None:
    parsed, ctx = parse_value(Text(), yaml_value)
    assert (parsed, messages(ctx)) == (value, [])


@pytest.mark.parametrize(("field_type", "yaml_value", "message"), [
    (Text(), "''", "must not be empty"),
    (Text(), "[a]", "expected text, found a list"),
    (Text(), "{a: b}", "expected text, found a mapping"),
    (Text(single_line=True), '"one\\ntwo"', "must be a single line"),
])
def test_text_refuses_empty_multi_line_and_structures(field_type: FieldType, yaml_value: str, message: str) -> None:
    parsed, ctx = parse_value(field_type, yaml_value)
    assert parsed is INVALID
    assert messages(ctx) == [message]


def test_markdown_block_text_keeps_its_newlines() -> None:
    parsed, ctx = parse_value(Markdown(), "|\n  One.\n\n  Two.\n")
    assert (parsed, messages(ctx)) == ("One.\n\nTwo.\n", [])


def test_pattern_accepts_a_match_and_refuses_anything_else() -> None:
    iso = Pattern(r"^[A-Z]{2}$", "an ISO 3166-1 alpha-2 code", "IN")
    assert parse_value(iso, "IN")[0] == "IN"
    parsed, ctx = parse_value(iso, "in")
    assert parsed is INVALID
    assert [d.format() for d in ctx.diagnostics.items] == [
        "f.yaml:1:8: error: value: 'in' is not an ISO 3166-1 alpha-2 code (write it like IN)"]


def test_date_type_gives_a_partial_date_and_reports_bad_ones_at_the_value() -> None:
    assert parse_value(DateType(), "2026-02-04")[0] == PartialDate(2026, 2, 4)
    assert parse_value(DateType(), "'2026'")[0] == PartialDate(2026)
    parsed, ctx = parse_value(DateType(), "1:30")
    assert parsed is INVALID
    assert [d.format() for d in ctx.diagnostics.items] == [
        "f.yaml:1:8: error: value: '1:30' is not a date (write a date as YYYY, YYYY-MM or YYYY-MM-DD)"]
    assert messages(parse_value(DateType(), "[2026]")[1]) == ["expected a date, found a list"]


@pytest.mark.parametrize(("yaml_value", "value"), [("1", 1), ("3", 3), ("0", 0), ("-1", -1)])
def test_int_type_accepts_whole_decimals(yaml_value: str, value: int) -> None:
    parsed, ctx = parse_value(IntType(-5, 5), yaml_value)
    assert (parsed, messages(ctx)) == (value, [])


@pytest.mark.parametrize("yaml_value", ["01", "1.0", "0x1F", "0o7", "+1", "1_000", "1e3", "one", "''", "true"])
def test_int_type_refuses_anything_but_whole_decimals_without_leading_zeros(yaml_value: str) -> None:
    parsed, ctx = parse_value(IntType(1, 3), yaml_value)
    assert parsed is INVALID
    assert len(ctx.diagnostics.items) == 1 and "is not a whole number" in messages(ctx)[0]


def test_int_type_refuses_out_of_range() -> None:
    parsed, ctx = parse_value(IntType(1, 3), "4")
    assert parsed is INVALID
    assert [d.format() for d in ctx.diagnostics.items] == ["f.yaml:1:8: error: value: 4 is out of range (use 1 to 3)"]


@pytest.mark.parametrize(("yaml_value", "value"), [("19.249", Decimal("19.249")), ("-10.284", Decimal("-10.284")),
                                                   ("18", Decimal(18)), ("0.1", Decimal("0.1")),
                                                   ("'7.5'", Decimal("7.5"))])
def test_number_type_keeps_decimals_exact(yaml_value: str, value: Decimal) -> None:
    parsed, ctx = parse_value(NumberType(), yaml_value)
    assert messages(ctx) == []
    assert isinstance(parsed, Decimal) and parsed == value and str(parsed) == str(value)


@pytest.mark.parametrize("yaml_value", ["1e3", "1E3", ".nan", ".NaN", ".inf", "-.inf", "0x1F", "1_000", "+1",
                                        "01.5", "1.", ".5", "1,5", "Infinity", "NaN", "''"])
def test_number_type_refuses_anything_but_plain_decimals(yaml_value: str) -> None:
    parsed, ctx = parse_value(NumberType(), yaml_value)
    assert parsed is INVALID
    assert len(ctx.diagnostics.items) == 1 and "is not a plain decimal number" in messages(ctx)[0]


@pytest.mark.parametrize(("yaml_value", "value"), [("true", True), ("false", False)])
def test_bool_type_accepts_true_and_false(yaml_value: str, value: bool) -> None:
    assert parse_value(BoolType(), yaml_value)[0] is value


@pytest.mark.parametrize("yaml_value", ["yes", "no", "on", "off", "True", "FALSE", "1", "0", "'true'", '"false"'])
def test_bool_type_refuses_yaml_1_1_booleans_and_quoted_words(yaml_value: str) -> None:
    parsed, ctx = parse_value(BoolType(), yaml_value)
    assert parsed is INVALID
    assert len(ctx.diagnostics.items) == 1 and "is not true or false" in messages(ctx)[0]


def test_choice_accepts_a_listed_value_and_suggests_the_nearest_otherwise() -> None:
    status = Choice("occurred", "scheduled", "cancelled")
    assert parse_value(status, "scheduled")[0] == "scheduled"
    parsed, ctx = parse_value(status, "schedule")
    assert parsed is INVALID
    assert [d.hint for d in ctx.diagnostics.items] == ["did you mean 'scheduled'?"]
    assert [d.hint for d in parse_value(status, "no")[1].diagnostics.items] == [
        "use one of occurred, scheduled, cancelled"]


@pytest.mark.parametrize("url", ["https://ustr.gov/countries-regions", "http://example.org", "HTTPS://EXAMPLE.ORG/x"])
def test_url_type_accepts_full_web_addresses(url: str) -> None:
    parsed, ctx = parse_value(UrlType(), url)
    assert (parsed, messages(ctx)) == (url, [])


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "'java\tscript:alert(1)'",
                                 "data:text/html,<b>x</b>", "vbscript:x", "file:///etc/passwd", "ftp://example.org",
                                 "//example.org", "https://", "https:///path", "example.org",
                                 "'https://exa mple.org'"])
def test_url_type_refuses_unsafe_or_incomplete_addresses(url: str) -> None:
    parsed, ctx = parse_value(UrlType(), url)
    assert parsed is INVALID
    assert len(ctx.diagnostics.items) == 1 and "is not a safe web address" in messages(ctx)[0]


def test_a_control_character_in_a_url_is_refused_as_it_is_read() -> None:
    with pytest.raises(Exception, match="control character U\\+0001 is not allowed"):
        parse_value(UrlType(), '"https://example.org/\\x01"')


def test_ref_records_the_reference_with_its_kinds_and_place() -> None:
    parsed, ctx = parse_value(Ref("person", "country"), "s-jaishankar")
    assert parsed == "s-jaishankar"
    [reference] = ctx.references
    assert (reference.target, reference.kinds, reference.position, reference.field) == (
        "s-jaishankar", ("person", "country"), Position(1, 8), "value")


@pytest.mark.parametrize("yaml_value", ["S-Jaishankar", "s_jaishankar", "a--b", "-a", "'a b'"])
def test_ref_refuses_an_invalid_id_and_records_no_reference(yaml_value: str) -> None:
    parsed, ctx = parse_value(Ref("person"), yaml_value)
    assert parsed is INVALID
    assert ctx.references == []
    assert "is not a valid id" in messages(ctx)[0]


def test_list_of_parses_each_item_and_records_item_positions() -> None:
    parsed, ctx = parse_value(ListOf(Ref("country")), "[india, united-states]")
    assert parsed == ("india", "united-states")
    assert ctx.positions == {"value[0]": Position(1, 9), "value[1]": Position(1, 16)}
    assert [r.field for r in ctx.references] == ["value[0]", "value[1]"]


@pytest.mark.parametrize(("field_type", "yaml_value", "message", "hint"), [
    (ListOf(Text()), "trade", "expected a list, found 'trade'", "write it as a list: [trade]"),
    (ListOf(Text()), "{a: b}", "expected a list, found a mapping", "start each item with '- '"),
    (ListOf(Text(), min_items=1), "[]", "needs at least 1 item", ""),
])
def test_list_of_refuses_scalars_mappings_and_short_lists(field_type: FieldType, yaml_value: str,
                                                          message: str, hint: str) -> None:
    parsed, ctx = parse_value(field_type, yaml_value)
    assert parsed is INVALID
    assert [(d.message, d.hint) for d in ctx.diagnostics.items] == [(message, hint)]


def test_unique_list_reports_a_repeated_item_at_the_repeat() -> None:
    _, ctx = parse_value(ListOf(Text(), unique=True), "[a, b, a]")
    assert [d.format() for d in ctx.diagnostics.items] == [
        "f.yaml:1:15: error: value[2]: 'a' is listed twice (first at line 1; remove one)"]


def test_obj_shorthand_takes_a_bare_id_or_a_full_mapping() -> None:
    citations = ListOf(Obj(Citation, shorthand="id"))
    parsed, ctx = parse_value(citations, "[s1, {id: s2, locator: p. 4, quote: It was so.}]")
    assert messages(ctx) == []
    assert parsed == (Citation(id="s1"), Citation(id="s2", locator="p. 4", quote="It was so."))
    assert [r.target for r in ctx.references] == ["s1", "s2"]


def test_obj_reports_unknown_and_missing_nested_fields_with_dotted_names() -> None:
    parsed, ctx = parse_value(ListOf(Obj(Citation, shorthand="id")), "[{locatr: p. 4}]")
    assert parsed is INVALID
    assert sorted((d.field, d.message, d.hint) for d in ctx.diagnostics.items) == [
        ("value[0].id", "required field is missing", "add 'id:' (Id of the source)"),
        ("value[0].locatr", "unknown field", "did you mean 'locator'?"),
    ]


# ---------------------------------------------------------------------------------------------------- records


def test_valid_event_builds_a_typed_record_with_defaults() -> None:
    record, diagnostics = build("event", VALID_EVENT, "2026-02-03-meeting")
    assert diagnostics.items == []
    assert isinstance(record, Event)
    assert (record.id, record.title, record.date, record.tracks) == (
        "2026-02-03-meeting", "Jaishankar meets Rubio", PartialDate(2026, 2, 3), ("diplomacy",))
    assert (record.status, record.importance, record.confidence, record.sources) == (
        "occurred", 2, "confirmed", (Citation(id="s1"),))
    assert record.meta.position("date") == Position(2, 7)
    assert record.meta.position("no-such-field") == Position(1, 1)


def test_yaml_names_map_kind_to_kind_of_on_sources() -> None:
    record, diagnostics = build("source", "title: T\npublisher: P\nurl: https://e.org/\nkind: dataset\n")
    assert diagnostics.items == []
    assert isinstance(record, Source) and record.kind_of == "dataset" and record.kind == "source"
    assert "kind" in dict(specs(Source)) and "kind_of" not in dict(specs(Source))


def test_unknown_field_hint_lists_allowed_fields_when_nothing_is_close() -> None:
    _, diagnostics = build("country", "name: Japan\nzzzz: 1\n")
    [d] = diagnostics.items
    assert (d.field, d.message, d.position) == ("zzzz", "unknown field", Position(2, 1))
    assert d.hint.startswith("allowed: name, aliases, description, sources")


def test_null_required_field_must_have_a_value_and_null_optional_field_is_absent() -> None:
    _, diagnostics = build("event", VALID_EVENT.replace("2026-02-03", "~"))
    assert [(d.field, d.message) for d in diagnostics.items] == [("date", "must have a value")]
    record, diagnostics = build("event", VALID_EVENT + "end:\nimportance: null\n")
    assert diagnostics.items == [] and isinstance(record, Event)
    assert (record.end, record.importance) == (None, 2)


def test_invalid_file_becomes_an_unchecked_stand_in_that_keeps_its_references() -> None:
    text = VALID_EVENT.replace("2026-02-03", "2026-02-30") + "actors: [s-jaishankar]\n"
    record, diagnostics = build("event", text, "bad-event")
    assert isinstance(record, Unchecked)
    assert (record.id, record.of_kind, record.of_folder) == ("bad-event", "event", "events")
    assert sorted(r.target for r in record.meta.references) == ["s-jaishankar", "s1"]
    assert [d.field for d in diagnostics.items] == ["date"]


def test_kind_of_and_folder_of_look_through_unchecked_stand_ins() -> None:
    good, _ = build("country", "name: Japan\n", "japan")
    bad, _ = build("country", "name: ''\n", "japan")
    assert isinstance(good, Country) and isinstance(bad, Unchecked)
    assert (kind_of(good), folder_of(good)) == ("country", "countries")
    assert (kind_of(bad), folder_of(bad)) == ("country", "countries")
    assert bad.kind == "unchecked"


def test_every_kind_has_a_folder_and_its_required_fields_match_the_readme() -> None:
    required = {kind: [name for name, spec in specs(cls) if spec.required] for kind, cls in KINDS.items()}
    assert required == {
        "event": ["title", "date", "summary", "tracks", "sources"],
        "person": ["name", "sources"],
        "country": ["name"],
        "organization": ["name", "sources"],
        "agreement": ["name", "sources"],
        "initiative": ["name", "sources"],
        "source": ["title", "publisher", "url", "kind"],
        "series": ["title", "unit", "frequency"],
        "commitment": ["title", "summary", "made_on", "status", "sources"],
    }
    assert {cls.folder for cls in KINDS.values()} == {"events", "people", "countries", "organizations",
                                                       "agreements", "initiatives", "sources", "series",
                                                       "commitments"}


def test_markdown_body_on_a_kind_without_body_is_refused_at_the_body_line() -> None:
    record, diagnostics = build("source", "title: T\npublisher: P\nurl: https://e.org/\nkind: news\n",
                                body="Some text.\n", body_line=7)
    assert isinstance(record, Unchecked)
    assert [(d.position, d.message) for d in diagnostics.items] == [(Position(7, 1), "a source has no body")]


def test_whitespace_only_markdown_body_is_no_body() -> None:
    record, diagnostics = build("source", "title: T\npublisher: P\nurl: https://e.org/\nkind: news\n",
                                body="\n\n", body_line=7)
    assert diagnostics.items == [] and isinstance(record, Source)


def test_body_line_of_a_yaml_block_body_is_the_line_after_the_key() -> None:
    record, _ = build("event", VALID_EVENT + "body: |\n  Text.\n")
    assert isinstance(record, Event)
    assert (record.body, record.meta.body_line, record.meta.body_in_file) == ("Text.\n", 7, False)
    record, _ = build("event", VALID_EVENT + "body: Text.\n")
    assert record.meta.body_line == 6
