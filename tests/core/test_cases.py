"""One bad file per error class (tests/cases/<folder>/<case-id>.*), each with its exact expected diagnostics.

Each case file is dropped into the valid base corpus at content/<folder>/<file name>, with any support files
from tests/cases/_support/<case-id>/ (paths relative to content/), and `dyad check` must print exactly the lines
in <case-id>.expected about that file, and nothing about any other file. Cases whose bytes a text file should
not hold (invalid UTF-8, an invisible bidi control) are written from GENERATED below.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ._helpers import VALID_EVENT, lines_about, report_lines

CASES = Path(__file__).resolve().parent.parent / "cases"
SUPPORT = CASES / "_support"

# Case files written by the test: content-relative path → bytes.
GENERATED: dict[str, bytes] = {
    # 'é' in Latin-1 (0xE9) on line 6, after 'location: caf' (13 characters): column 14.
    "events/not-utf8.yaml": VALID_EVENT.encode("utf-8") + b"location: caf\xe9\n",
    # U+202E RIGHT-TO-LEFT OVERRIDE after 'location: Wash' (14 characters): column 15.
    "events/bidi-override.yaml": (VALID_EVENT + "location: Wash\u202eington\n").encode("utf-8"),
}


@dataclass(frozen=True)
class Case:
    id: str             # e.g. events/status-no
    relative: str       # path under content/, e.g. events/status-no.yaml
    data: bytes
    expected: list[str]

    @property
    def support(self) -> Path:
        return SUPPORT / Path(self.relative).stem


def _case_file(expected: Path) -> tuple[str, bytes]:
    folder = expected.parent.name
    siblings = [p for p in expected.parent.iterdir() if p.stem == expected.stem and p.suffix != ".expected"]
    generated = [rel for rel in GENERATED if rel.startswith(f"{folder}/") and Path(rel).stem == expected.stem]
    found = [(f"{folder}/{p.name}", p.read_bytes()) for p in siblings]
    found += [(rel, GENERATED[rel]) for rel in generated]
    if len(found) != 1:
        raise AssertionError(f"{expected}: expected exactly one case file beside it, found {len(found)}")
    return found[0]


def collect_cases() -> list[Case]:
    cases = []
    for expected in sorted(CASES.glob("*/*.expected")):
        if expected.parent.name.startswith("_"):
            continue
        relative, data = _case_file(expected)
        lines = expected.read_text(encoding="utf-8").splitlines()
        cases.append(Case(f"{expected.parent.name}/{expected.stem}", relative, data, lines))
    return cases


ALL_CASES = collect_cases()


def test_every_case_file_has_an_expected_file() -> None:
    expected_stems = {(p.parent.name, p.stem) for p in CASES.glob("*/*.expected")}
    orphans = [p for p in CASES.glob("*/*") if not p.parent.name.startswith("_") and p.suffix != ".expected"
               and (p.parent.name, p.stem) not in expected_stems]
    assert orphans == []


def test_generated_cases_have_expected_files() -> None:
    missing = [rel for rel in GENERATED if not (CASES / Path(rel).with_suffix(".expected")).is_file()]
    assert missing == []


def test_case_ids_are_unique_across_folders_so_support_trees_are_unambiguous() -> None:
    stems = [Path(case.relative).stem for case in ALL_CASES]
    assert len(stems) == len(set(stems))


def test_every_support_tree_belongs_to_a_case() -> None:
    stems = {Path(case.relative).stem for case in ALL_CASES}
    assert sorted(p.name for p in SUPPORT.iterdir() if p.name not in stems) == []


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_case_reports_exactly_its_expected_diagnostics(case: Case, make_content, run_check) -> None:
    root = make_content({})
    if case.support.is_dir():
        shutil.copytree(case.support, root, dirs_exist_ok=True)
    target = root / case.relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.data)

    result = run_check()

    display = f"content/{case.relative}"
    assert lines_about(result, display) == case.expected
    assert [line for line in report_lines(result) if not line.startswith(display + ":")] == []
    assert case.expected, "a case must expect at least one diagnostic"
    assert result.ok is not any(": error: " in line for line in case.expected)
