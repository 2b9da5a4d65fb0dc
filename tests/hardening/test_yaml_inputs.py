"""Hostile YAML: each file is refused at its own line and column ((a): `dyad check` exits 1 and a build leaves the
previous site untouched) or, where YAML allows it, read as plain text the model then judges ((b)).

Builds on tests/cases/ (one bad file per error class) with the spellings those cases leave out: tags on keys and
in lists, tag directives, aliases in front matter, bombs, deep and wide structures, control characters.
"""

from __future__ import annotations

import tracemalloc

import pytest

from generator.errors import Position
from generator.load import MAX_DEPTH, MAX_FILE_BYTES, _LoadError, parse_yaml
from generator.model import Event
from tests.core._helpers import VALID_EVENT

from .conftest import CORPUS, Refusal

FRONT = "---\n" + VALID_EVENT + "---\n"  # a Markdown event's front matter; its body starts on line 8


def event_file(extra: str) -> str:
    """The valid event (lines 1-5) with `extra` from line 6 on."""
    return VALID_EVENT + extra


# ---------------------------------------------------------------------------------------------------- corpus files

# tests/hardening/corpus/<folder>/<file> → (line:col, part of the message)
CORPUS_REFUSALS: dict[str, tuple[str, str]] = {
    "events/python-tag-on-key.yaml": ("6:1", "tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
    "events/python-tag-front-matter.md": (
        "7:11", "tag 'tag:yaml.org,2002:python/object/apply:subprocess.check_output' is not allowed"),
    "events/env-tag-in-list.yaml": ("4:21", "tag '!ENV' is not allowed"),
    "events/local-tag-directive.yaml": ("8:11", "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    "events/alias-only.yaml": ("6:11", "alias '*undefined' is not allowed"),
    "events/alias-bomb-front-matter.md": ("7:8", "anchor '&n' is not allowed"),
    "events/duplicate-key-three-deep.yaml": ("11:9", "duplicate key 'locator' (first at line 10)"),
    "events/duplicate-key-flow.yaml": ("6:34", "duplicate key 'role' (first at line 6)"),
    "events/duplicate-key-quoted.yaml": ("6:1", "duplicate key 'title' (first at line 1)"),
    "events/duplicate-key-front-matter.md": ("7:1", "duplicate key 'sources' (first at line 6)"),
    "events/yaml11-in-model-types.yaml": ("6:9", "status: 'no' is not allowed"),
    "events/yaml11-numbers-as-importance.yaml": ("6:13", "importance: '01234' is not a whole number"),
    "events/impossible-dates.yaml": ("2:7", "'2023-02-29' is not a real day (February 2023 has 28 days)"),
    "events/date-month-thirteen.yaml": ("6:6", "'2026-13' has no month 13"),
    "events/date-timestamp.yaml": ("2:7", "'2026-02-03T10:00:00Z' is not a date"),
    "events/importance-nan.yaml": ("6:13", "importance: '.nan' is not a whole number"),
    "events/importance-inf.yaml": ("6:13", "importance: '.inf' is not a whole number"),
    "events/list-front-matter.md": ("2:1", "must hold one mapping of fields, not a list"),
    "events/scalar-at-top.yaml": ("1:1", "must hold one mapping of fields, not a single value"),
    "events/unclosed-fence-dashes-in-body.md": ("1:1", "front matter is not closed"),
    "events/tab-indented-front-matter.md": ("8:1", "indent with spaces, not tabs"),
    "series/nan-inf-and-friends.yaml": ("5:27", "points[0].value: '.inf' is not a plain decimal number"),
    "people/role-impossible-date.yaml": ("4:29", "roles[0].from: '2019-02-29' is not a real day"),
}


@pytest.mark.parametrize("relative", sorted(CORPUS_REFUSALS))
def test_hostile_yaml_file_is_refused_at_its_line_and_column_and_the_previous_site_survives(
        relative: str, refusal: Refusal) -> None:
    where, message = CORPUS_REFUSALS[relative]
    display = refusal.copy_corpus_file(relative)
    refusal.assert_refused(f"{display}:{where}", message)


def test_every_yaml_11_spelling_is_refused_where_the_model_wants_a_type(refusal: Refusal) -> None:
    refusal.copy_corpus_file("events/yaml11-in-model-types.yaml")
    result = refusal.assert_refused("content/events/yaml11-in-model-types.yaml:7:13",
                                    "importance: 'on' is not a whole number", build=False)
    lines = [d.format() for d in result.diagnostics.errors]
    assert any(":8:13: error: confidence: 'yes' is not allowed" in line for line in lines), lines
    assert any(":9:6: error: end: '1:30' is not a date" in line for line in lines), lines


def test_every_non_decimal_number_spelling_is_refused_on_its_own_line(refusal: Refusal) -> None:
    refusal.copy_corpus_file("series/nan-inf-and-friends.yaml")
    result = refusal.check()
    places = sorted((d.position.line, d.position.column) for d in result.diagnostics.errors
                    if d.path == "content/series/nan-inf-and-friends.yaml")
    assert places == [(line, 27) for line in range(5, 13)]  # .inf -.Inf .NaN 0x1F 1_000 +1 1e3 0o17


def test_yaml_11_directive_does_not_turn_on_yaml_11_typing(refusal: Refusal) -> None:
    """(b): `%YAML 1.1` with `no`, `01234`, `1:30` where the model wants text: kept exactly as written."""
    refusal.copy_corpus_file("events/yaml11-directive-stays-text.yaml")
    result = refusal.check()
    assert result.ok, [d.format() for d in result.diagnostics.errors]
    assert result.corpus is not None
    event = result.corpus.get("yaml11-directive-stays-text")
    assert isinstance(event, Event)
    assert (event.title, event.summary, event.location) == ("no", "01234", "1:30")


@pytest.mark.parametrize("spelling", ["no", "on", "off", "yes", "01234", "1:30", "1e3", ".nan", "-.inf", "0x1F",
                                      "~", "null", "2026-02-03"])
def test_yaml_11_spellings_stay_text_where_the_model_wants_text(spelling: str, refusal: Refusal) -> None:
    refusal.write({"events/a.yaml": event_file(f"location: x {spelling}\nactors:\n  - {{id: india, role: {spelling}}}\n")})
    result = refusal.check()
    assert result.ok, [d.format() for d in result.diagnostics.errors]
    assert result.corpus is not None
    event = result.corpus.get("a")
    assert isinstance(event, Event)
    assert event.location == f"x {spelling}"
    assert event.actors[0].role == spelling  # even `~` and `null`: a text field keeps the words as written


def test_tabs_between_tokens_are_separators_not_part_of_the_value(refusal: Refusal) -> None:
    """(b): YAML allows a tab after `key:` and inside a flow list; the values carry no tab."""
    refusal.copy_corpus_file("events/tab-in-flow-list.yaml")
    result = refusal.check()
    assert result.ok, [d.format() for d in result.diagnostics.errors]
    assert result.corpus is not None
    event = result.corpus.get("tab-in-flow-list")
    assert isinstance(event, Event)
    assert event.location == "Washington"
    assert [a.id for a in event.actors] == ["india", "united-states"]


# ---------------------------------------------------------------------------------------------------- bombs


def test_billion_laughs_is_refused_at_its_first_anchor_with_one_small_diagnostic(refusal: Refusal) -> None:
    refusal.copy_corpus_file("events/billion-laughs.yaml")
    tracemalloc.start()
    try:
        result = refusal.assert_refused("content/events/billion-laughs.yaml:7:7", "anchor '&a' is not allowed",
                                        build=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    about = [d for d in result.diagnostics.items if d.path == "content/events/billion-laughs.yaml"]
    assert len(about) == 1
    assert len(about[0].format()) < 200
    assert peak < 16 * 1024 * 1024, f"checking a billion-laughs file used {peak} bytes"  # 9^9 strings would be GiB


def test_billion_laughs_in_one_line_flow_form_is_refused_without_expanding() -> None:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
    tracemalloc.start()
    try:
        with pytest.raises(_LoadError) as caught:
            parse_yaml(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (caught.value.position, caught.value.message) == (Position(1, 4), "anchor '&a' is not allowed")
    assert peak < 4 * 1024 * 1024


def test_billion_laughs_passes_the_full_refusal_path(refusal: Refusal) -> None:
    display = refusal.copy_corpus_file("events/billion-laughs.yaml")
    refusal.assert_refused(f"{display}:7:7", "anchor '&a' is not allowed")


# ---------------------------------------------------------------------------------------------------- depth and size


@pytest.mark.parametrize(("name", "extra", "where", "message"), [
    ("flow-sequence", "notes: " + "[" * 5000 + "]" * 5000 + "\n", "6:", "nesting depth"),
    ("flow-sequence-unclosed", "notes: " + "[" * 5000 + "\n", "6:", "nesting depth"),
    ("flow-mapping", "notes: " + "{a: " * 5000 + "x" + "}" * 5000 + "\n", "6:132", "nesting deeper than 32 levels"),
    ("block-sequence", "notes:\n  " + "- " * 5000 + "x\n", "7:65", "nesting deeper than 32 levels"),
    ("block-mapping", "notes:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(1400)), "38:33",
     "nesting deeper than 32 levels"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_five_thousand_deep_nesting_is_refused_at_its_place(name: str, extra: str, where: str, message: str,
                                                           refusal: Refusal) -> None:
    refusal.write({"events/deep.yaml": event_file(extra)})
    result = refusal.check()
    errors = [d for d in result.diagnostics.errors if d.path == "content/events/deep.yaml"]
    assert len(errors) == 1, [d.format() for d in errors]
    assert errors[0].format().startswith(f"content/events/deep.yaml:{where}"), errors[0].format()
    assert message in errors[0].message
    assert "\n" not in errors[0].format()
    if name == "block-mapping":  # one full refusal, with the build, per kind of problem is enough
        refusal.assert_refused("content/events/deep.yaml:38:33", message)


def test_block_nesting_five_thousand_deep_by_indentation_is_refused_by_size_before_parsing(refusal: Refusal) -> None:
    """5,000 indented levels need 12 MB of spaces: the 1 MiB limit refuses the file before YAML sees it."""
    refusal.write({"events/deep.yaml": event_file("notes:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(5000)))})
    refusal.assert_refused("content/events/deep.yaml:1:1", f"over the {MAX_FILE_BYTES}-byte limit")


def test_the_loader_refuses_five_thousand_levels_of_block_mapping_at_level_33() -> None:
    text = "a:\n" + "".join("  " * (i + 1) + "b:\n" for i in range(5000)) + "  " * 5001 + "c: d\n"
    with pytest.raises(_LoadError) as caught:
        parse_yaml(text)
    assert caught.value.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert caught.value.position == Position(MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)


@pytest.mark.parametrize("field", ["value", "period"])
def test_five_thousand_digit_series_numbers_are_refused_at_their_column(field: str, refusal: Refusal) -> None:
    value = "9" * 5000 if field == "value" else "1"
    period = "9" * 5000 if field == "period" else "2010"
    refusal.write({"series/big.yaml": "title: T\nunit: u\nfrequency: year\npoints:\n"
                                      f"  - {{period: {period}, value: {value}, source: s1}}\n"})
    column = 27 if field == "value" else 14
    refusal.assert_refused(f"content/series/big.yaml:5:{column}", f"points[0].{field}:")


def test_five_thousand_digit_importance_is_a_diagnostic_not_a_crash(refusal: Refusal) -> None:
    refusal.write({"events/big.yaml": event_file("importance: " + "9" * 5000 + "\n")})
    refusal.assert_refused("content/events/big.yaml:6:13", "importance:")


def test_five_thousand_digit_date_is_refused_at_its_column(refusal: Refusal) -> None:
    refusal.write({"events/big.yaml": VALID_EVENT.replace("2026-02-03", "9" * 5000)})
    refusal.assert_refused("content/events/big.yaml:2:7", "is not a date")


def test_a_huge_line_under_the_size_limit_is_read_and_its_error_placed_at_its_column(refusal: Refusal) -> None:
    """A 900,000-character line: fine when valid ((b)); a YAML error at its end is placed at its true column."""
    refusal.write({"events/long.yaml": event_file("location: " + "x" * 900_000 + "\n")})
    result = refusal.check()
    assert result.ok, [d.format() for d in result.diagnostics.errors][:3]
    refusal.write({"events/long.yaml": event_file("location: " + "x" * 900_000 + ": y\n")})
    refusal.assert_refused("content/events/long.yaml:6:900011", "mapping values are not allowed")


@pytest.mark.parametrize(("name", "files", "where"), [
    ("markdown-body", {"events/big.md": FRONT + ("word " * 20 + "\n") * 11_000}, "content/events/big.md:1:1"),
    ("settings", {"dyad.yaml": "title: x\n" + "# " + "x" * MAX_FILE_BYTES + "\n"}, "content/dyad.yaml:1:1"),
    ("source", {"sources/big.yaml": "title: x\n" + "note: " + "x" * MAX_FILE_BYTES + "\n"},
     "content/sources/big.yaml:1:1"),
])
def test_files_over_one_mebibyte_are_refused_whatever_their_kind(name: str, files: dict[str, str], where: str,
                                                                 refusal: Refusal) -> None:
    refusal.write(files)
    refusal.assert_refused(where, f"over the {MAX_FILE_BYTES}-byte limit")


# ---------------------------------------------------------------------------------------------------- empty and odd shapes


@pytest.mark.parametrize(("name", "text", "where", "message"), [
    ("only-whitespace", "   \n\n  \n", "1:1", "file holds no fields"),
    ("three-documents", VALID_EVENT + "---\n" + VALID_EVENT + "---\n" + VALID_EVENT, "6:1",
     "a file must hold exactly one YAML document"),
    ("explicit-second-document-marker", "--- \n" + VALID_EVENT + "--- \n", "7:1",
     "a file must hold exactly one YAML document"),
    ("list-of-mappings", "- " + VALID_EVENT.replace("\n", "\n  ", 4), "1:1", "not a list"),
])
def test_empty_multi_document_and_non_mapping_files_are_refused(name: str, text: str, where: str, message: str,
                                                                refusal: Refusal) -> None:
    refusal.write({"events/odd.yaml": text})
    refusal.assert_refused(f"content/events/odd.yaml:{where}", message)


@pytest.mark.parametrize(("name", "text"), [("empty-front-matter.md", "---\n---\nA body.\n"),
                                            ("comment-front-matter.md", "---\n# only a comment\n---\nA body.\n"),
                                            ("document-markers.yaml", "---\n...\n")])
def test_an_explicitly_empty_document_is_reported_as_holding_no_fields(name: str, text: str,
                                                                        refusal: Refusal) -> None:
    refusal.write({f"events/{name}": text})
    refusal.assert_refused(f"content/events/{name}:1:1", "file holds no fields")


@pytest.mark.parametrize("text", ["", "- title: x\n", "title: x\n---\ntitle: y\n"],
                         ids=["empty", "list", "two-documents"])
def test_an_unusable_settings_file_is_not_also_reported_missing(text: str, refusal: Refusal) -> None:
    refusal.write({"dyad.yaml": text})
    result = refusal.check()
    assert not result.ok
    messages = [d.message for d in result.diagnostics.errors if d.path == "content/dyad.yaml"]
    assert messages and "site settings file is missing" not in messages, messages


def test_unclosed_front_matter_fence_is_refused_even_when_the_body_has_dashes(refusal: Refusal) -> None:
    display = refusal.copy_corpus_file("events/unclosed-fence-dashes-in-body.md")
    result = refusal.assert_refused(f"{display}:1:1", "front matter is not closed", build=False)
    assert len([d for d in result.diagnostics.errors if d.path == display]) == 1


# ---------------------------------------------------------------------------------------------------- bytes


@pytest.mark.parametrize(("name", "data", "where"), [
    ("utf-16-with-bom", b"\xff\xfe" + "title: x\n".encode("utf-16-le"), "1:1"),
    ("overlong-slash", VALID_EVENT.encode() + b"location: \xc0\xaf\n", "6:11"),
    ("encoded-surrogate", VALID_EVENT.encode() + b"location: \xed\xa0\x80\n", "6:11"),
    ("truncated-at-end-of-file", VALID_EVENT.encode() + b"location: \xe2\x82", "6:11"),
    ("latin-1-in-markdown-body", FRONT.encode() + b"line one\ncaf\xe9\n", "9:4"),
])
def test_bytes_that_are_not_utf8_are_refused_at_the_first_bad_byte(name: str, data: bytes, where: str,
                                                                  refusal: Refusal) -> None:
    suffix = ".md" if name.endswith("body") else ".yaml"
    refusal.write({f"events/bytes{suffix}": data})
    refusal.assert_refused(f"content/events/bytes{suffix}:{where}", "file is not valid UTF-8")


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"], ids=["NUL", "ESC", "DEL"])
def test_raw_control_character_in_yaml_is_refused_at_its_line_and_column(char: str, refusal: Refusal) -> None:
    refusal.write({"events/ctrl.yaml": event_file(f"location: Wash{char}ington\n")})
    result = refusal.assert_refused("content/events/ctrl.yaml:6:15", "", build=False)
    assert all("\n" not in d.format() for d in result.diagnostics.items)


@pytest.mark.parametrize("char", ["\x00", "\x1b"], ids=["NUL", "ESC"])
def test_raw_control_character_in_yaml_is_refused(char: str, refusal: Refusal) -> None:
    """The part of the above that holds today: the file is refused, with an error naming it."""
    refusal.write({"events/ctrl.yaml": event_file(f"location: Wash{char}ington\n")})
    result = refusal.check()
    assert not result.ok
    assert [d.path for d in result.diagnostics.errors] == ["content/events/ctrl.yaml"]


def _body_page(refusal: Refusal, char: str) -> str | None:
    """The generated page of an event whose body holds `char`; None when `dyad check` refused it at the body."""
    from generator.build import prepare_site

    refusal.write({"events/ctrl.md": FRONT + f"Before{char}after, and [a link](https://example.org/{char}x).\n"})
    prepared = prepare_site(refusal.content)
    if not prepared.ok:  # refused is the other acceptable ending: then at the body's line
        assert any(d.format().startswith("content/events/ctrl.md:8:") for d in prepared.diagnostics.errors)
        return None
    [page] = [p for p in prepared.pages if p.src_uri == "events/ctrl.md"]
    assert "Before" in page.markdown and "after" in page.markdown
    return page.markdown


def test_raw_nul_in_a_markdown_body_never_reaches_the_page(refusal: Refusal) -> None:
    """(b): CommonMark replaces NUL with U+FFFD."""
    page = _body_page(refusal, "\x00")
    assert page is None or "\x00" not in page


def test_raw_esc_in_a_markdown_body_is_refused_or_never_reaches_the_page(refusal: Refusal) -> None:
    page = _body_page(refusal, "\x1b")
    assert page is None or "\x1b" not in page


@pytest.mark.parametrize("escape", ["\\u202E", "\\u2066", "\\U0000202D"])
def test_bidi_control_written_as_a_yaml_escape_is_refused(escape: str, refusal: Refusal) -> None:
    refusal.write({"events/bidi.yaml": event_file(f'location: "Wash{escape}ington"\n')})
    refusal.assert_refused("content/events/bidi.yaml:6:11", "bidirectional control character")


@pytest.mark.parametrize("escape", ["\\0", "\\e[2J"], ids=["NUL", "ESC"])
def test_control_character_written_as_a_yaml_escape_is_refused_or_kept_out_of_pages(escape: str,
                                                                                   refusal: Refusal) -> None:
    from generator.build import prepare_site

    refusal.write({"events/ctrl.yaml": event_file(f'location: "Wash{escape}ington"\n')})
    prepared = prepare_site(refusal.content)
    if not prepared.ok:
        assert any(d.format().startswith("content/events/ctrl.yaml:6:") for d in prepared.diagnostics.errors)
        return None
    for page in prepared.pages:
        assert "\x00" not in page.markdown and "\x1b" not in page.markdown, page.src_uri


@pytest.mark.parametrize(("name", "files"), [
    ("esc-in-a-value", {"events/esc.yaml": event_file('status: "\\e[2J\\e[31mred"\n')}),
    ("esc-in-a-file-name", {"events/a\x1b[2J.yaml": VALID_EVENT}),
    ("bidi-in-a-file-name", {"events/a\u202eb.yaml": VALID_EVENT}),
    ("line-break-in-a-url", {"sources/bad.yaml": "title: T\npublisher: P\nkind: news\n"
                                                 'url: "https://x.example/\\ncontent/events/forged.yaml:1:1: error: x"\n'}),
])
def test_diagnostics_print_one_line_each_without_raw_control_characters(name: str, files: dict[str, str],
                                                                        refusal: Refusal) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    refusal.write(files)
    result = refusal.check()
    # color=True: as on a terminal (piped, click strips well-formed ANSI sequences itself)
    output = CliRunner().invoke(main, ["check", "content"], color=True).output
    assert "error:" in output
    assert not any(ch in output for ch in ("\x1b", "\x00", "\u202e")), repr(output)
    assert len(output.splitlines()) == len(result.diagnostics.sorted()) + 1, output  # + the summary line


def test_bidi_override_in_a_markdown_body_is_refused_at_its_line(refusal: Refusal) -> None:
    refusal.write({"events/bidi.md": FRONT + "Intro.\n\nThe minister \u202eyas ton did\u202c said.\n"})
    refusal.assert_refused("content/events/bidi.md:10:14", "bidirectional control character U+202E")


def test_corpus_folder_holds_only_files_the_tests_use() -> None:
    used = set(CORPUS_REFUSALS) | {"events/billion-laughs.yaml", "events/yaml11-directive-stays-text.yaml",
                                   "events/tab-in-flow-list.yaml"}
    present = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    assert sorted(present - used) == []


# ---------------------------------------------------------------------------------------------------- YAML in ```dyad blocks


def _build_with_page(tmp_path, previous_site, caplog, monkeypatch, page: str, expect=SystemExit) -> str:
    import logging

    from generator.plugin import build_site

    from .conftest import hardening_project, staging_leftovers, tree_bytes

    config = hardening_project(tmp_path / "project")
    (tmp_path / "project" / "site_src" / "extra.md").write_text(page, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "project")
    site = previous_site.copy_to(tmp_path / "site")
    with caplog.at_level(logging.WARNING), pytest.raises(expect):
        build_site(config, site)
    assert tree_bytes(site) == previous_site.snapshot
    assert staging_leftovers(tmp_path) == []
    return caplog.text


def test_an_alias_bomb_and_a_tag_in_a_dyad_block_fail_the_build_at_the_pages_lines(tmp_path, previous_site, caplog,
                                                                                  monkeypatch) -> None:
    log = _build_with_page(tmp_path, previous_site, caplog, monkeypatch,
                           "# Extra\n\n```dyad\nshow: events\nlimit: &a 5\ntrack: *a\n```\n\n"
                           "```dyad\nshow: events\ntrack: !ENV DYAD_TRACK\n```\n")
    assert "site_src/extra.md:5:8: error: dyad block: anchor '&a' is not allowed" in log
    assert "site_src/extra.md:11:8: error: dyad block: tag '!ENV' is not allowed" in log


def test_a_five_thousand_digit_number_in_a_dyad_block_is_a_diagnostic_at_the_pages_line(tmp_path, previous_site,
                                                                                       caplog, monkeypatch) -> None:
    log = _build_with_page(tmp_path, previous_site, caplog, monkeypatch,
                           "# Extra\n\n```dyad\nshow: events\nyear: " + "9" * 5000 + "\n```\n")
    assert "site_src/extra.md:5:7: error: year:" in log
