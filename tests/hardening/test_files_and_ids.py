"""Files and ids: symlinks out of content/ and site_src/, path-like and look-alike ids, two records for one URL,
unknown keys and unknown references. Every case ends (a): refused at its place, the previous site untouched.

Builds on tests/core/test_load.py (a symlinked file and folder inside tmp_path) and tests/cases/ (Bad_Name,
yaml-and-md, people/india, dangling-actor, unknown-field) with the variants those leave out.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import prepare_site
from generator.cli import main as dyad_cli
from generator.plugin import build_site
from generator.render import urls
from tests.core._helpers import VALID_EVENT

from .conftest import MINI, PreviousSite, Refusal, hardening_project, staging_leftovers, tree_bytes

FRONT = "---\n" + VALID_EVENT + "---\n"


# ---------------------------------------------------------------------------------------------------- content symlinks


@pytest.mark.parametrize(("name", "make_link", "at", "message"), [
    ("file-to-etc-passwd", lambda root, outside: os.symlink("/etc/passwd", root / "events" / "passwd.yaml"),
     "content/events/passwd.yaml:1:1", "symlinked file is refused"),
    ("file-relative-out-of-the-repository",
     lambda root, outside: os.symlink("../../outside/event.yaml", root / "events" / "outside.yaml"),
     "content/events/outside.yaml:1:1", "symlinked file is refused"),
    ("dangling-file", lambda root, outside: os.symlink(outside / "nowhere.yaml", root / "events" / "gone.yaml"),
     "content/events/gone.yaml:1:1", "symlinked file is refused"),
    ("folder-to-etc", lambda root, outside: os.symlink("/etc", root / "events" / "etc"),
     "content/events/etc:1:1", "symlinked folder is refused"),
    ("folder-loop", lambda root, outside: os.symlink(root / "events", root / "events" / "loop"),
     "content/events/loop:1:1", "symlinked folder is refused"),
    ("settings-file", lambda root, outside: (os.replace(root / "dyad.yaml", outside / "dyad.yaml"),
                                             os.symlink(outside / "dyad.yaml", root / "dyad.yaml")),
     "content/dyad.yaml:1:1", "symlinked file is refused"),
], ids=lambda v: v if isinstance(v, str) and "/" not in v and " " not in v else None)
def test_a_symlink_in_content_is_refused_where_it_sits(name: str, make_link, at: str, message: str,
                                                       refusal: Refusal) -> None:
    root = refusal.write({"events/real.yaml": VALID_EVENT})
    outside = refusal.tmp_path / "outside"
    outside.mkdir()
    (outside / "event.yaml").write_text(VALID_EVENT, encoding="utf-8")
    make_link(root, outside)
    refusal.assert_refused(at, message)


def test_a_symlinked_content_file_is_never_read(refusal: Refusal) -> None:
    """The target's text must not appear anywhere: not in a diagnostic, not in a record."""
    root = refusal.write({})
    secret = refusal.tmp_path / "secret.yaml"
    secret.write_text("title: TOP-SECRET\nsummary: TOP-SECRET\n", encoding="utf-8")
    (root / "events").mkdir()
    os.symlink(secret, root / "events" / "secret.yaml")
    result = refusal.check()
    assert "TOP-SECRET" not in "\n".join(d.format() for d in result.diagnostics.items)
    assert result.corpus is None


# ---------------------------------------------------------------------------------------------------- site_src symlinks


def _fails_naming(project_config: Path, previous: PreviousSite, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                  expected: str) -> None:
    site = previous.copy_to(tmp_path / "site")
    caplog.clear()
    with caplog.at_level(logging.WARNING), pytest.raises(SystemExit):
        build_site(project_config, site)
    assert expected in caplog.text, caplog.text
    assert tree_bytes(site) == previous.snapshot
    assert staging_leftovers(tmp_path) == []


@pytest.mark.parametrize(("name", "link", "target"), [
    ("page-to-a-file-outside", "leak.md", "{outside}/secret.md"),
    ("page-relative-out-of-the-repository", "leak.md", "../../outside/secret.md"),
    ("folder-outside", "leaked", "{outside}"),
    ("asset-to-etc-passwd", "assets/passwd.js", "/etc/passwd"),
    ("nested-page", "assets/deeper/leak.md", "{outside}/secret.md"),
])
def test_a_symlink_in_site_src_pointing_outside_the_repository_fails_the_build_naming_the_link(
        name: str, link: str, target: str, tmp_path: Path, previous_site: PreviousSite,
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n\nTOP-SECRET\n", encoding="utf-8")
    config = hardening_project(tmp_path / "project")
    path = tmp_path / "project" / "site_src" / link
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target.format(outside=outside), path)
    monkeypatch.chdir(tmp_path / "project")
    _fails_naming(config, previous_site, tmp_path, caplog,
                  f"site_src/{link}:1:1: error: symlink points outside the project")


def test_a_symlink_reached_through_a_symlinked_folder_of_site_src_is_refused_too(
        tmp_path: Path, previous_site: PreviousSite, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n\nTOP-SECRET\n", encoding="utf-8")
    config = hardening_project(tmp_path / "project")
    notes = tmp_path / "project" / "notes"
    notes.mkdir()
    os.symlink(outside / "secret.md", notes / "leak.md")
    os.symlink("../notes", tmp_path / "project" / "site_src" / "inner")
    monkeypatch.chdir(tmp_path / "project")
    _fails_naming(config, previous_site, tmp_path, caplog, "symlink points outside the project")


# ---------------------------------------------------------------------------------------------------- path-like ids


@pytest.mark.parametrize(("name", "files", "at", "message"), [
    ("related", {"events/a.yaml": VALID_EVENT + "related: [../../etc/x]\n"}, "content/events/a.yaml:6:11",
     "'../../etc/x' is not a valid id"),
    ("actor", {"events/a.yaml": VALID_EVENT + "actors: [../../etc/passwd]\n"}, "content/events/a.yaml:6:10",
     "'../../etc/passwd' is not a valid id"),
    ("absolute-about", {"events/a.yaml": VALID_EVENT + "about: [/etc/x]\n"}, "content/events/a.yaml:6:9",
     "'/etc/x' is not a valid id"),
    ("citation", {"events/a.yaml": VALID_EVENT.replace("[s1]", "[{id: ../s1}]")}, "content/events/a.yaml:5:16",
     "'../s1' is not a valid id"),
    ("windows-style", {"events/a.yaml": VALID_EVENT + "related: ['..\\..\\x']\n"}, "content/events/a.yaml:6:11",
     "is not a valid id"),
    ("url-encoded", {"events/a.yaml": VALID_EVENT + "related: ['%2e%2e%2fx']\n"}, "content/events/a.yaml:6:11",
     "is not a valid id"),
    ("focus", {"dyad.yaml": "title: T\nfocus: [../india]\nas_of: 2026-11-24\ntracks: [{id: trade, title: Trade}]\n"},
     "content/dyad.yaml:2:9", "'../india' is not a valid id"),
    ("track-id", {"dyad.yaml": "title: T\nfocus: [india]\nas_of: 2026-11-24\ntracks: [{id: ../x, title: X}]\n"},
     "content/dyad.yaml:4:15", "'../x' is not a valid id"),
    ("body-record-link", {"events/a.md": FRONT + "See [x](event:../../etc/x).\n"}, "content/events/a.md:8:9",
     "link 'event:../../etc/x' is not allowed"),
    ("body-relative-link", {"events/a.md": FRONT + "See [x](../../etc/x).\n"}, "content/events/a.md:8:9",
     "link '../../etc/x' is not allowed"),
])
def test_a_path_like_id_is_refused_where_it_is_written(name: str, files: dict[str, str], at: str, message: str,
                                                       refusal: Refusal) -> None:
    refusal.write(files)
    refusal.assert_refused(at, message)


@pytest.mark.parametrize("record_id", ["../../etc/x", "/tmp/x", "..", "a/../../b", "Event", "\u0435vent"])
def test_dyad_new_refuses_a_path_like_or_look_alike_id_and_writes_nothing(record_id: str, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    result = CliRunner().invoke(dyad_cli, ["new", "event", record_id, "--content", "content"])
    assert result.exit_code == 2, result.output
    assert "RECORD_ID" in result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["content"]


def test_a_path_like_id_in_a_dyad_block_of_site_src_fails_the_build_at_the_pages_line(
        tmp_path: Path, previous_site: PreviousSite, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = hardening_project(tmp_path / "project")
    (tmp_path / "project" / "site_src" / "extra.md").write_text(
        "# Extra\n\n```dyad\nshow: events\nactor: ../../etc/x\n```\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "project")
    _fails_naming(config, previous_site, tmp_path, caplog,
                  "site_src/extra.md:5:8: error: actor: '../../etc/x' is not a valid id")


# ---------------------------------------------------------------------------------------------------- look-alike ids


@pytest.mark.parametrize("name", ["Event.yaml", "EVENT.md", "\u0435vent.yaml", "\uff45vent.yaml", "evént.yaml",
                                  "event\u200b.yaml", "２０２６-meeting.yaml", "event .yaml"],
                         ids=["upper-first", "all-upper", "cyrillic-e", "full-width-e", "accented", "zero-width-space",
                              "full-width-digits", "trailing-space"])
def test_a_file_name_differing_only_in_case_or_by_a_look_alike_is_refused_beside_the_real_one(
        name: str, refusal: Refusal) -> None:
    refusal.write({"events/event.yaml": VALID_EVENT, f"events/{name}": VALID_EVENT})
    result = refusal.assert_refused(f"content/events/{name}:1:1", f"file name '{name}' is not a valid id")
    assert [d.path for d in result.diagnostics.errors] == [f"content/events/{name}"]


@pytest.mark.parametrize(("reference", "column"), [("\u0435vent", 11), ("Event", 11), ("ev\u0435nt", 11),
                                                   ("event\u00a0", 11)])
def test_a_reference_by_a_look_alike_id_is_refused_not_resolved(reference: str, column: int,
                                                                refusal: Refusal) -> None:
    refusal.write({"events/event.yaml": VALID_EVENT,
                   "events/other.yaml": VALID_EVENT + f'related: ["{reference}"]\n'})
    refusal.assert_refused(f"content/events/other.yaml:6:{column}", "is not a valid id")


def test_a_body_link_by_a_look_alike_id_is_refused_on_its_line(refusal: Refusal) -> None:
    """The message shows the link percent-encoded (`event:%D0%B5vent`), which makes the look-alike visible; the
    column falls back to 1 because that spelling is not in the file."""
    refusal.write({"events/event.yaml": VALID_EVENT, "events/other.md": FRONT + "See [it](event:\u0435vent).\n"})
    refusal.assert_refused("content/events/other.md:8:", "link 'event:%D0%B5vent' is not allowed")


@pytest.mark.parametrize(("key", "hint"), [("t\u0456tle", "did you mean 'title'?"), ("Title", "did you mean 'title'?"),
                                           ("title\u200b", "did you mean 'title'?")],
                         ids=["cyrillic-i", "capital", "zero-width-space"])
def test_a_look_alike_field_name_is_an_unknown_field_with_a_hint(key: str, hint: str, refusal: Refusal) -> None:
    refusal.write({"events/a.yaml": VALID_EVENT.replace("title:", f"{key}:")})
    result = refusal.assert_refused("content/events/a.yaml:1:1", "unknown field")
    lines = [d.format() for d in result.diagnostics.errors]
    assert any(hint in line and f"{key}: unknown field" in line for line in lines), lines
    assert any("title: required field is missing" in line for line in lines), lines


# ---------------------------------------------------------------------------------------------------- one URL, two records


def test_a_yaml_and_a_markdown_file_for_one_id_are_refused_even_when_one_of_them_is_invalid(
        refusal: Refusal) -> None:
    refusal.write({"events/meeting.yaml": VALID_EVENT, "events/meeting.md": FRONT.replace("title:", "titel:")})
    refusal.assert_refused("content/events/meeting.yaml:1:1",
                           "two records map to /events/meeting/ (also content/events/meeting.md)")


@pytest.mark.parametrize(("first", "second"), [("sources/meeting.yaml", "events/meeting.yaml"),
                                               ("series/meeting.yaml", "events/meeting.yaml"),
                                               ("events/meeting.md", "people/meeting.yaml")])
def test_one_id_in_two_kinds_is_refused(first: str, second: str, refusal: Refusal) -> None:
    contents = {"sources/meeting.yaml": "title: A\npublisher: P\nurl: https://example.org/m\nkind: news\n",
                "series/meeting.yaml": "title: S\nunit: u\nfrequency: year\npoints:\n"
                                       "  - {period: 2020, value: 1, source: s1}\n",
                "events/meeting.yaml": VALID_EVENT, "events/meeting.md": FRONT + "Body.\n",
                "people/meeting.yaml": "name: P\nsources: [s1]\n"}
    refusal.write({first: contents[first], second: contents[second]})
    later = sorted([first, second])[1]
    refusal.assert_refused(f"content/{later}:1:1", "id 'meeting' is already used by the")


def _with_extra(tmp_path: Path, files: dict[str, str]) -> Path:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    for relative, text in files.items():
        (content / relative).write_text(text, encoding="utf-8")
    return content


@pytest.mark.parametrize(("name", "files"), [
    ("person", {"people/index.yaml": "name: Index Person\nsources: [gazette-2025-summit]\n"}),
    ("series", {"series/index.yaml": "title: I\nunit: u\nfrequency: year\npoints:\n"
                                     "  - {period: 2024, value: 1, source: stats-office-trade}\n"}),
    ("event", {"events/index.yaml": "title: I\ndate: 2024\nsummary: s\ntracks: [trade]\n"
                                    "sources: [stats-office-trade]\n"}),
])
def test_a_record_whose_id_is_index_is_refused_or_gets_its_own_url(name: str, files: dict[str, str],
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    prepared = prepare_site(_with_extra(tmp_path, files))
    if not prepared.ok:  # (a): refused at the file
        [relative] = files
        assert any(d.format().startswith(f"content/{relative}:1:1: error: ") for d in prepared.diagnostics.errors)
        return
    assert prepared.renderer is not None
    uris = Counter(page.src_uri for page in prepared.pages)
    assert [uri for uri, count in uris.items() if count > 1] == [], "two pages for one URL"
    published = {page.url for page in prepared.pages}
    for record in prepared.renderer.corpus.records.values():
        url = urls.record_url(record).partition("#")[0]
        assert url in published, f"{record.kind} {record.id} links to /{url}, which no page has"


def test_two_sources_with_the_same_url_are_accepted_as_two_records(refusal: Refusal) -> None:
    """Documents what holds: `url` is not a key (a paper and its copy may share one); README names no such rule."""
    refusal.write({"sources/s2.yaml": "title: B\npublisher: P\nurl: https://example.org/s1\nkind: news\n",
                   "events/a.yaml": VALID_EVENT.replace("[s1]", "[s1, s2]")})
    assert refusal.check().ok


# ---------------------------------------------------------------------------------------------------- unknown keys and references


@pytest.mark.parametrize(("name", "files", "at", "message"), [
    ("in-a-citation", {"events/a.yaml": VALID_EVENT.replace("[s1]", "[{id: s1, page: 4}]")},
     "content/events/a.yaml:5:20", "sources[0].page: unknown field"),
    ("in-a-note", {"events/a.yaml": VALID_EVENT + "notes:\n  - {text: x, sources: [s1], author: me}\n"},
     "content/events/a.yaml:7:30", "notes[0].author: unknown field"),
    ("in-a-role", {"people/p.yaml": "name: P\nsources: [s1]\nroles:\n  - {title: T, sources: [s1], since: 2020}\n"},
     "content/people/p.yaml:4:31", "roles[0].since: unknown field (allowed: title, organization, from, to, sources)"),
    ("in-a-track", {"dyad.yaml": "title: T\nfocus: [india]\nas_of: 2026-11-24\n"
                                 "tracks: [{id: trade, title: Trade, colour: red}]\n"},
     "content/dyad.yaml:4:36", "tracks[0].colour: unknown field"),
    ("merge-key", {"events/a.yaml": VALID_EVENT + "<<: {location: x}\n"}, "content/events/a.yaml:6:1",
     "<<: unknown field"),
    ("quoted-with-space", {"events/a.yaml": VALID_EVENT + '"location ": x\n'}, "content/events/a.yaml:6:1",
     "location : unknown field (did you mean 'location'?)"),
    ("in-a-derivation", {"series/d.yaml": "title: D\nunit: u\nfrequency: year\n"
                                          "derived: {op: difference, of: [a, b], scale: 2}\n"},
     "content/series/d.yaml:4:39", "derived.scale: unknown field"),
])
def test_an_unknown_key_anywhere_is_refused_at_the_key(name: str, files: dict[str, str], at: str, message: str,
                                                       refusal: Refusal) -> None:
    refusal.write(files)
    refusal.assert_refused(at, message)


@pytest.mark.parametrize(("name", "files", "at", "message"), [
    ("focus", {"dyad.yaml": "title: T\nfocus: [india, atlantis]\nas_of: 2026-11-24\n"
                            "tracks: [{id: trade, title: Trade}]\n"},
     "content/dyad.yaml:2:16", "focus[1]: 'atlantis' does not exist"),
    ("derived-of", {"series/d.yaml": "title: D\nunit: u\nfrequency: year\nderived: {op: sum, of: [nowhere, s2]}\n"},
     "content/series/d.yaml:4:25", "derived.of[0]: 'nowhere' does not exist"),
    ("made-on", {"commitments/c.yaml": "title: C\nsummary: S\nmade_on: no-such-event\nsources: [s1]\n"
                                       "status:\n  - {date: 2026-01-01, status: announced, sources: [s1]}\n"},
     "content/commitments/c.yaml:3:10", "made_on: 'no-such-event' does not exist"),
    ("citation", {"events/a.yaml": VALID_EVENT.replace("[s1]", "[s1, s9]")}, "content/events/a.yaml:5:15",
     "sources[1].id: 's9' does not exist (did you mean 's1'?)"),
    ("body-link", {"events/a.md": FRONT + "Intro.\n\nSee [India](country:indai).\n"}, "content/events/a.md:10:13",
     "link to country:indai, which does not exist (did you mean 'india'?)"),
])
def test_an_unknown_reference_is_refused_where_it_is_written_with_the_nearest_id(
        name: str, files: dict[str, str], at: str, message: str, refusal: Refusal) -> None:
    refusal.write(files)
    refusal.assert_refused(at, message)


def test_an_unknown_reference_in_a_dyad_block_of_site_src_fails_the_build_at_the_pages_line(
        tmp_path: Path, previous_site: PreviousSite, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = hardening_project(tmp_path / "project")
    (tmp_path / "project" / "site_src" / "extra.md").write_text(
        "# Extra\n\nText.\n\n```dyad\nshow: figure\nseries: no-such-series\n```\n\n"
        "```dyad\nshow: events\nshape: round\n```\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "project")
    _fails_naming(config, previous_site, tmp_path, caplog,
                  "site_src/extra.md:7:9: error: series: 'no-such-series' is not a series in the record")
    assert "site_src/extra.md:12:1: error: shape: unknown field" in caplog.text
