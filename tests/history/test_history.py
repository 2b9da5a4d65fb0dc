"""A living record: history from git, corrections, "what changed", as-of dates and fiscal years."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from generator.build import prepare_site
from generator.corpus import SeriesPoint
from generator.fiscal import yearly_totals
from generator.history import read_history
from generator.model import Citation, PartialDate

MINI = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mini" / "content"
EVENT = "events/2024-northern-forum-founded.yaml"


def git(repo: Path, *args: str, date: str = "2026-01-10T12:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the mini corpus: first commit 2026-01-10, an edit 2026-05-20."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root / "content")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Add the mini corpus", date="2026-01-10T12:00:00")
    event = root / "content" / EVENT
    event.write_text(event.read_text(encoding="utf-8").replace("founded the Northern Forum.",
                                                                "founded the Northern Forum in 2024."),
                     encoding="utf-8")
    git(root, "commit", "-q", "-am", "Say when the forum was founded", date="2026-05-20T09:00:00")
    return root


def page(prepared: object, src: str) -> str:
    return next(p.markdown for p in prepared.pages if p.src_uri == src)  # type: ignore[attr-defined]


def test_history_is_read_from_git_with_dates_and_messages(repo: Path) -> None:
    history = read_history(repo / "content")
    changes = history.of(str(repo / "content" / EVENT))
    assert [(c.date.iso, c.message) for c in changes] == [("2026-05-20", "Say when the forum was founded"),
                                                          ("2026-01-10", "Add the mini corpus")]
    assert history.first_published(str(repo / "content" / EVENT)) == PartialDate(2026, 1, 10)


def test_record_pages_show_first_published_last_changed_and_changes(repo: Path) -> None:
    text = page(prepare_site(repo / "content"), "events/2024-northern-forum-founded.md")
    assert 'First published <time datetime="2026-01-10">10 January 2026</time>' in text
    assert 'last changed <time datetime="2026-05-20">20 May 2026</time>' in text
    assert "Say when the forum was founded" in text


def test_a_correction_shows_on_the_page_and_on_the_corrections_page(repo: Path) -> None:
    event = repo / "content" / EVENT
    event.write_text(event.read_text(encoding="utf-8") + (
        "corrections:\n  - date: 2026-06-01\n    wrong: The forum was founded in 2023.\n"
        "    right: The forum was founded in 2024.\n    sources: [gazette-2025-summit]\n"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Correct the founding year", date="2026-06-01T10:00:00")
    prepared = prepare_site(repo / "content")
    assert prepared.ok, prepared.diagnostics.report(prepared.files)
    assert "it said <q>The forum was founded in 2023.</q>" in page(prepared, "events/2024-northern-forum-founded.md")
    corrections = page(prepared, "corrections/index.md")
    assert "Northern Forum founded" in corrections and "The forum was founded in 2024." in corrections


def test_changes_page_lists_facts_changed_in_the_last_90_days(repo: Path) -> None:
    text = page(prepare_site(repo / "content"), "changes/index.md")  # as_of is 2026-06-30
    assert "Say when the forum was founded" in text  # 20 May: inside the window
    assert "Add the mini corpus" not in text  # 10 January: outside it
    assert '<span class="dyad-status">changed</span>' in text


def test_outside_git_the_site_builds_and_says_history_is_unavailable(tmp_path: Path) -> None:
    tarball = tmp_path / "unpacked" / "content"
    shutil.copytree(MINI, tarball)
    prepared = prepare_site(tarball)
    assert prepared.ok
    assert "history of this fact is unavailable" in page(prepared, "events/2024-northern-forum-founded.md")
    assert "history is unavailable" in page(prepared, "changes/index.md")


def test_history_is_the_same_for_the_same_commit(repo: Path) -> None:
    one = prepare_site(repo / "content")
    two = prepare_site(repo / "content")
    assert [p.markdown for p in one.pages] == [p.markdown for p in two.pages]


def test_a_correction_dated_after_as_of_is_an_error(repo: Path) -> None:
    event = repo / "content" / EVENT
    event.write_text(event.read_text(encoding="utf-8") + (
        "corrections:\n  - {date: 2027-01-01, wrong: a, right: b, sources: [gazette-2025-summit]}\n"),
        encoding="utf-8")
    prepared = prepare_site(repo / "content")
    assert any("corrections[0].date" in d.format() and "after as_of" in d.format()
               for d in prepared.diagnostics.errors)


def months(values: dict[str, str]) -> list[SeriesPoint]:
    return [SeriesPoint(PartialDate.parse(k), Decimal(v), (Citation(id="s1"),)) for k, v in values.items()]


def test_fiscal_year_sums_equal_the_sums_of_their_months() -> None:
    values = {f"2024-{m:02d}": str(m) for m in range(1, 13)} | {f"2025-{m:02d}": "10" for m in range(1, 4)}
    points = months(values)
    calendar_years = yearly_totals(points)
    assert [(y.label, y.total, y.complete) for y in calendar_years] == [("2024", Decimal(78), True),
                                                                       ("2025", Decimal(30), False)]
    fiscal = yearly_totals(points, start_month=4)
    assert [(y.label, y.covers, y.total, y.months) for y in fiscal] == [
        ("FY2023–24", "April 2023 – March 2024", Decimal(6), 3),
        ("FY2024–25", "April 2024 – March 2025", Decimal(72) + Decimal(30), 12)]
    assert sum(y.total for y in fiscal) == sum(Decimal(v) for v in values.values())


def test_a_monthly_series_page_labels_calendar_and_fiscal_totals(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    config = content / "dyad.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "fiscal_year_start: 4\nfiscal_year_label: "
                      "Northland's fiscal year (April–March)\n", encoding="utf-8")
    points = "\n".join(f"  - {{period: 2025-{m:02d}, value: {m}, source: stats-office-trade}}" for m in range(1, 13))
    (content / "series" / "monthly-exports.yaml").write_text(
        f"title: Monthly exports\nunit: USD bn\nfrequency: month\npoints:\n{points}\n", encoding="utf-8")
    prepared = prepare_site(content)
    assert prepared.ok, prepared.diagnostics.report(prepared.files)
    text = page(prepared, "series/monthly-exports.md")
    assert r"## Calendar year \(January–December\)" in text  # headings are Markdown, punctuation escaped
    assert r"## Northland&#39;s fiscal year \(April–March\)" in text
    assert '<th scope="row">2025</th><td>January–December 2025</td><td class="dyad-num">78</td>' in text
    assert "FY2025–26" in text and "9 of 12 (incomplete: no total)" in text


def test_every_page_says_what_date_the_record_is_current_as_of(tmp_path: Path) -> None:
    from generator.plugin import build_site
    from tests.plugin.conftest import make_project

    build_site(make_project(tmp_path / "project"), tmp_path / "site")
    for path in ["index.html", "methodology/index.html", "events/2024-northern-forum-founded/index.html"]:
        assert "Record current as of 30 June 2026." in (tmp_path / "site" / path).read_text(encoding="utf-8")
