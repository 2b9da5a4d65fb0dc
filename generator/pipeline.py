"""The one pipeline the CLI and the MkDocs plugin both call: load → model → resolve.

Entry point: `check()`, which returns the resolved corpus (or None when any error was found) with every
diagnostic. Building the site on top of it is `build.py`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus, resolve
from .errors import Diagnostics
from .load import load_content
from .model import FOLDERS, KINDS, Record, RecordMeta, SiteConfig, Unchecked, build_record


@dataclass
class CheckResult:
    corpus: Corpus | None
    diagnostics: Diagnostics
    files: int

    @property
    def ok(self) -> bool:
        return self.corpus is not None and not self.diagnostics.errors


def check(content_dir: Path) -> CheckResult:
    """Load, validate and resolve a content directory, collecting every problem."""
    loaded = load_content(content_dir, FOLDERS)
    diagnostics = loaded.diagnostics
    records: list[Record] = []
    for raw in loaded.records:
        records.append(build_record(raw, diagnostics))
    for failed in loaded.failed:
        cls = KINDS[failed.kind]
        records.append(Unchecked(id=failed.id, meta=RecordMeta(failed.display, {}, ()), of_kind=cls.kind,
                                 of_folder=cls.folder))
    config = build_record(loaded.config, diagnostics) if loaded.config is not None else None
    if not isinstance(config, SiteConfig):
        return CheckResult(None, diagnostics, loaded.files)
    corpus = resolve(records, config, diagnostics)
    return CheckResult(corpus if not diagnostics.errors else None, diagnostics, loaded.files)
