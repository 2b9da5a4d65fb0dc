"""`urls.relative` computes links by string arithmetic; it must give exactly what `posixpath.relpath` gave."""

from __future__ import annotations

import posixpath

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.render.urls import relative


def relpath_relative(from_url: str, to_url: str) -> str:
    """The implementation `relative` replaced, kept as the reference."""
    target, _, fragment = to_url.partition("#")
    if fragment and target == from_url:
        return f"#{fragment}"
    here = from_url.rstrip("/") or "."
    there = target.rstrip("/") or "."
    path = posixpath.relpath(there, here) if here != "." else there
    if target.endswith("/") or target == "":
        path = "./" if path == "." else path + "/"
    return path + (f"#{fragment}" if fragment else "")


# Few segment names, so generated URLs often share folders (the interesting case).
SEGMENT = st.sampled_from(["events", "people", "tracks", "trade", "a", "b", "2026", "x-y", "data", "dyad.json"])
DIRECTORY = st.lists(SEGMENT, max_size=4).map(lambda parts: "".join(f"{p}/" for p in parts))  # "" is the home page
FILE = st.lists(SEGMENT, min_size=1, max_size=4).map("/".join)  # data/dyad.json, feed.xml
FRAGMENT = st.sampled_from(["", "#s1", "#top", "#"])
TARGET = st.tuples(st.one_of(DIRECTORY, FILE), FRAGMENT).map("".join)
# Paths the site never makes, which must still come out as relpath made them.
ODD = st.lists(st.sampled_from(["a", "b", ".", "..", "", "events"]), max_size=4).map("/".join)
ODD_TARGET = st.tuples(ODD, st.sampled_from(["", "/"]), FRAGMENT).map("".join)


@given(DIRECTORY, TARGET)
@settings(max_examples=2000)
@example("events/a/", "events/a/#s1")
@example("events/a/", "events/a/")
@example("", "")
@example("sources/", "sources/#s1")
@example("events/a/", "events/ab/")
def test_site_urls_link_as_relpath_linked_them(from_url: str, to_url: str) -> None:
    assert relative(from_url, to_url) == relpath_relative(from_url, to_url)


@given(st.one_of(DIRECTORY, ODD_TARGET), st.one_of(TARGET, ODD_TARGET))
@settings(max_examples=1000)
@example("/abs/", "events/a/")
@example("a/../b/", "b/c/")
@example("./", "a/")
@example("a//b/", "a/c")
def test_other_paths_link_as_relpath_linked_them(from_url: str, to_url: str) -> None:
    assert relative(from_url, to_url) == relpath_relative(from_url, to_url)
