"""The loader's fast paths agree with the plain code they replaced.

`load.py` builds nodes from parser events in a tuned loop, skips the search of quoted values when the text holds
no backslash, splits front matter without splitting the body, passes plain-ASCII files without a regex search,
works out display paths per folder and pauses the garbage collector. Each property here runs the tuned code and a
straightforward reference (the loader as it was before tuning) on the same generated input and wants the same
tree, or the same error at the same place with the same message and hint.
"""

from __future__ import annotations

import gc
import importlib.util
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.load as load
from generator.errors import Position, display_path
from generator.load import (BIDI_CONTROLS, CONTROL_CHARACTERS, MAX_DEPTH, Entry, MappingNode, Node, Scalar,
                            SequenceNode, _LoadError, load_content, parse_yaml, split_front_matter)
from generator.model import FOLDERS

from ._helpers import VALID_EVENT

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# ---------------------------------------------------------------------------------------------------- reference


def _ref_position(mark: Any, line_offset: int = 0) -> Position:
    return Position(1 + line_offset, 1) if mark is None else Position(mark.line + 1 + line_offset, mark.column + 1)


def _ref_unsafe_character(text: str) -> tuple[int, str, str] | None:
    found = [m for m in (BIDI_CONTROLS.search(text), CONTROL_CHARACTERS.search(text)) if m is not None]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    code = f"U+{ord(first.group()):04X}"
    if BIDI_CONTROLS.match(first.group()):
        return first.start(), f"bidirectional control character {code} is not allowed", \
            "remove it: it makes text display differently from what it says"
    return first.start(), f"control character {code} is not allowed", "remove it; only tabs and newlines may appear"


def _ref_check_event(event: Any, line_offset: int) -> None:
    anchor = getattr(event, "anchor", None)
    if isinstance(event, yaml.AliasEvent):
        raise _LoadError(_ref_position(event.start_mark, line_offset), f"alias '*{anchor}' is not allowed",
                         "write the value out in full; anchors and aliases are refused")
    if anchor is not None:
        raise _LoadError(_ref_position(event.start_mark, line_offset), f"anchor '&{anchor}' is not allowed",
                         "write the value out in full; anchors and aliases are refused")
    tag = getattr(event, "tag", None)
    if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!" and not event.implicit[0]):
        raise _LoadError(_ref_position(event.start_mark, line_offset), f"tag '{tag}' is not allowed",
                         "remove the tag: the model decides every value's type")


def _ref_build(events: Iterator[Any], line_offset: int = 0) -> Node | None:
    stack: list[tuple[MappingNode | SequenceNode, Scalar | None]] = []
    root: Node | None = None
    documents = 0
    for event in events:
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _LoadError(_ref_position(event.start_mark, line_offset),
                                 "a file must hold exactly one YAML document",
                                 "remove the second '---' or split the file")
            continue
        _ref_check_event(event, line_offset)
        node: Node
        if isinstance(event, yaml.ScalarEvent):
            problem = _ref_unsafe_character(event.value) if event.style in ('"', "'") else None
            if problem:
                raise _LoadError(_ref_position(event.start_mark, line_offset), problem[1], problem[2])
            node = Scalar(event.value, not event.style, _ref_position(event.start_mark, line_offset),
                          block=event.style in ("|", ">"))
        elif isinstance(event, yaml.MappingStartEvent):
            node = MappingNode({}, _ref_position(event.start_mark, line_offset))
        elif isinstance(event, yaml.SequenceStartEvent):
            node = SequenceNode([], _ref_position(event.start_mark, line_offset))
        else:  # a mapping or sequence end
            container, _ = stack.pop()
            if not stack:
                root = container
            continue
        if stack:
            parent, pending_key = stack[-1]
            if isinstance(parent, SequenceNode):
                parent.items.append(node)
            elif pending_key is None:
                if not isinstance(node, Scalar):
                    raise _LoadError(node.start, "a key must be plain text",
                                     "use a simple word as the key, not a list or mapping")
                if node.value in parent.entries:
                    first = parent.entries[node.value].key.start
                    raise _LoadError(node.start, f"duplicate key '{node.value}' (first at line {first.line})",
                                     "keep one of the two")
                stack[-1] = (parent, node)
                continue
            else:
                parent.entries[pending_key.value] = Entry(pending_key, node)
                stack[-1] = (parent, None)
        elif root is None and isinstance(node, Scalar):
            root = node
        if isinstance(node, (MappingNode, SequenceNode)):
            if len(stack) >= MAX_DEPTH:
                raise _LoadError(node.start, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
            stack.append((node, None))
    return root


def _ref_parse_yaml(text: str, line_offset: int = 0) -> Node | None:
    try:
        return _ref_build(yaml.parse(text, Loader=yaml.CSafeLoader), line_offset)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line_text = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
        hint = "indent with spaces, not tabs" if "\t" in line_text else "fix the YAML syntax"
        raise _LoadError(_ref_position(mark, line_offset), f"invalid YAML: {problem}", hint) from None
    except yaml.YAMLError as exc:
        raise _LoadError(Position(1 + line_offset, 1), f"invalid YAML: {exc}") from None


def _ref_split_front_matter(text: str) -> tuple[str, str | None, int]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise _LoadError(Position(1, 1), "a Markdown record must start with '---' front matter",
                         "put the record's fields between two '---' lines at the top")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n").rstrip() in ("---", "..."):
            return "".join(lines[:number]), "".join(lines[number + 1:]), number + 2
    raise _LoadError(Position(1, 1), "front matter is not closed", "end the fields with a line holding only '---'")


def _ref_decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        raise _LoadError(load._line_and_column(prefix, len(prefix)), "file is not valid UTF-8",
                         "save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    problem = _ref_unsafe_character(text)
    if problem:
        index, message, hint = problem
        raise _LoadError(load._line_and_column(text, index), message, hint)
    return text


# ---------------------------------------------------------------------------------------------------- comparing


def shape(node: Node | None) -> Any:
    """A node tree as plain data, positions included, for comparison."""
    if node is None:
        return None
    where = (node.start.line, node.start.column)
    if isinstance(node, Scalar):
        return ("scalar", node.value, node.plain, node.block, where)
    if isinstance(node, SequenceNode):
        return ("sequence", where, [shape(item) for item in node.items])
    return ("mapping", where, [(key, shape(entry.key), shape(entry.value)) for key, entry in node.entries.items()])


def outcome(function: Any, *args: Any) -> Any:
    """What a call gives: its result through `shape` (or as is), or its `_LoadError` as place, message and hint."""
    try:
        result = function(*args)
    except _LoadError as error:
        return ("error", error.position, error.message, error.hint)
    return shape(result) if result is None or isinstance(result, (Scalar, MappingNode, SequenceNode)) else result


YAML_PIECES = [
    "title: x", "a: b", "a: 1", "- ", "  ", "\n", "\r\n", "\r", "\t", ": ", "? ", "{", "}", "[", "]", ", ", "'", '"',
    "|", ">", "|-", "#", "---", "...", "&a ", "*a", "!", "! ", "!!str ", "!ENV ", "%YAML 1.1\n", "~", "null", "''",
    '"\\e"', '"\\u202E"', '"\\x1b"', '"\\r"', '"\\r\\n"', '"\\N"', '"\\t"', '"\\\\"', '"\\0"', "\\", "'it''s'",
    "\u202e", "\u2066", "\x1b", "\x85", "\u2028", "\u2029", "\ufeff", "\x7f", "é", "—", "key", "key: ", "k: [a, b]",
    "k: {a: b}", "  - x\n", "a:\n  b: c\n", "a: b\na: c\n", "[[[[", "]]]]", "{a: {b: {c: ", "a: " + "[" * 33,
]
YAMLISH = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=5)), max_size=30).map("".join)


# ---------------------------------------------------------------------------------------------------- properties


@PROPERTY
@given(text=YAMLISH, line_offset=st.sampled_from([0, 3]))
def test_parse_yaml_gives_the_reference_tree_or_the_reference_error(text: str, line_offset: int) -> None:
    assert outcome(parse_yaml, text, line_offset) == outcome(_ref_parse_yaml, text, line_offset)


@PROPERTY
@given(text=YAMLISH)
def test_skipping_the_search_of_quoted_values_changes_nothing_when_the_text_allows_it(text: str) -> None:
    """`check_quoted=False`, as load_file passes it for text with no backslash (and, after `_decode`, no unsafe
    character), gives what the full search gives."""
    if "\\" in text or _ref_unsafe_character(text) is not None:
        return
    assert outcome(load._parse, text, 0, False) == outcome(_ref_parse_yaml, text, 0)


@PROPERTY
@given(text=st.lists(st.sampled_from(["---", "...", "\n", "\r\n", "\r", "\u2028", "\x1c", "\x85", "\v", " ", "\t",
                                      "\xa0", "a", "-", ".", "x: y"]), max_size=14).map("".join),
       start=st.sampled_from(["", "---\n", "---\r\n", "---\r", "---\u2028", "---\v", "--- \n"]))
def test_front_matter_is_split_as_splitlines_would(text: str, start: str) -> None:
    assert outcome(split_front_matter, start + text) == outcome(_ref_split_front_matter, start + text)


@PROPERTY
@given(data=st.lists(st.one_of(st.sampled_from([b"\t", b"\n", b"\r", b"\r\n", b"\x00", b"\x1b", b"\x7f", b"\x0c",
                                               b"\xc2\x85", b"\xe2\x80\xae", b"\xef\xbb\xbf", b"\xff", b"\xc3",
                                               "é".encode(), b"a: b", b" "]),
                               st.binary(max_size=4)), max_size=20).map(b"".join))
def test_decoding_refuses_what_the_reference_refuses_at_the_same_place(data: bytes) -> None:
    assert outcome(load._decode, data) == outcome(_ref_decode, data)


# ---------------------------------------------------------------------------------------------------- examples


@pytest.mark.parametrize("text", ['a: "\\e"\n', "a: '\u202e'\n", 'a: "x\u2066"\n', 'a: "\\r"\n', "a: b\rc\n"])
def test_parse_yaml_still_searches_quoted_values_of_text_it_has_not_seen(text: str) -> None:
    assert outcome(parse_yaml, text)[0] == "error"
    assert outcome(parse_yaml, text) == outcome(_ref_parse_yaml, text)


def test_equal_positions_are_shared_and_still_positions() -> None:
    first, second = parse_yaml("a: b\nc: d\n"), parse_yaml("a: x\n")
    assert isinstance(first, MappingNode) and isinstance(second, MappingNode)
    assert first.entries["a"].key.start is second.entries["a"].key.start
    assert first.entries["c"].value.start == Position(2, 4)


def _write_corpus(root: Path) -> None:
    (root / "events").mkdir(parents=True)
    (root / "dyad.yaml").write_text("title: T\n", encoding="utf-8")
    (root / "events" / "2026-01-01-a.yaml").write_text(VALID_EVENT, encoding="utf-8")
    (root / "events" / "bad name.yaml").write_text("a: b\n", encoding="utf-8")
    (root / "stray.txt").write_text("x\n", encoding="utf-8")


@pytest.mark.parametrize("where", ["below", "outside", "above", "relative"])
def test_display_paths_and_cache_keys_are_those_of_display_path_and_absolute(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "project" / "content"
    _write_corpus(content)
    (tmp_path / "elsewhere").mkdir()
    root = content
    if where == "below":
        monkeypatch.chdir(tmp_path / "project")
    elif where == "outside":
        monkeypatch.chdir(tmp_path / "elsewhere")
    elif where == "above":  # the working directory is inside the content folder
        monkeypatch.chdir(content / "events")
    else:
        monkeypatch.chdir(tmp_path / "elsewhere")
        root = Path("../project/content")
    load._PARSED.clear()
    loaded = load_content(root, FOLDERS)
    assert loaded.config is not None
    records = [*loaded.records, loaded.config]
    files = sorted(path for path in root.rglob("*") if path.is_file())
    shown = {d.path for d in loaded.diagnostics.items}
    assert {record.display for record in records} | shown == {display_path(path) for path in files}
    for record in records:
        assert record.display == display_path(record.path)
        assert load._PARSED[str(record.path.absolute())][3] is record


@pytest.mark.parametrize("enabled", [True, False])
def test_load_content_leaves_the_garbage_collector_as_it_found_it(enabled: bool, tmp_path: Path) -> None:
    _write_corpus(tmp_path / "content")
    was = gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        gc.enable() if enabled else gc.disable()
        load_content(tmp_path / "content", FOLDERS)
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable() if was else gc.disable()


def test_load_content_keeps_what_someone_else_froze_and_restores_the_collector_after_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_corpus(tmp_path / "content")
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        load_content(tmp_path / "content", FOLDERS)
        assert gc.get_freeze_count() >= frozen and gc.isenabled()

        def fail(root: Path, folders: Any) -> None:
            raise RuntimeError("boom")
        monkeypatch.setattr(load, "_load_content", fail)
        with pytest.raises(RuntimeError):
            load_content(tmp_path / "content", FOLDERS)
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_without_libyaml_the_loader_refuses_to_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    spec = importlib.util.spec_from_file_location("generator._load_without_libyaml", load.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with pytest.raises(ImportError, match="libyaml"):
        spec.loader.exec_module(module)
