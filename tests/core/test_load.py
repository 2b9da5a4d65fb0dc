"""Stage 1, load: files to positioned YAML nodes, with nothing typed by YAML 1.1 guessing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest

from generator.errors import Position
from generator.load import (MAX_DEPTH, MAX_FILE_BYTES, MappingNode, Scalar, SequenceNode, _LoadError,
                            load_content, parse_yaml, split_front_matter)
from generator.model import FOLDERS

from ._helpers import VALID_EVENT, lines_about, md


def parse_mapping(text: str) -> MappingNode:
    node = parse_yaml(text)
    assert isinstance(node, MappingNode)
    return node


def scalar_at(node: MappingNode, key: str) -> Scalar:
    value = node.entries[key].value
    assert isinstance(value, Scalar)
    return value


def load_error(text: str, line_offset: int = 0) -> _LoadError:
    with pytest.raises(_LoadError) as caught:
        parse_yaml(text, line_offset)
    return caught.value


# ---------------------------------------------------------------------------------------------------- positions


def test_keys_and_values_carry_one_based_line_and_column() -> None:
    node = parse_mapping("title: Rubio\n\nsummary:   He met.\n")
    assert node.start == Position(1, 1)
    assert node.entries["title"].key.start == Position(1, 1)
    assert scalar_at(node, "title").start == Position(1, 8)
    assert node.entries["summary"].key.start == Position(3, 1)
    assert scalar_at(node, "summary").start == Position(3, 12)


def test_nested_block_and_flow_items_carry_their_own_positions() -> None:
    node = parse_mapping("sources:\n  - id: s1\n    locator: p 4\ntracks: [trade, diplomacy]\n")
    sources = node.entries["sources"].value
    assert isinstance(sources, SequenceNode)
    first = sources.items[0]
    assert isinstance(first, MappingNode)
    assert first.start == Position(2, 5)
    assert scalar_at(first, "locator").start == Position(3, 14)
    tracks = node.entries["tracks"].value
    assert isinstance(tracks, SequenceNode)
    assert [item.start for item in tracks.items] == [Position(4, 10), Position(4, 17)]


def test_line_offset_shifts_every_position_and_error() -> None:
    node = parse_yaml("a: b\n", line_offset=10)
    assert isinstance(node, MappingNode)
    assert scalar_at(node, "a").start == Position(11, 4)
    assert load_error("a: b\na: c\n", line_offset=10).position == Position(12, 1)


# ---------------------------------------------------------------------------------------------------- no YAML guessing


@pytest.mark.parametrize("text", ["no", "yes", "on", "off", "true", "False", "01234", "0o17", "0x1F", "1:30",
                                  "1e3", ".nan", ".inf", "-.inf", "2026-02-03", "12_000", "null", "~", "1.0"])
def test_plain_scalars_stay_exactly_as_written(text: str) -> None:
    scalar = scalar_at(parse_mapping(f"value: {text}\n"), "value")
    assert scalar.value == text
    assert type(scalar.value) is str
    assert scalar.plain is True


@pytest.mark.parametrize(("text", "value"), [('"no"', "no"), ("'01234'", "01234"), ('"a\\tb"', "a\tb"),
                                             ("'it''s'", "it's")])
def test_quoted_scalars_are_not_plain_and_keep_their_text(text: str, value: str) -> None:
    scalar = scalar_at(parse_mapping(f"value: {text}\n"), "value")
    assert (scalar.value, scalar.plain) == (value, False)


def test_block_scalar_is_marked_block_and_keeps_its_newlines() -> None:
    scalar = scalar_at(parse_mapping("body: |\n  line one\n  line two\n"), "body")
    assert (scalar.value, scalar.plain, scalar.block) == ("line one\nline two\n", False, True)
    assert scalar.start == Position(1, 7)


@pytest.mark.parametrize(("text", "is_null"), [("", True), ("~", True), ("null", True), ("NULL", True),
                                               ('"null"', False), ("''", False), ("nil", False)])
def test_only_plain_null_words_are_null(text: str, is_null: bool) -> None:
    assert scalar_at(parse_mapping(f"value: {text}\n"), "value").is_null is is_null


def test_key_that_is_not_a_scalar_is_refused() -> None:
    error = load_error("? [a, b]\n: c\n")
    assert (error.position, error.message) == (Position(1, 3), "a key must be plain text")


# ---------------------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("text", "position", "message"), [
    ("a: &x b\n", Position(1, 4), "anchor '&x' is not allowed"),
    ("a: *x\n", Position(1, 4), "alias '*x' is not allowed"),
    ("a: !!str 5\n", Position(1, 4), "tag 'tag:yaml.org,2002:str' is not allowed"),
    ("!!map {a: b}\n", Position(1, 1), "tag 'tag:yaml.org,2002:map' is not allowed"),
    ("a: !ENV X\n", Position(1, 4), "tag '!ENV' is not allowed"),
    ("%TAG ! tag:example.org,2000:\n---\na: !x b\n", Position(3, 4), "tag 'tag:example.org,2000:x' is not allowed"),
    ("a: 1\nb:\n  c: 1\n  c: 2\n", Position(4, 3), "duplicate key 'c' (first at line 3)"),
    ("a: 1\n---\na: 2\n", Position(2, 1), "a file must hold exactly one YAML document"),
])
def test_anchors_aliases_tags_duplicates_and_documents_are_refused_where_they_stand(
        text: str, position: Position, message: str) -> None:
    error = load_error(text)
    assert (error.position, error.message) == (position, message)


def test_thirty_two_levels_of_nesting_load_and_thirty_three_are_refused() -> None:
    assert MAX_DEPTH == 32
    parse_yaml("a: " + "[" * 31 + "]" * 31 + "\n")  # the mapping plus 31 lists: 32 levels
    error = load_error("a: " + "[" * 32 + "]" * 32 + "\n")
    assert error.message == "nesting deeper than 32 levels"
    assert error.position == Position(1, 35)


def test_tab_indentation_is_a_yaml_error_with_a_tab_hint() -> None:
    error = load_error("a:\n\t- b\n")
    assert error.position.line == 2
    assert error.message.startswith("invalid YAML: ")
    assert error.hint == "indent with spaces, not tabs"


# ---------------------------------------------------------------------------------------------------- front matter


def test_front_matter_split_keeps_yaml_line_numbers_and_gives_the_body_line() -> None:
    yaml_text, body, body_line = split_front_matter("---\ntitle: x\ndate: 2026\n---\nFirst body line.\nSecond.\n")
    assert yaml_text == "---\ntitle: x\ndate: 2026\n"
    assert body == "First body line.\nSecond.\n"
    assert body_line == 5
    node = parse_mapping(yaml_text)
    assert scalar_at(node, "date").start == Position(3, 7)


def test_front_matter_closes_on_dots_and_accepts_crlf() -> None:
    assert split_front_matter("---\r\na: b\r\n...\r\nBody\r\n") == ("---\r\na: b\r\n", "Body\r\n", 4)


def test_front_matter_with_empty_body() -> None:
    assert split_front_matter("---\na: b\n---\n") == ("---\na: b\n", "", 4)


@pytest.mark.parametrize(("text", "message"), [
    ("title: x\n", "a Markdown record must start with '---' front matter"),
    ("", "a Markdown record must start with '---' front matter"),
    ("---\ntitle: x\nbody\n", "front matter is not closed"),
])
def test_bad_front_matter_is_refused_at_line_one(text: str, message: str) -> None:
    with pytest.raises(_LoadError) as caught:
        split_front_matter(text)
    assert (caught.value.position, caught.value.message) == (Position(1, 1), message)


def test_yaml_error_in_front_matter_is_reported_at_its_line_in_the_file(make_content, run_check) -> None:
    make_content({"events/a.md": md(VALID_EVENT + "title: again\n", "Body.\n")})
    assert lines_about(run_check(), "content/events/a.md") == [
        "content/events/a.md:7:1: error: duplicate key 'title' (first at line 2) (keep one of the two)"]


# ---------------------------------------------------------------------------------------------------- files


def test_utf8_byte_order_mark_is_accepted(make_content, run_check) -> None:
    make_content({"events/a.yaml": b"\xef\xbb\xbf" + VALID_EVENT.encode()})
    result = run_check()
    assert result.ok
    assert lines_about(result, "content/events/a.yaml") == []


def test_invalid_utf8_is_reported_at_the_first_bad_byte(make_content, run_check) -> None:
    make_content({"events/a.yaml": "title: Zoë\n".encode() + b"summary: \xff\n"})
    assert lines_about(run_check(), "content/events/a.yaml") == [
        "content/events/a.yaml:2:10: error: file is not valid UTF-8 (save the file as UTF-8)"]


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                                  "\u2069"])
def test_every_bidi_embedding_and_isolate_control_is_refused(char: str, make_content, run_check) -> None:
    make_content({"events/a.yaml": VALID_EVENT + f"location: x{char}y\n"})
    [line] = lines_about(run_check(), "content/events/a.yaml")
    assert line.startswith(f"content/events/a.yaml:6:12: error: bidirectional control character U+{ord(char):04X}")


def _symlinked_corpus(tmp_path: Path, make_content: Callable[..., Path]) -> None:
    """A corpus with content/events/linked.yaml → tmp_path/outside.yaml (a valid event) and
    content/people → tmp_path/elsewhere/ (a folder holding a valid person)."""
    root = make_content({})
    (tmp_path / "outside.yaml").write_text(VALID_EVENT, encoding="utf-8")
    (root / "events").mkdir()
    os.symlink(tmp_path / "outside.yaml", root / "events" / "linked.yaml")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "someone.yaml").write_text("name: Someone\nsources: [s1]\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", root / "people")


def test_symlinked_file_and_folder_are_refused_and_not_read(tmp_path: Path, make_content, run_check) -> None:
    _symlinked_corpus(tmp_path, make_content)
    result = run_check()
    assert not result.ok
    assert sorted(d.message for d in result.diagnostics.errors) == ["symlinked file is refused",
                                                                     "symlinked folder is refused"]
    loaded = load_content(Path("content"), FOLDERS)
    assert sorted(r.id for r in loaded.records) == ["india", "s1", "united-states"]


def test_symlink_refusals_name_the_link_inside_content(tmp_path: Path, make_content, run_check) -> None:
    _symlinked_corpus(tmp_path, make_content)
    assert sorted(d.format() for d in run_check().diagnostics.errors) == [
        "content/events/linked.yaml:1:1: error: symlinked file is refused "
        "(copy the file into content/ instead of linking it)",
        "content/people:1:1: error: symlinked folder is refused "
        "(move the files into content/ instead of linking them)",
    ]


def test_file_over_one_mebibyte_is_refused_and_one_at_the_limit_is_read(make_content, run_check) -> None:
    padding = "# " + "x" * 98 + "\n"
    at_limit = VALID_EVENT + padding * ((MAX_FILE_BYTES - len(VALID_EVENT)) // len(padding))
    at_limit += "#" * (MAX_FILE_BYTES - len(at_limit.encode()) - 1) + "\n"
    assert len(at_limit.encode()) == MAX_FILE_BYTES
    make_content({"events/at-limit.yaml": at_limit, "events/over-limit.yaml": at_limit + "\n"})
    result = run_check()
    assert lines_about(result, "content/events/at-limit.yaml") == []
    assert lines_about(result, "content/events/over-limit.yaml") == [
        f"content/events/over-limit.yaml:1:1: error: file is {MAX_FILE_BYTES + 1} bytes, over the "
        f"{MAX_FILE_BYTES}-byte limit (split the record or shorten its body)"]


def test_files_outside_record_folders_are_reported_and_dotfiles_skipped(make_content, run_check) -> None:
    make_content({"index.md": "# Home\n", "events/2026/a.yaml": VALID_EVENT, "events/.draft.yaml": "oops: [\n",
                  ".git-keep/x.yaml": "oops: [\n"})
    result = run_check()
    errors = [d for d in result.diagnostics.sorted() if d.severity.value == "error"]
    assert [d.path for d in errors] == ["content/events/2026/a.yaml", "content/index.md"]
    assert all(d.message == "Dyad does not know what this file is" for d in errors)


def test_missing_settings_file_is_reported(make_content, run_check) -> None:
    make_content({"events/a.yaml": VALID_EVENT}, base=False)
    result = run_check()
    assert [d.format() for d in result.diagnostics.errors] == [
        "content/dyad.yaml:1:1: error: site settings file is missing "
        "(create dyad.yaml with title, focus, as_of and tracks)"]
    assert result.corpus is None


def test_missing_content_directory_is_reported(tmp_path: Path) -> None:
    loaded = load_content(tmp_path / "nowhere", FOLDERS)
    assert [d.message for d in loaded.diagnostics.items] == ["content directory not found"]
    assert loaded.records == [] and loaded.files == 0


def test_every_file_is_counted_and_records_come_back_with_kind_and_id(make_content, tmp_path: Path) -> None:
    root = make_content({"events/a.yaml": VALID_EVENT, "events/b.md": md(VALID_EVENT, "Body.\n")})
    loaded = load_content(root, FOLDERS)
    assert loaded.files == 6
    assert loaded.config is not None and loaded.config.kind == "config"
    found = sorted((r.kind, r.id, r.body, r.body_line) for r in loaded.records)
    assert found == [("country", "india", None, 0), ("country", "united-states", None, 0),
                     ("event", "a", None, 0), ("event", "b", "Body.\n", 8), ("source", "s1", None, 0)]


def test_an_unchanged_file_is_not_parsed_again_and_a_saved_one_is(tmp_path: Path) -> None:
    from generator.load import load_content
    from generator.model import FOLDERS

    root = tmp_path / "content"
    (root / "events").mkdir(parents=True)
    (root / "dyad.yaml").write_text("title: T\n", encoding="utf-8")
    fact = root / "events" / "a.yaml"
    fact.write_text("title: One\n", encoding="utf-8")
    first = load_content(root, FOLDERS).records[0]
    assert load_content(root, FOLDERS).records[0] is first  # same size and time: the parsed file is reused
    fact.write_text("title: Two, longer\n", encoding="utf-8")
    second = load_content(root, FOLDERS).records[0]
    assert second is not first and second.fields.entries["title"].value.value == "Two, longer"
