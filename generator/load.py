"""Stage 1, load: content files to positioned YAML nodes.

Values are built from libyaml's parser events, not from PyYAML's constructors, so nothing is typed by YAML 1.1
guessing (`no`, `01234` and `1e3` stay text until the model decides), and every anchor, alias, tag and duplicate
key is seen and refused with its line. Entry point: `load_content()`.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Union

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
# The two as one class of characters, and the lone CR apart: a search for one class is several times faster.
_UNSAFE_CHARACTER = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LONE_CR = re.compile("\r(?!\n)")
# The bytes of an ASCII file that needs no search: printable characters, tab and newline.
_PLAIN_ASCII = b"\t\n" + bytes(range(0x20, 0x7F))
# What str.splitlines() splits on (and "\r\n" as one break); one class of characters, as that searches fastest.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
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


# Positions are frozen, so nodes at the same line and column (in different files too) share one: ten thousand
# records written from the same template would otherwise make hundreds of thousands of equal objects.
_POSITIONS: dict[tuple[int, int], Position] = {}
_POSITIONS_KEPT = 1 << 18  # a bound for hostile input: past it the cache starts over


def _shared_position(line: int, column: int) -> Position:
    """The shared `Position` at 1-based `line`, `column`."""
    key = (line, column)
    found = _POSITIONS.get(key)
    if found is None:
        if len(_POSITIONS) >= _POSITIONS_KEPT:
            _POSITIONS.clear()
        found = _POSITIONS[key] = Position(line, column)
    return found


def _position(mark: yaml.Mark | None, line_offset: int = 0) -> Position:
    if mark is None:
        return Position(1 + line_offset, 1)
    return _shared_position(mark.line + 1 + line_offset, mark.column + 1)


def _check_event(event: yaml.Event, line_offset: int) -> None:
    """Refuse an alias, an anchor or a tag; a scalar's non-specific tag `!` (it only says "text") is let through."""
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


# What `_build` does with each event type: one dict look-up instead of a chain of isinstance calls per event.
_SCALAR, _MAPPING, _SEQUENCE, _END, _DOCUMENT, _ALIAS, _SKIP = range(7)
_EVENT_KINDS: dict[type, int] = {
    yaml.ScalarEvent: _SCALAR, yaml.MappingStartEvent: _MAPPING, yaml.SequenceStartEvent: _SEQUENCE,
    yaml.MappingEndEvent: _END, yaml.SequenceEndEvent: _END, yaml.DocumentStartEvent: _DOCUMENT,
    yaml.AliasEvent: _ALIAS, yaml.StreamStartEvent: _SKIP, yaml.StreamEndEvent: _SKIP, yaml.DocumentEndEvent: _SKIP,
}
_BLOCK_STYLES = frozenset({"|", ">"})


def _build(events: Iterable[yaml.Event], line_offset: int = 0, check_quoted: bool = True) -> Node | None:
    """Build one document's node tree from parser events, refusing what Dyad does not allow.

    The hot loop of loading (a few hundred thousand events at 10,000 records), hence its shape: dispatch through
    `_EVENT_KINDS`, the innermost open container kept in locals, shared positions. `check_quoted=False` skips the
    search of quoted values for unsafe characters, for text known to hold neither such a character nor a backslash
    (without an escape a quoted value holds only characters of the text, see `_parse`).
    """
    kinds = _EVENT_KINDS
    positions = _POSITIONS
    # Open containers, outermost first, each with its entries (a mapping) or items (a sequence); the innermost is
    # also in `entries`/`items`, with `pending`, the key of a mapping waiting for its value.
    stack: list[tuple[MappingNode | SequenceNode, dict[str, Entry] | None, list[Node] | None]] = []
    entries: dict[str, Entry] | None = None
    items: list[Node] | None = None
    pending: Scalar | None = None
    root: Node | None = None
    documents = 0
    for event in events:
        kind = kinds.get(type(event))
        if kind is None:  # pragma: no cover - every event type is in _EVENT_KINDS
            raise _LoadError(_position(event.start_mark, line_offset), f"unexpected YAML event {type(event).__name__}")
        if kind == _END:
            if pending is not None:  # pragma: no cover - the parser never ends a mapping after a lone key
                raise _LoadError(pending.start, "a key has no value")
            closed = stack.pop()[0]
            if stack:
                _, entries, items = stack[-1]
            else:
                root, entries, items = closed, None, None
            continue
        if kind >= _DOCUMENT:
            if kind == _ALIAS:
                _check_event(event, line_offset)  # raises
            if kind == _DOCUMENT:
                documents += 1
                if documents > 1:
                    raise _LoadError(_position(event.start_mark, line_offset),
                                     "a file must hold exactly one YAML document",
                                     "remove the second '---' or split the file")
            continue
        if event.anchor is not None or event.tag is not None:
            _check_event(event, line_offset)  # raises, unless the tag is a harmless '!'
        mark = event.start_mark
        line, column = mark.line + 1 + line_offset, mark.column + 1
        start = positions.get((line, column)) or _shared_position(line, column)

        if kind == _SCALAR:
            value: str = event.value
            style = event.style
            if check_quoted and (style == '"' or style == "'"):
                problem = _unsafe_character(value)
                if problem:  # written as an escape such as "\e" or "\u202E": refused like the raw character
                    raise _LoadError(start, problem[1], problem[2])
            scalar = Scalar(value, not style, start, style in _BLOCK_STYLES)
            if items is not None:
                items.append(scalar)
            elif entries is None:
                if root is None:
                    root = scalar
            elif pending is None:
                if value in entries:
                    first = entries[value].key.start
                    raise _LoadError(start, f"duplicate key '{value}' (first at line {first.line})",
                                     "keep one of the two")
                pending = scalar
            else:
                entries[pending.value] = Entry(pending, scalar)
                pending = None
            continue

        node: MappingNode | SequenceNode
        opened: tuple[MappingNode | SequenceNode, dict[str, Entry] | None, list[Node] | None]
        if kind == _MAPPING:
            node = MappingNode({}, start)
            opened = (node, node.entries, None)
        else:
            node = SequenceNode([], start)
            opened = (node, None, node.items)
        if items is not None:
            items.append(node)
        elif entries is not None:
            if pending is None:
                raise _LoadError(start, "a key must be plain text",
                                 "use a simple word as the key, not a list or mapping")
            entries[pending.value] = Entry(pending, node)
            pending = None
        if len(stack) >= MAX_DEPTH:
            raise _LoadError(start, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
        stack.append(opened)
        _, entries, items = opened
    return root


def parse_yaml(text: str, line_offset: int = 0) -> Node | None:
    """Parse YAML text into a node tree; raises `_LoadError` at the first problem."""
    return _parse(text, line_offset, "\\" in text or _unsafe_character(text) is not None)


def _parse(text: str, line_offset: int, check_quoted: bool) -> Node | None:
    """`parse_yaml`, told whether quoted values must be searched for unsafe characters.

    A quoted value can hold such a character only if the text does, or through an escape (which needs a
    backslash): libyaml turns every line break into a newline and otherwise copies the text. Record files are
    searched whole when read (`_decode`), so only those with a backslash pay for the search of each quoted value.
    """
    parser = yaml.CSafeLoader(text)
    try:
        return _build(iter(parser.get_event, None), line_offset, check_quoted)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        position = _position(mark, line_offset)
        line_text = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
        hint = "indent with spaces, not tabs" if "\t" in line_text else "fix the YAML syntax"
        raise _LoadError(position, f"invalid YAML: {problem}", hint) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports everything as marked errors
        raise _LoadError(Position(1 + line_offset, 1), f"invalid YAML: {exc}") from None
    finally:
        parser.dispose()


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
    if text.isascii() and not data.translate(None, _PLAIN_ASCII):
        return text  # the common case, six times faster than the search below
    if text.startswith("\ufeff"):
        text = text[1:]
    problem = _unsafe_character(text)
    if problem:
        index, message, hint = problem
        raise _LoadError(_line_and_column(text, index), message, hint)
    return text


def _unsafe_character(text: str) -> tuple[int, str, str] | None:
    """The first bidirectional or control character in `text` (index, message, hint), if any."""
    first = _UNSAFE_CHARACTER.search(text)
    if "\r" in text:  # rare: search for a lone CR only then, as it slows the search of every character
        lone_cr = _LONE_CR.search(text, 0, first.start() if first is not None else len(text))
        first = lone_cr or first
    if first is None:
        return None
    code = f"U+{ord(first.group()):04X}"
    if BIDI_CONTROLS.match(first.group()):
        return first.start(), f"bidirectional control character {code} is not allowed", \
            "remove it: it makes text display differently from what it says"
    return first.start(), f"control character {code} is not allowed", "remove it; only tabs and newlines may appear"


def _line_end(text: str, start: int) -> tuple[int, int]:
    """Where the line beginning at `start` ends, and where the next one begins (as str.splitlines() counts)."""
    found = _LINE_BREAK.search(text, start)
    if found is None:
        return len(text), len(text)
    end = found.start()
    return end, end + (2 if text.startswith("\r\n", end) else 1)


def split_front_matter(text: str) -> tuple[str, str | None, int]:
    """Split a Markdown file into its front-matter YAML (line numbers kept) and its body.

    Returns the YAML text, the body, and the 1-based line on which the body starts. Lines are those of
    str.splitlines(), found one at a time: only the front matter is looked at, not the body.
    """
    end, start = _line_end(text, 0)
    if text[:end] != "---" or text[end:start].strip("\r\n"):  # the first line: '---' ended by \n, \r\n or \r
        raise _LoadError(Position(1, 1), "a Markdown record must start with '---' front matter",
                         "put the record's fields between two '---' lines at the top")
    number = 1
    while start < len(text):
        end, after = _line_end(text, start)
        if text[start:end].rstrip() in ("---", "..."):  # every line break is whitespace to rstrip() too
            return text[:start], text[after:], number + 2
        start, number = after, number + 1
    raise _LoadError(Position(1, 1), "front matter is not closed",
                     "end the fields with a line holding only '---'")


def load_file(path: Path, display: str, kind: str, size: int | None = None) -> RawRecord:
    """Read and parse one record file; raises `_LoadError` on the first problem. `size`: from a stat already made."""
    record_id = path.stem
    if record_id in RESERVED_IDS:
        raise _LoadError(Position(1, 1), f"'{record_id}' is reserved for the folder's own page",
                         "choose another file name")
    if not ID_PATTERN.match(record_id):
        raise _LoadError(Position(1, 1), f"file name '{path.name}' is not a valid id",
                         "use lower-case letters, digits and single hyphens, e.g. 2026-02-03-rubio-meeting.yaml")
    if size is None:
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
    root = _parse(yaml_text, 0, "\\" in yaml_text)  # `_decode` has searched the whole text already
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


def _cached_load(folder: Path, name: str, display: str, kind: str, key: str,
                 status: os.stat_result | None) -> RawRecord:
    """`load_file`, or the record parsed before while the file's size and modification time are unchanged.

    `key` is the file's absolute path and `status` its stat (None when it could not be read: the read reports
    why); the file's `Path` is made only to parse it."""
    found = _PARSED.get(key)
    if found is not None and status is not None and found[:3] == (status.st_mtime_ns, status.st_size, display):
        return found[3]
    path = folder / name
    if status is None:
        status = path.stat()
    record = load_file(path, display, kind, status.st_size)
    _PARSED[key] = (status.st_mtime_ns, status.st_size, display, record)
    return record


def _slash(prefix: str) -> str:
    return prefix if prefix.endswith("/") else prefix + "/"


def _walk(root: Path, diagnostics: Diagnostics) -> Iterator[tuple[Path, str, str, str, str]]:
    """Every file below root in a stable order; symlinked folders are refused, dotfiles skipped.

    Yields each file's folder and name, its path relative to root (POSIX), its display path (as `display_path`
    gives it) and its absolute path. Paths are worked out once per folder and joined as strings per file:
    pathlib's operations on each of ten thousand files cost more than parsing some of them (or, under
    `dyad serve`, than finding that none changed).
    """
    cwd = Path.cwd().absolute()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                diagnostics.error(display_path(here / name), Position(1, 1), "symlinked folder is refused",
                                  hint="move the files into content/ instead of linking them")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        relative = here.relative_to(root).as_posix()
        relative_prefix = "" if relative == "." else relative + "/"
        absolute = here.absolute()
        try:  # display_path() of a file in `here`, as in errors.display_path
            shown = absolute.relative_to(cwd).as_posix()
            display_prefix = "" if shown == "." else shown + "/"
        except ValueError:
            display_prefix = _slash(here.as_posix())
        absolute_prefix = _slash(absolute.as_posix())
        for name in sorted(filenames):
            if not name.startswith("."):
                yield here, name, relative_prefix + name, display_prefix + name, absolute_prefix + name


@contextmanager
def collector_paused(settle: bool = True) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while loading, then restore its previous state.

    Loading only adds objects (trees without cycles, freed by reference counting) that live as long as the build.
    With the collector on, its passes over the growing heap of kept nodes cost as much as the parsing (5.6 s
    against 2.9 s for a cold load at 10,000 events). Afterwards they would all still be in the youngest
    generation, and its next pass would walk them once more (0.2 s at 10,000): `freeze()` then `unfreeze()` puts
    them straight into the oldest one, where long-lived objects end up anyway. Done only when nothing else is
    frozen, since `unfreeze()` would release that too, and not with `settle=False` (a caller that freezes what it
    keeps itself).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Only the outermost pause does it: `get_freeze_count()` walks every frozen object (0.16 s under a
        # `dyad serve` of 10,000 events, which pauses the collector around each rebuild itself).
        if settle and enabled and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def load_content(root: Path, folders: Mapping[str, str]) -> LoadedContent:
    """Read every file below `root`: `folders` maps a folder name to the record kind it holds."""
    with collector_paused():
        return _load_content(root, folders)


def _load_content(root: Path, folders: Mapping[str, str]) -> LoadedContent:
    loaded = LoadedContent(root)
    diagnostics = loaded.diagnostics
    if not root.is_dir():
        diagnostics.error(display_path(root), Position(1, 1), "content directory not found",
                          hint="pass the folder that holds dyad.yaml and the record folders")
        return loaded
    config_seen = False
    for folder_path, name, relative, display, absolute in _walk(root, diagnostics):
        loaded.files += 1
        if relative == CONFIG_FILE:
            config_seen = True
        try:
            status: os.stat_result | None = os.lstat(absolute)
        except OSError:
            status = None  # reported below, when the file is read
        if status is not None and stat.S_ISLNK(status.st_mode):
            diagnostics.error(display, Position(1, 1), "symlinked file is refused",
                              hint="copy the file into content/ instead of linking it")
            continue
        folder, _, rest = relative.partition("/")
        if relative == CONFIG_FILE:
            kind = "config"
        elif rest and "/" not in rest and folder in folders and os.path.splitext(name)[1] in RECORD_SUFFIXES:
            kind = folders[folder]
        else:
            where = ", ".join(f"{name}/" for name in folders)
            diagnostics.error(display, Position(1, 1), "Dyad does not know what this file is",
                              hint=f"records are .yaml or .md files directly inside {where}; "
                                   f"site settings go in {CONFIG_FILE}")
            continue
        try:
            record = _cached_load(folder_path, name, display, kind, absolute, status)
        except _LoadError as exc:
            diagnostics.error(display, exc.position, exc.message, hint=exc.hint)
            stem = os.path.splitext(name)[0]
            if kind != "config" and ID_PATTERN.match(stem):
                loaded.failed.append(FailedFile(display, kind, stem))
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
