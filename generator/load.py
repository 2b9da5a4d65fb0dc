"""Stage 1, load: content files to positioned YAML nodes.

Values are built from libyaml's parser events, not from PyYAML's constructors, so nothing is typed by YAML 1.1
guessing (`no`, `01234` and `1e3` stay text until the model decides), and every anchor, alias, tag and duplicate
key is seen and refused with its line. Entry point: `load_content()`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Union

import yaml

from .errors import Diagnostics, Position, display_path

if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover - guarded by the install
    raise ImportError("Dyad needs PyYAML built with libyaml (the C parser); reinstall pyyaml with libyaml present")

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CONFIG_FILE = "dyad.yaml"
RECORD_SUFFIXES = (".yaml", ".md")
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
# Characters that reorder text for display: they can make a file read differently from what it says.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Control characters other than tab and newline: they can clear a terminal, hide text or end a string early.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")  # a lone CR too
RESERVED_IDS = frozenset({"index"})  # `index` is every folder's own page: a record there would replace it


@dataclass(slots=True)
class Scalar:
    """A scalar exactly as written: its text, and whether it was plain (unquoted)."""

    value: str
    plain: bool
    start: Position
    block: bool = False

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULL_WORDS


@dataclass(slots=True)
class Entry:
    key: Scalar
    value: "Node"


@dataclass(slots=True)
class MappingNode:
    entries: dict[str, Entry]
    start: Position


@dataclass(slots=True)
class SequenceNode:
    items: list["Node"]
    start: Position


Node = Union[Scalar, MappingNode, SequenceNode]


@dataclass(slots=True)
class RawRecord:
    """One record file, parsed: its kind (from the folder), its id (from the file name) and its fields."""

    path: Path
    display: str
    kind: str
    id: str
    fields: MappingNode
    body: str | None = None
    body_line: int = 0
    text: str = ""


@dataclass(frozen=True)
class FailedFile:
    """A record file that could not be read: its id still exists, so references to it are not reported too."""

    display: str
    kind: str
    id: str


@dataclass
class LoadedContent:
    """Everything read from a content directory, with the problems found while reading."""

    root: Path
    records: list[RawRecord] = field(default_factory=list)
    config: RawRecord | None = None
    failed: list[FailedFile] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    files: int = 0


class _LoadError(Exception):
    def __init__(self, position: Position, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.position = position
        self.message = message
        self.hint = hint


def _position(mark: yaml.Mark | None, line_offset: int = 0) -> Position:
    if mark is None:
        return Position(1 + line_offset, 1)
    return Position(mark.line + 1 + line_offset, mark.column + 1)


def _check_event(event: yaml.Event, line_offset: int) -> None:
    anchor = getattr(event, "anchor", None)
    if isinstance(event, yaml.AliasEvent):
        raise _LoadError(_position(event.start_mark, line_offset), f"alias '*{anchor}' is not allowed",
                         "write the value out in full; anchors and aliases are refused")
    if anchor is not None:
        raise _LoadError(_position(event.start_mark, line_offset), f"anchor '&{anchor}' is not allowed",
                         "write the value out in full; anchors and aliases are refused")
    tag = getattr(event, "tag", None)
    if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!" and not event.implicit[0]):
        raise _LoadError(_position(event.start_mark, line_offset), f"tag '{tag}' is not allowed",
                         "remove the tag: the model decides every value's type")


def _build(events: Iterator[yaml.Event], line_offset: int = 0) -> Node | None:
    """Build one document's node tree from parser events, refusing what Dyad does not allow."""
    stack: list[tuple[MappingNode | SequenceNode, Scalar | None]] = []
    root: Node | None = None
    documents = 0
    for event in events:
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _LoadError(_position(event.start_mark, line_offset),
                                 "a file must hold exactly one YAML document",
                                 "remove the second '---' or split the file")
            continue
        _check_event(event, line_offset)
        node: Node | None
        if isinstance(event, yaml.ScalarEvent):
            problem = _unsafe_character(event.value) if event.style in ('"', "'") else None
            if problem:  # written as an escape such as "\e" or "\u202E": refused like the raw character
                raise _LoadError(_position(event.start_mark, line_offset), problem[1], problem[2])
            node = Scalar(event.value, not event.style, _position(event.start_mark, line_offset),
                          block=event.style in ("|", ">"))
        elif isinstance(event, yaml.MappingStartEvent):
            node = MappingNode({}, _position(event.start_mark, line_offset))
        elif isinstance(event, yaml.SequenceStartEvent):
            node = SequenceNode([], _position(event.start_mark, line_offset))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            container, pending = stack.pop()
            if pending is not None:  # pragma: no cover - the parser never ends a mapping after a lone key
                raise _LoadError(pending.start, "a key has no value")
            node = None
            if not stack:
                root = container
            continue
        else:  # pragma: no cover - every event type is handled above
            raise _LoadError(_position(event.start_mark, line_offset), f"unexpected YAML event {type(event).__name__}")

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
                if isinstance(node, Scalar):
                    continue
            else:
                parent.entries[pending_key.value] = Entry(pending_key, node)
                stack[-1] = (parent, None)
        elif root is None and isinstance(node, Scalar):
            root = node
        if isinstance(node, (MappingNode, SequenceNode)):
            if len(stack) >= MAX_DEPTH:
                raise _LoadError(node.start, f"nesting deeper than {MAX_DEPTH} levels",
                                 "flatten the structure")
            stack.append((node, None))
    return root


def parse_yaml(text: str, line_offset: int = 0) -> Node | None:
    """Parse YAML text into a node tree; raises `_LoadError` at the first problem."""
    try:
        return _build(yaml.parse(text, Loader=yaml.CSafeLoader), line_offset)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        position = _position(mark, line_offset)
        line_text = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
        hint = "indent with spaces, not tabs" if "\t" in line_text else "fix the YAML syntax"
        raise _LoadError(position, f"invalid YAML: {problem}", hint) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports everything as marked errors
        raise _LoadError(Position(1 + line_offset, 1), f"invalid YAML: {exc}") from None


def _line_and_column(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    return Position(line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        raise _LoadError(_line_and_column(prefix, len(prefix)), "file is not valid UTF-8",
                         "save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    problem = _unsafe_character(text)
    if problem:
        index, message, hint = problem
        raise _LoadError(_line_and_column(text, index), message, hint)
    return text


def _unsafe_character(text: str) -> tuple[int, str, str] | None:
    """The first bidirectional or control character in `text` (index, message, hint), if any."""
    found = [m for m in (BIDI_CONTROLS.search(text), CONTROL_CHARACTERS.search(text)) if m is not None]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    code = f"U+{ord(first.group()):04X}"
    if BIDI_CONTROLS.match(first.group()):
        return first.start(), f"bidirectional control character {code} is not allowed", \
            "remove it: it makes text display differently from what it says"
    return first.start(), f"control character {code} is not allowed", "remove it; only tabs and newlines may appear"


def split_front_matter(text: str) -> tuple[str, str | None, int]:
    """Split a Markdown file into its front-matter YAML (line numbers kept) and its body.

    Returns the YAML text, the body, and the 1-based line on which the body starts.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise _LoadError(Position(1, 1), "a Markdown record must start with '---' front matter",
                         "put the record's fields between two '---' lines at the top")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n").rstrip() in ("---", "..."):
            return "".join(lines[:number]), "".join(lines[number + 1:]), number + 2
    raise _LoadError(Position(1, 1), "front matter is not closed",
                     "end the fields with a line holding only '---'")


def load_file(path: Path, display: str, kind: str) -> RawRecord:
    """Read and parse one record file; raises `_LoadError` on the first problem."""
    record_id = path.stem
    if record_id in RESERVED_IDS:
        raise _LoadError(Position(1, 1), f"'{record_id}' is reserved for the folder's own page",
                         "choose another file name")
    if not ID_PATTERN.match(record_id):
        raise _LoadError(Position(1, 1), f"file name '{path.name}' is not a valid id",
                         "use lower-case letters, digits and single hyphens, e.g. 2026-02-03-rubio-meeting.yaml")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _LoadError(Position(1, 1), f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit",
                         "split the record or shorten its body")
    text = _decode(path.read_bytes())
    body: str | None = None
    body_line = 0
    if path.suffix == ".md":
        yaml_text, body, body_line = split_front_matter(text)
    else:
        yaml_text = text
    root = parse_yaml(yaml_text)
    if isinstance(root, Scalar) and root.is_null:
        root = None
    if root is None:
        raise _LoadError(Position(1, 1), "file holds no fields", "a record file must hold one mapping of fields")
    if not isinstance(root, MappingNode):
        raise _LoadError(root.start, "a record file must hold one mapping of fields, not a "
                         + ("list" if isinstance(root, SequenceNode) else "single value"),
                         "write 'field: value' lines at the top level")
    return RawRecord(path, display, kind, record_id, root, body, body_line, text)


# Parsed files by path, kept while their size and modification time stay the same, so `dyad serve` re-reads only
# what an editor saved. RawRecords are never changed after loading, so sharing them is safe.
_PARSED: dict[str, tuple[int, int, str, RawRecord]] = {}


def _cached_load(path: Path, display: str, kind: str) -> RawRecord:
    stat = path.stat()
    key = str(path.absolute())
    found = _PARSED.get(key)
    if found is not None and found[:3] == (stat.st_mtime_ns, stat.st_size, display):
        return found[3]
    record = load_file(path, display, kind)
    _PARSED[key] = (stat.st_mtime_ns, stat.st_size, display, record)
    return record


def _walk(root: Path, diagnostics: Diagnostics) -> Iterator[Path]:
    """Every file below root in a stable order; symlinks are refused, dotfiles skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                diagnostics.error(display_path(here / name), Position(1, 1), "symlinked folder is refused",
                                  hint="move the files into content/ instead of linking them")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(filenames):
            if not name.startswith("."):
                yield here / name


def load_content(root: Path, folders: Mapping[str, str]) -> LoadedContent:
    """Read every file below `root`: `folders` maps a folder name to the record kind it holds."""
    loaded = LoadedContent(root)
    diagnostics = loaded.diagnostics
    if not root.is_dir():
        diagnostics.error(display_path(root), Position(1, 1), "content directory not found",
                          hint="pass the folder that holds dyad.yaml and the record folders")
        return loaded
    config_seen = False
    for path in _walk(root, diagnostics):
        display = display_path(path)
        relative = path.relative_to(root)
        loaded.files += 1
        if relative.as_posix() == CONFIG_FILE:
            config_seen = True
        if path.is_symlink():
            diagnostics.error(display, Position(1, 1), "symlinked file is refused",
                              hint="copy the file into content/ instead of linking it")
            continue
        if relative.as_posix() == CONFIG_FILE:
            kind = "config"
        elif len(relative.parts) == 2 and relative.parts[0] in folders and path.suffix in RECORD_SUFFIXES:
            kind = folders[relative.parts[0]]
        else:
            where = ", ".join(f"{name}/" for name in folders)
            diagnostics.error(display, Position(1, 1), "Dyad does not know what this file is",
                              hint=f"records are .yaml or .md files directly inside {where}; "
                                   f"site settings go in {CONFIG_FILE}")
            continue
        try:
            record = _cached_load(path, display, kind)
        except _LoadError as exc:
            diagnostics.error(display, exc.position, exc.message, hint=exc.hint)
            if kind != "config" and ID_PATTERN.match(path.stem):
                loaded.failed.append(FailedFile(display, kind, path.stem))
            continue
        except OSError as exc:
            diagnostics.error(display, Position(1, 1), f"cannot read file: {exc.strerror}")
            continue
        if kind == "config":
            loaded.config = record
        else:
            loaded.records.append(record)
    if not config_seen:
        diagnostics.error(display_path(root / CONFIG_FILE), Position(1, 1), "site settings file is missing",
                          hint=f"create {CONFIG_FILE} with title, focus, as_of and tracks")
    return loaded
