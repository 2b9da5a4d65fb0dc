"""Any TimelineJS-shaped input imports without crashing, and everything written is readable by `dyad check`: the
only errors left are fields an editor must supply."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.interop.timelinejs_in import TimelineOptions, import_timeline
from generator.pipeline import check

ALLOWED = ("sources: required field is missing", "title: required field is missing",
           "summary: required field is missing")

numbers = st.one_of(st.none(), st.integers(-3000, 12000), st.sampled_from(["", " 7 ", "\t1999\t", "02", "x", "1.5"]),
                    st.floats(allow_nan=True, allow_infinity=True), st.booleans())
dates = st.fixed_dictionaries({"year": numbers}, optional={"month": numbers, "day": numbers, "hour": numbers,
                                                            "display_date": st.text(max_size=5)})
html = st.lists(st.sampled_from(list("ab <>&\"'/=;:\n\t\u202e\x00é") + [
    "<p>", "</p>", "<a href='javascript:x'>", "<a href='https://e.org/(x'>", "</a>", "<script>", "<b>", "<br>",
    "<img src=x>", "```", "[x](y)", "&lt;", "<!--", "*", "_", "#", "- "]), max_size=20).map("".join)
slides = st.fixed_dictionaries(
    {"start_date": st.one_of(dates, st.none(), st.text(max_size=3))},
    optional={"end_date": dates, "text": st.one_of(st.fixed_dictionaries({}, optional={"headline": html,
                                                                                       "text": html}), html),
              "group": st.one_of(html, st.integers()), "unique_id": st.one_of(html, st.integers()),
              "media": st.one_of(st.fixed_dictionaries({"url": st.sampled_from(
                  ["https://e.org/a b", "//e.org/x", "/rel", "javascript:x", "https://e.org/x", ""])}), html),
              "background": st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2)})
documents = st.fixed_dictionaries({"events": st.lists(slides, max_size=6)},
                                  optional={"title": st.fixed_dictionaries({"text": st.fixed_dictionaries(
                                      {}, optional={"headline": html, "text": html})}),
                                      "eras": st.lists(slides, max_size=2)})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_timeline_imports_into_files_dyad_can_read(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        into = Path(folder) / "content"
        report = import_timeline(document, into, TimelineOptions(focus=("northland",)))
        if report.failure:  # nothing importable: nothing written
            assert "no slide could be imported" in report.failure and not into.exists()
            return
        result = check(into)
        problems = [d.format() for d in result.diagnostics.errors]
        assert all(any(allowed in p for allowed in ALLOWED) for p in problems), problems
