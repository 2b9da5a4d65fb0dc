"""Dyad's benchmark: a synthetic corpus generator (`synth`) and the measurement driver (`run`). Kept apart from
the tests; `make bench` runs it, `tests/bench/` guards its ratios against gross regressions."""
