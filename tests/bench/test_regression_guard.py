"""Regression guard for the benchmark: a quick N = 1,000 run whose ratios may not exceed twice the recorded ones.

Only ratios against references measured in the same run are compared (never an absolute time), so a slow or busy
CI machine does not fail it; a change that makes Dyad grossly slower relative to plain MkDocs or to PyYAML's C
loader does. The baseline is `bench/baseline.json` (`python -m bench.run --write-baseline` records it); the full
benchmark is `make bench`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.run import BASELINE, GUARD_KEYS, quick_ratios

TOLERANCE = 2.0  # fail only when a ratio more than doubles


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    return quick_ratios(tmp_path_factory.mktemp("bench"), n=1000)


@pytest.mark.parametrize("key", GUARD_KEYS)
def test_ratio_is_within_twice_the_recorded_one(measured: dict[str, float], key: str) -> None:
    baseline = json.loads(Path(BASELINE).read_text(encoding="utf-8"))["ratios"]
    limit = TOLERANCE * baseline[key]
    assert measured[key] <= limit, (
        f"{key} is {measured[key]:.2f}, more than {TOLERANCE:g}× the recorded {baseline[key]:.2f}: a gross "
        f"regression (see bench/RESULTS.md for what it measures; re-record with python -m bench.run "
        f"--write-baseline only after an intended change)")
