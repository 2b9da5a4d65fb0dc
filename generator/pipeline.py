"""The one pipeline the CLI and the MkDocs plugin both call: load → model → resolve.

Entry point: `check()`, which returns the resolved corpus (or None when any error was found) with every
diagnostic. Building the site on top of it is `build.py`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Corpus, resolve
from .errors import Diagnostics
from .load import RawRecord, collector_paused, load_content
from .model import FOLDERS, KINDS, Record, RecordMeta, SiteConfig, Unchecked, build_record


@dataclass
class CheckResult:
    corpus: Corpus | None
    diagnostics: Diagnostics
    files: int

    @property
    def ok(self) -> bool:
        return self.corpus is not None and not self.diagnostics.errors


@dataclass
class ModelMemo:
    """Typed records kept between checks of one content directory (`dyad serve`): a file the loader did not
    parse again (the same `RawRecord` object) keeps its record object, so a rebuild can tell what changed by
    identity, and its warnings are reported again without validating it again."""

    built: dict[str, tuple[RawRecord, Record, Diagnostics]] = field(default_factory=dict)

    def build(self, raw: RawRecord, diagnostics: Diagnostics) -> Record:
        found = self.built.get(raw.display)
        if found is not None and found[0] is raw:
            diagnostics.extend(found[2])
            return found[1]
        own = Diagnostics()
        record = build_record(raw, own)
        self.built[raw.display] = (raw, record, own)
        diagnostics.extend(own)
        return record

    def forget_missing(self, present: set[str]) -> None:
        for display in [d for d in self.built if d not in present]:
            del self.built[display]


def check(content_dir: Path, memo: ModelMemo | None = None) -> CheckResult:
    """Load, validate and resolve a content directory, collecting every problem. With a `memo`, files the
    loader did not parse again keep their typed records."""
    with collector_paused():  # models and resolves add long-lived objects only (see load.collector_paused)
        return _check(content_dir, memo)


def _check(content_dir: Path, memo: ModelMemo | None) -> CheckResult:
    loaded = load_content(content_dir, FOLDERS)
    diagnostics = loaded.diagnostics
    records: list[Record] = []
    build = memo.build if memo is not None else build_record
    for raw in loaded.records:
        records.append(build(raw, diagnostics))
    if memo is not None:  # a deleted or renamed file's record goes
        memo.forget_missing({raw.display for raw in loaded.records} | {c.display for c in [loaded.config] if c})
    for failed in loaded.failed:
        cls = KINDS[failed.kind]
        records.append(Unchecked(id=failed.id, meta=RecordMeta(failed.display, {}, ()), of_kind=cls.kind,
                                 of_folder=cls.folder))
    config = build(loaded.config, diagnostics) if loaded.config is not None else None
    if not isinstance(config, SiteConfig):
        return CheckResult(None, diagnostics, loaded.files)
    corpus = resolve(records, config, diagnostics)
    return CheckResult(corpus if not diagnostics.errors else None, diagnostics, loaded.files)
