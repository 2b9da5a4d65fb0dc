"""`dyad import timelinejs`: real TimelineJS files and the shapes people write become fact files Dyad accepts,
and what cannot be mapped is reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.build import prepare_site
from generator.errors import display_path
from generator.interop.timelinejs_in import TimelineOptions, import_timeline
from generator.markdown import scan_body
from generator.pipeline import check

from .conftest import REFERENCE, REFERENCE_FILES, requires_reference, run


def slides(data: dict[str, Any]) -> int:
    return len(data["events"]) + len(data.get("eras", []))


def add_missing_sources(root: Path) -> None:
    """Do what `dyad check` asks an editor to do: give every event without a source one."""
    source = root / "sources" / "editor-added.yaml"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("title: Added by an editor\npublisher: Newsroom\nurl: https://example.org/\nkind: news\n",
                      encoding="utf-8")
    for path in (root / "events").iterdir():
        text = path.read_text(encoding="utf-8")
        if "\nsources:" in text:
            continue
        if path.suffix == ".md":
            front, _, body = text[len("---\n"):].partition("---\n")
            text = f"---\n{front}sources: [editor-added]\n---\n{body}"
        else:
            text += "sources: [editor-added]\n"
        path.write_text(text, encoding="utf-8")


@requires_reference()
@pytest.mark.parametrize("reference", REFERENCE_FILES, ids=lambda p: p.name)
def test_every_reference_slide_becomes_an_event_and_the_site_builds(reference: Path, tmp_path: Path) -> None:
    data = json.loads(reference.read_text(encoding="utf-8"))
    into = tmp_path / "content"
    report = import_timeline(data, into, TimelineOptions(focus=("northland",), origin=reference.name))
    assert not report.failure
    events = sorted((into / "events").iterdir())
    duplicates = sum(1 for line in report.lines() if "same as an event" in line)
    assert len(events) == slides(data) - duplicates
    result = check(into)
    problems = {d.format() for d in result.diagnostics.errors}
    # Only what an editor must supply is missing: sources, and titles where a slide has no words at all.
    assert all("sources: required field is missing" in p or "title: required" in p or "summary: required" in p
               for p in problems), problems
    for path in events:  # every body the importer wrote passes Dyad's body rules
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            assert scan_body(text.split("---\n", 2)[2]).problems == []
    # Once an editor adds what check asks for, the imported corpus builds into a site.
    add_missing_sources(into)
    for path in (into / "events").iterdir():
        text = path.read_text(encoding="utf-8")
        if "\ntitle:" not in text and not text.startswith("title:"):
            path.write_text(text.replace("\ndate:", '\ntitle: "Untitled"\nsummary: "Added."\ndate:', 1),
                            encoding="utf-8")
    prepared = prepare_site(into, site_url="https://example.org/")
    assert prepared.ok, prepared.diagnostics.report(prepared.files)
    assert len([p for p in prepared.pages if p.src_uri.startswith("events/")]) == len(events)


@requires_reference()
def test_dates_keep_their_precision_and_eras_become_spans(tmp_path: Path) -> None:
    data = json.loads((REFERENCE / "eras.json").read_text(encoding="utf-8"))
    import_timeline(data, tmp_path, TimelineOptions(focus=("northland",)))
    war = (tmp_path / "events" / "0602-last-great-roman-persian-war.yaml").read_text(encoding="utf-8")
    assert "\ndate: 0602\nend: 0629\n" in war  # year-only strings with tabs around them: a year
    hijra = (tmp_path / "events" / "0622-08-09-muhammad-migrates-from-mecca-to-medina.yaml").read_text("utf-8")
    assert "\ndate: 0622-08-09\nend: 0622-08-23\n" in hijra
    era = (tmp_path / "events" / "0600-era-test-600-650.yaml").read_text(encoding="utf-8")
    assert 'title: "Era Test 600-650"' in era and "\ndate: 0600\nend: 0650\n" in era
    assert "sources: [en-wikipedia-org-roman-persian-wars]" in war  # media URL → source


@requires_reference()
def test_media_become_sources_and_groups_tracks(tmp_path: Path) -> None:
    data = json.loads((REFERENCE / "example-timeline3.json").read_text(encoding="utf-8"))
    data["events"][1]["group"] = "Music & Film"
    report = import_timeline(data, tmp_path, TimelineOptions(focus=("northland",)))
    first = (tmp_path / "events" / "1978-first-recording.yaml").read_text(encoding="utf-8")
    assert "tracks: [music-film]" in first and "sources: [youtu-be-fsro91xo1ck]" in first
    source = (tmp_path / "sources" / "youtu-be-fsro91xo1ck.yaml").read_text(encoding="utf-8")
    assert 'url: "https://youtu.be/fSrO91XO1Ck"' in source and 'publisher: "Unidisc Music"' in source
    assert '{id: music-film, title: "Music & Film"}' in (tmp_path / "dyad.yaml").read_text(encoding="utf-8")
    # a protocol-relative media URL is https; a site-relative one cannot be a source without --base-url
    assert "sources: [upload-wikimedia-org-abc-good-morning-america]" in (
        tmp_path / "events" / "2002-crack-is-whack.yaml").read_text(encoding="utf-8")
    assert any("not a web address" in line and "events[0]" in line for line in report.lines())


@requires_reference()
def test_the_report_names_what_could_not_be_mapped(tmp_path: Path) -> None:
    data = json.loads((REFERENCE / "marktwain.json").read_text(encoding="utf-8"))
    lines = "\n".join(import_timeline(data, tmp_path, TimelineOptions()).lines())
    for expected in ("time of day dropped", "map coordinates dropped", "background dropped",
                     "no headline and no text: add a title and a summary", "no headline: the title is the start",
                     "add 'focus:'"):
        assert expected in lines


def test_html_is_made_safe_and_the_first_paragraph_is_the_summary(tmp_path: Path) -> None:
    data = {"events": [{
        "start_date": {"year": 2024, "month": "3", "day": "", "hour": ""},
        "text": {"headline": "AT&amp;T &lt;Q1&gt;<script>alert(1)</script>",
                 "text": "<p>It happened.</p><p>More, with <a href='javascript:alert(1)'>a trap</a> and "
                         "<a href='https://example.org/x'>a link</a>.</p><img src=x onerror=alert(1)>"},
        "media": {"url": "javascript:alert(1)"},
        "unique_id": "Not An Id!",
    }]}
    report = import_timeline(data, tmp_path, TimelineOptions(focus=("northland",)))
    [path] = (tmp_path / "events").iterdir()
    assert path.name == "2024-03-at-t-q1.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "AT&T <Q1>"' in text and "\ndate: 2024-03\n" in text and 'summary: "It happened."' in text
    body = text.split("---\n", 2)[2]
    assert body.strip() == "More, with a trap and [a link](https://example.org/x)."
    assert scan_body(body).problems == []
    lines = "\n".join(report.lines())
    assert "javascript:alert(1)" in lines and "not a web address" in lines and "unique_id 'Not An Id!'" in lines


@pytest.mark.parametrize("start, expected, note", [
    ({"year": "1999"}, "1999", ""),
    ({"year": 1999.0, "month": 12}, "1999-12", ""),
    ({"year": "\t2001\t", "month": "02", "day": "30"}, "2001-02", "day is not in its month"),
    ({"year": "2001", "month": "13"}, "2001", "month is not 1 to 12"),
    ({"year": "2001", "day": "5"}, "2001", "a day without a month"),
    ({"year": "2001", "display_date": "Spring 2001"}, "2001", "display_date dropped"),
    ({"year": "-500"}, None, "outside what a Dyad date holds"),
    ({"year": "circa 1900"}, None, "is not a number"),
    ({"month": "3"}, None, "has no year"),
])
def test_dates_as_people_write_them(tmp_path: Path, start: dict[str, Any], expected: str | None,
                                    note: str) -> None:
    data = {"events": [{"start_date": start, "text": {"headline": "A thing", "text": "It happened."}}]}
    report = import_timeline(data, tmp_path, TimelineOptions(focus=("northland",)))
    files = list((tmp_path / "events").iterdir()) if (tmp_path / "events").is_dir() else []
    if expected is None:
        assert files == []
    else:
        [path] = files
        assert f"\ndate: {expected}\n" in path.read_text(encoding="utf-8")
    assert note in "\n".join(report.lines())


def test_into_an_existing_corpus_reuses_sources_and_names_undeclared_tracks(make_content: Any,
                                                                            tmp_path: Path) -> None:
    root = make_content()
    data = {"events": [
        {"start_date": {"year": "2020"}, "text": {"headline": "One", "text": "First."}, "group": "Trade",
         "media": {"url": "https://example.org/s1"}},
        {"start_date": {"year": "2021"}, "text": {"headline": "Two", "text": "Second."}, "group": "Energy"},
    ]}
    report = import_timeline(data, root, TimelineOptions(focus=("ignored",)))
    one = (root / "events" / "2020-one.yaml").read_text(encoding="utf-8")
    assert "tracks: [trade]" in one and "sources: [s1]" in one  # the folder's track by title, its source by URL
    assert not (root / "sources").joinpath("example-org-s1.yaml").exists()
    lines = "\n".join(report.lines())
    assert "declare track 'energy'" in lines and "--focus ignored" in lines
    result = check(root)
    messages = [d.format() for d in result.diagnostics.errors]
    assert any("2021-two.yaml" in m and "track 'energy' is not declared" in m for m in messages) or any(
        "2021-two.yaml" in m and "sources" in m for m in messages)


def test_existing_files_are_kept_unless_overwrite(tmp_path: Path) -> None:
    data = {"events": [{"start_date": {"year": "2020"}, "text": {"headline": "One", "text": "First."}}]}
    import_timeline(data, tmp_path, TimelineOptions(focus=("northland",)))
    path = tmp_path / "events" / "2020-one.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    again = import_timeline(data, tmp_path, TimelineOptions(focus=("northland",)))
    assert path in again.kept and path.read_text(encoding="utf-8").endswith("# edited\n")
    import_timeline(data, tmp_path, TimelineOptions(focus=("northland",), overwrite=True))
    assert not path.read_text(encoding="utf-8").endswith("# edited\n")


@pytest.mark.parametrize("data", [[], {"title": {}}, {"events": "x"}, "text"])
def test_a_file_that_is_not_timelinejs_is_refused(tmp_path: Path, data: Any) -> None:
    assert "not a TimelineJS 3 file" in import_timeline(data, tmp_path).failure
    assert not tmp_path.joinpath("dyad.yaml").exists()


def test_odd_slides_do_not_stop_the_import(tmp_path: Path) -> None:
    data = {"events": [
        "not an object", {"text": {"headline": "No date"}},
        {"start_date": {"year": "2001"}, "end_date": {"year": "1999"}, "text": {"headline": "Backwards"}},
        {"start_date": {"year": "2001"}, "text": "not an object", "media": "not an object", "group": "",
         "unique_id": 7, "autolink": False, "extra": "x"},
        {"start_date": {"year": "2002"}, "text": {"headline": "", "text": ""}, "group": "政治"},
    ]}
    report = import_timeline(data, tmp_path, TimelineOptions(focus=("northland",)))
    lines = "\n".join(report.lines())
    for expected in ("is not an object; not imported", "has no start_date", "end_date is before start_date",
                     "media is not an object", "not a TimelineJS slide field", "no headline and no text",
                     "has no letters an id can use"):
        assert expected in lines
    assert len(list((tmp_path / "events").iterdir())) == 3


def test_cli_reports_and_runs_check_file_by_file(tmp_path: Path) -> None:
    source = tmp_path / "t.json"
    source.write_text(json.dumps({"title": {"text": {"headline": "Ties"}}, "events": [
        {"start_date": {"year": "2020"}, "text": {"headline": "No source", "text": "Happened."}}]}),
        encoding="utf-8")
    into = tmp_path / "content"
    result = run("import", "timelinejs", source, "--into", into, "--focus", "northland", "--track", "diplomacy")
    assert result.exit_code == 0, result.output
    event = display_path(into / "events" / "2020-no-source.yaml")
    assert f"{event}:3:1: error: sources: required field is missing" in result.output
    assert "1 errors to fix before the site builds" in result.output
    assert "{id: diplomacy" in (into / "dyad.yaml").read_text(encoding="utf-8")


def test_cli_refuses_what_is_not_json(tmp_path: Path) -> None:
    source = tmp_path / "t.json"
    source.write_text("{not json", encoding="utf-8")
    result = run("import", "timelinejs", source, "--into", tmp_path / "c")
    assert result.exit_code == 1 and "t.json:1:2: not JSON" in result.output
    assert run("import", "timelinejs", source, "--into", tmp_path / "c", "--focus", "Not Id").exit_code == 2
