"""Page rendering: escaping, overrides, template faults, relative links."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import prepare_site
from generator.render.pages import front_matter, json_for_script, markdown_text
from generator.render.urls import relative, url_of_src

MINI = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mini" / "content"


def test_markdown_text_escapes_html_and_markdown_punctuation() -> None:
    assert markdown_text('AT&T <Q1> *x* [y](z)') == r"AT&amp;T &lt;Q1&gt; \*x\* \[y\]\(z\)"


def test_front_matter_escapes_what_themes_print_raw() -> None:
    text = front_matter('</title><script>x</script>', 'say "hi"')
    assert "<script>" not in text and "&lt;/title&gt;" in text and "&quot;hi&quot;" in text


def test_json_for_script_cannot_close_its_script_element() -> None:
    text = json_for_script({"a": "</script><!--"})
    assert "</script>" not in text and "<!--" not in text


def test_relative_links_work_from_any_page() -> None:
    assert relative("events/a/", "people/b/") == "../../people/b/"
    assert relative("", "people/b/") == "people/b/"
    assert relative("events/a/", "") == "../../"
    assert relative("sources/", "sources/#s1") == "#s1"
    assert url_of_src("timeline/2026/index.md") == "timeline/2026/"
    assert url_of_src("events/x.md") == "events/x/"


def test_a_site_template_overrides_the_default(tmp_path: Path) -> None:
    (tmp_path / "event.md.j2").write_text("# {{ event.title|md }}\n\nOVERRIDDEN\n", encoding="utf-8")
    prepared = prepare_site(MINI, tmp_path)
    event = next(p for p in prepared.pages if p.src_uri == "events/2024-northern-forum-founded.md")
    assert "OVERRIDDEN" in event.markdown
    person = next(p for p in prepared.pages if p.src_uri == "people/ada-north.md")
    assert "OVERRIDDEN" not in person.markdown


def test_a_template_typo_fails_naming_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "event.md.j2").write_text("# {{ event.title }}\n\n{{ event.no_such_field }}\n", encoding="utf-8")
    prepared = prepare_site(MINI, tmp_path)
    assert not prepared.ok
    [error] = prepared.diagnostics.errors
    assert error.path.endswith("event.md.j2") and error.position.line == 3
    assert "no_such_field" in error.message


def test_template_syntax_error_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "year.md.j2").write_text("# {{ year }}\n{% if %}\n", encoding="utf-8")
    prepared = prepare_site(MINI, tmp_path)
    [error] = prepared.diagnostics.errors
    assert error.path.endswith("year.md.j2") and error.position.line == 2


def test_a_second_corpus_needs_no_code_change(tmp_path: Path) -> None:
    corpus = tmp_path / "content"
    shutil.copytree(MINI, corpus)
    config = corpus / "dyad.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: Northland–Southland relations",
                                                                   "title: Another relationship"), encoding="utf-8")
    prepared = prepare_site(corpus)
    assert prepared.ok
    assert prepared.renderer is not None and prepared.renderer.corpus.config.title.startswith("Another")


def test_skeleton_keeps_headings_and_sets_aside_html_losslessly() -> None:
    from generator.render.pages import fill_skeleton, split_skeleton

    markdown = ('---\ntitle: "T"\n---\n\n# T\n\n<div>\n<pre><code># not a heading\n\nstill code\n</code></pre>\n'
                '</div>\n\n## Sources\n\n<ol><li>x</li></ol>\n')
    skeleton, blocks = split_skeleton(markdown)
    assert skeleton == '---\ntitle: "T"\n---\n# T\n\n<!--dyad:0-->\n\n## Sources\n\n<!--dyad:1-->\n\n'
    assert blocks[0].startswith("<div>") and "# not a heading\n\nstill code" in blocks[0]
    assert fill_skeleton("<p>x</p><!--dyad:1-->", blocks) == "<p>x</p><ol><li>x</li></ol>"


def test_every_generated_page_of_the_mini_corpus_splits_losslessly() -> None:
    from generator.render.pages import fill_skeleton

    for page in prepare_site(MINI).pages:
        skeleton, blocks = page.skeleton()
        rebuilt = [line for line in fill_skeleton(skeleton, blocks).split("\n") if line.strip()]
        assert rebuilt == [line for line in page.markdown.split("\n") if line.strip()], page.src_uri


def test_a_commitment_past_its_due_date_is_flagged_without_a_status_being_invented(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    pledge = content / "commitments" / "double-trade.yaml"
    pledge.write_text(pledge.read_text(encoding="utf-8").replace("target: 2030", "target: 2026-01"), encoding="utf-8")
    prepared = prepare_site(content)
    page = next(p.markdown for p in prepared.pages if p.src_uri == "commitments/index.md")
    assert "past due; no later status recorded" in page
    assert page.count("dyad-status-in-progress") >= 1  # the recorded status stays what the sources say
