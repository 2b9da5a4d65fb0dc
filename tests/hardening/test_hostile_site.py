"""Text that lands in HTML, JSON-LD, feeds and charts: a whole site built from the mini corpus with hostile text in
every text field ((b): accepted, and neutralised in the output).

The hostile corpus is tests/fixtures/mini/content with its titles, names, summaries, notes, labels and URLs
replaced by markup-breaking strings (valid YAML strings, so `dyad check` accepts them). The assertions read the
built site as a browser would: through an HTML parser, never by searching raw bytes for the absence of text.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any, Iterator

import pytest

from generator.markdown import link_scheme
from generator.plugin import build_site

from .conftest import BASE_PATH, MINI, PreviousSite, hardening_project, tree_bytes
from .htmlaudit import PageText, audit_page, inline_scripts, json_blocks

SHOWN = 'AT&T <Q1> "x"'  # must read exactly like this wherever it is shown
SCRIPT = '"><script>alert(1)</script>'
COMMENT = "</script><!--"
TEMPLATE = "{{ 7*7 }} {% raw %}"
HTML_LABEL = "<b>x</b>"
JS_LINK = '<a href="javascript:alert(1)">y</a>'

# The hostile values, by file and field. Every field is written as a JSON string (a valid YAML scalar).
EVENT_FORUM_TITLE = f"Forum {SHOWN} {SCRIPT}"
EVENT_FORUM_SUMMARY = (f"Summary {SHOWN} {COMMENT}\n\n[click](javascript:alert(1)) <https://x.example>\n\n"
                       "<img src=x onerror=alert(1)>\n\n    indented\n\n> not a quote")
EVENT_TALKS_TITLE = f"{JS_LINK} {HTML_LABEL} {TEMPLATE}"
EVENT_TALKS_SUMMARY = f"{SHOWN} in {COMMENT} talks\nURL:javascript:alert(1)\nEND:VEVENT"  # feeds: a forged line
EVENT_TALKS_LOCATION = "<img src=x onerror=alert(1)>"
SUMMIT_NOTE = f"The Gazette <b>says</b> {SCRIPT}"
SUMMIT_QUOTE = f"{SHOWN} {COMMENT}"
PERSON_NAME = f"Ada {SHOWN} {SCRIPT}"
PERSON_DESCRIPTION = f"PM {COMMENT} {SHOWN}"
SOURCE_TITLE = f"Gazette {SHOWN} {SCRIPT}"
SOURCE_PUBLISHER = f"Pub {COMMENT}"
SOURCE_URL = 'https://example.org/gazette/summit?q="><script>alert(1)</script>'
SERIES_TITLE = f"<b>Exports</b> {SHOWN} Northland's"
SERIES_UNIT = "<i>USD</i> bn"
LEGAL_BASIS = f"{JS_LINK} {SHOWN}"
TRACK_TRADE = f"<b>Trade</b> {SHOWN}"
TRACK_DIPLOMACY = f"{JS_LINK} {COMMENT}"
COMMITMENT_TITLE = f"Double {SHOWN} {SCRIPT}"
AGREEMENT_NAME = f"Accord {SHOWN} {SCRIPT}"
ORGANIZATION_NAME = f"Ministry {COMMENT}"
BODY_EXTRA = "\nTemplate syntax stays text: {{ 7*7 }} and {% raw %}{{ config }}{% endraw %}.\n"

EDITS: dict[str, list[tuple[str, str]]] = {
    "dyad.yaml": [("title: Trade,", f"title: {json.dumps(TRACK_TRADE)},"),
                  ("title: Diplomacy,", f"title: {json.dumps(TRACK_DIPLOMACY)},"),
                  ('description: "Goods, tariffs and deals."', f"description: {json.dumps(SCRIPT)}")],
    "events/2024-northern-forum-founded.yaml": [
        ("title: Northern Forum founded", f"title: {json.dumps(EVENT_FORUM_TITLE)}"),
        ("summary: The two countries founded the Northern Forum.", f"summary: {json.dumps(EVENT_FORUM_SUMMARY)}")],
    "events/2026-09-trade-talks.yaml": [
        ("title: Trade talks planned", f"title: {json.dumps(EVENT_TALKS_TITLE)}\n"
                                       f"location: {json.dumps(EVENT_TALKS_LOCATION)}"),
        ("summary: The trade ministry said talks would take place in September 2026.",
         f"summary: {json.dumps(EVENT_TALKS_SUMMARY)}")],
    "events/2025-03-01-port-north-summit.md": [
        ("text: The Gazette says the talks ran late <into> the night.", f"text: {json.dumps(SUMMIT_NOTE)}"),
        ('quote: "The accord was signed at noon."', f"quote: {json.dumps(SUMMIT_QUOTE)}"),
        ("{id: ada-north, role: host}", f"{{id: ada-north, role: {json.dumps(COMMENT)}}}"),
        ("nothing of note. Searchable phrase: *pelican-lighthouse*.",
         "nothing of note. Searchable phrase: *pelican-lighthouse*.\n" + BODY_EXTRA)],
    "people/ada-north.yaml": [("name: Ada North", f"name: {json.dumps(PERSON_NAME)}\n"
                                                  f"aliases: [{json.dumps(SCRIPT)}]"),
                              ("description: Prime Minister of Northland (fictional).",
                               f"description: {json.dumps(PERSON_DESCRIPTION)}"),
                              ("{title: Prime Minister,", f"{{title: {json.dumps(HTML_LABEL)},")],
    "organizations/northland-trade-ministry.yaml": [
        ("name: Northland Trade Ministry", f"name: {json.dumps(ORGANIZATION_NAME)}\n"
                                           f"url: {json.dumps(SOURCE_URL)}")],
    "sources/gazette-2025-summit.yaml": [("title: Leaders meet in Port North", f"title: {json.dumps(SOURCE_TITLE)}"),
                                         ("publisher: The Northland Gazette",
                                          f"publisher: {json.dumps(SOURCE_PUBLISHER)}"),
                                         ("url: https://example.org/gazette/summit", f"url: {json.dumps(SOURCE_URL)}")],
    "series/northland-exports.yaml": [("title: Northland exports to Southland", f"title: {json.dumps(SERIES_TITLE)}"),
                                      ("unit: USD bn", f"unit: {json.dumps(SERIES_UNIT)}")],
    "series/northland-imports.yaml": [("unit: USD bn", f"unit: {json.dumps(SERIES_UNIT)}")],
    "series/northland-balance.yaml": [("unit: USD bn", f"unit: {json.dumps(SERIES_UNIT)}")],
    "series/southland-tariff-on-northland.yaml": [("legal_basis: Tariff Order 1",
                                                   f"legal_basis: {json.dumps(LEGAL_BASIS)}")],
    "commitments/double-trade.yaml": [("title: Double trade by 2030", f"title: {json.dumps(COMMITMENT_TITLE)}"),
                                      ("note: Exports rose in 2025.", f"note: {json.dumps(SCRIPT)}")],
    "agreements/port-north-accord.yaml": [("name: Port North Accord", f"name: {json.dumps(AGREEMENT_NAME)}")],
    "initiatives/northern-forum.yaml": [("name: Northern Forum", f"name: {json.dumps(COMMENT + ' ' + SHOWN)}")],
}

SITE_TITLE = f"Site {SHOWN} {SCRIPT}"
SITE_DESCRIPTION = f"About {SHOWN} {SCRIPT}"


def hostile_content(target: Path, edits: dict[str, list[tuple[str, str]]] = EDITS) -> Path:
    """A copy of the mini corpus with `edits` (file → [(old, new)]) applied; each old text must be there."""
    shutil.copytree(MINI, target)
    for relative, replacements in edits.items():
        path = target / relative
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{relative}: {old!r} is not in the fixture any more"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return hardening_project(root / "project", hostile_content(root / "content"))


@pytest.fixture(scope="module")
def hostile_site(hostile_project: Path) -> Path:
    out = hostile_project.parent.parent / "site"
    build_site(hostile_project, out)
    return out


@pytest.fixture(scope="module")
def known_inline(previous_site: PreviousSite) -> set[str]:
    """The theme's inline scripts, as the same project writes them from the benign mini corpus."""
    found: set[str] = set()
    for page in previous_site.path.rglob("*.html"):
        found |= set(inline_scripts(page.read_text(encoding="utf-8")))
    assert found, "the benign build has no inline script: the theme changed, revisit this suite"
    return found


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page(site: Path, url: str) -> PageText:
    return PageText((site / url / "index.html").read_text(encoding="utf-8"))


def shown(text: str) -> str:
    """Text as a browser lays it out: whitespace runs collapsed."""
    return " ".join(text.split())


def heading(texts: list[str]) -> list[str]:
    return [t.removesuffix("¶").strip() for t in texts]


# ---------------------------------------------------------------------------------------------------- the corpus


def test_the_hostile_corpus_passes_check_so_the_text_reaches_the_output(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import check

    content = hostile_content(tmp_path / "content")
    result = check(content)
    assert result.ok, [d.format() for d in result.diagnostics.errors]
    assert result.corpus is not None
    assert result.corpus.get("2024-northern-forum-founded").title == EVENT_FORUM_TITLE  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------------- HTML


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "path", "circle", "rect", "use", "stop", "line", "polyline", "polygon", "ellipse"}
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "option"}


def structure_problems(text: str) -> list[str]:
    """Elements closed by the wrong end tag, stray end tags, elements never closed: what text breaking out of its
    element leaves behind."""
    from html.parser import HTMLParser

    problems: list[str] = []
    stack: list[tuple[str, int]] = []

    class Balance(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in VOID:
                stack.append((tag, self.getpos()[0]))

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            pass

        def handle_endtag(self, tag: str) -> None:
            if tag in VOID:
                return
            if tag not in [t for t, _ in stack]:
                problems.append(f"stray </{tag}> on line {self.getpos()[0]}")
                return
            while stack:
                open_tag, line = stack.pop()
                if open_tag == tag:
                    break
                if open_tag not in OPTIONAL_END:
                    problems.append(f"<{open_tag}> of line {line} closed by </{tag}> on line {self.getpos()[0]}")

    parser = Balance(convert_charrefs=True)
    parser.feed(text)
    parser.close()
    return problems + [f"<{t}> of line {line} never closed" for t, line in stack if t not in OPTIONAL_END]


def test_the_structure_check_can_fail() -> None:
    assert structure_problems('<div><span aria-label="a"><script>x</script>"></span></div>') == []
    assert structure_problems('<div><span aria-label="a">"><b>x</span></div>') != []


def test_every_built_page_parses_with_every_element_closed_in_order(hostile_site: Path) -> None:
    broken = {p.relative_to(hostile_site).as_posix(): problems for p in pages(hostile_site)
              if (problems := structure_problems(p.read_text(encoding="utf-8")))}
    assert broken == {}


def test_no_script_runs_but_the_sites_own(hostile_site: Path, known_inline: set[str]) -> None:
    """Each <script> is a src inside the site, a JSON block that parses, or one of the theme's inline scripts; no
    element carries an event handler or a javascript:/data: URL; no iframe, base, object or stray meta."""
    findings = {p.relative_to(hostile_site).as_posix(): found for p in pages(hostile_site)
                if (found := audit_page(p.read_text(encoding="utf-8"), known_inline, BASE_PATH))}
    assert findings == {}


def test_the_audit_catches_an_injected_script(hostile_site: Path, known_inline: set[str]) -> None:
    text = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert audit_page(text.replace("</body>", f"<p>{SCRIPT}</p></body>"), known_inline, BASE_PATH)
    assert audit_page(text.replace("</body>", '<a href="JaVa&#x53;cript:x">x</a></body>'), known_inline, BASE_PATH)


def test_json_ld_blocks_parse_and_hold_the_text_exactly_as_written(hostile_site: Path) -> None:
    forum = json_blocks((hostile_site / "events/2024-northern-forum-founded/index.html").read_text("utf-8"),
                        "application/ld+json")
    talks = json_blocks((hostile_site / "events/2026-09-trade-talks/index.html").read_text("utf-8"),
                        "application/ld+json")
    assert [(d["name"], d["description"]) for d in forum] == [(EVENT_FORUM_TITLE, EVENT_FORUM_SUMMARY)]
    assert [(d["name"], d["description"], d["location"]["name"]) for d in talks] == [
        (EVENT_TALKS_TITLE, EVENT_TALKS_SUMMARY, EVENT_TALKS_LOCATION)]
    summit = json_blocks((hostile_site / "events/2025-03-01-port-north-summit/index.html").read_text("utf-8"),
                         "application/ld+json")
    assert summit[0]["citation"] == [SOURCE_URL]


def test_every_json_ld_block_in_the_site_parses(hostile_site: Path) -> None:
    blocks = [block for p in pages(hostile_site)
              for block in json_blocks(p.read_text(encoding="utf-8"), "application/ld+json")]
    assert len(blocks) >= 3


def test_the_event_page_shows_every_hostile_text_exactly_as_written(hostile_site: Path) -> None:
    forum = page(hostile_site, "events/2024-northern-forum-founded")
    assert heading(forum.texts("h1")) == [EVENT_FORUM_TITLE]
    assert forum.texts("title")[0].startswith(EVENT_FORUM_TITLE + " - ")
    assert forum.texts("p", "dyad-summary") == [shown(EVENT_FORUM_SUMMARY)]
    assert SHOWN in forum.texts("h1")[0] and SHOWN in forum.texts("p", "dyad-summary")[0]
    meta = {(tag, value) for tag, name, value in forum.attributes if name == "content"}
    assert ("meta", EVENT_FORUM_TITLE) in meta  # og:title
    assert ("meta", shown(EVENT_FORUM_SUMMARY)) in meta  # description

    talks = page(hostile_site, "events/2026-09-trade-talks")
    assert heading(talks.texts("h1")) == [EVENT_TALKS_TITLE]
    assert EVENT_TALKS_LOCATION in talks.texts("p", "dyad-dateline")[0]
    assert talks.texts("p", "dyad-summary") == [shown(EVENT_TALKS_SUMMARY)]

    summit = page(hostile_site, "events/2025-03-01-port-north-summit")
    assert any(SUMMIT_NOTE in t for t in summit.texts("li"))
    assert SUMMIT_QUOTE in summit.texts("q")
    assert any(t.startswith(f"{SOURCE_PUBLISHER}, {SOURCE_TITLE}") for t in summit.texts("li"))
    assert SOURCE_URL in summit.attribute_values("href")
    assert any(f"{PERSON_NAME} — {COMMENT}" in t for t in summit.texts("li"))


def test_entity_series_and_list_pages_show_the_text_exactly_as_written(hostile_site: Path) -> None:
    person = page(hostile_site, "people/ada-north")
    assert heading(person.texts("h1")) == [PERSON_NAME]
    assert person.texts("p", "dyad-summary") == [PERSON_DESCRIPTION]
    assert person.texts("p", "dyad-aliases") == [f"Also: {SCRIPT}"]
    assert HTML_LABEL in person.texts("td")

    organization = page(hostile_site, "organizations/northland-trade-ministry")
    assert heading(organization.texts("h1")) == [ORGANIZATION_NAME]
    assert SOURCE_URL in organization.attribute_values("href") and SOURCE_URL in organization.texts("a")

    assert heading(page(hostile_site, "agreements/port-north-accord").texts("h1")) == [AGREEMENT_NAME]
    assert heading(page(hostile_site, "series/northland-exports").texts("h1")) == [SERIES_TITLE]
    tariff = page(hostile_site, "series/southland-tariff-on-northland")
    assert any(LEGAL_BASIS in t for t in tariff.texts("span", "dyad-legal"))

    timeline = page(hostile_site, "timeline")
    assert {EVENT_FORUM_TITLE, EVENT_TALKS_TITLE} <= set(timeline.texts("a"))
    assert {TRACK_TRADE, TRACK_DIPLOMACY} <= set(page(hostile_site, "tracks").texts("a"))
    sources = page(hostile_site, "sources")
    assert SOURCE_TITLE in sources.texts("a") and COMMITMENT_TITLE in sources.texts("a")
    assert COMMITMENT_TITLE in page(hostile_site, "commitments").texts("a")


def test_a_multi_paragraph_summary_stays_text_inside_its_element(hostile_site: Path) -> None:
    """Blank lines in a summary must not end the HTML block and hand the rest to Markdown as markup."""
    forum = page(hostile_site, "events/2024-northern-forum-founded")
    assert "[click](javascript:alert(1))" in forum.texts("p", "dyad-summary")[0]
    assert "> not a quote" in forum.texts("p", "dyad-summary")[0]
    assert heading(forum.texts("h1")) == [EVENT_FORUM_TITLE]


def test_template_syntax_in_titles_and_bodies_renders_literally(hostile_site: Path) -> None:
    talks = page(hostile_site, "events/2026-09-trade-talks")
    assert "{{ 7*7 }} {% raw %}" in heading(talks.texts("h1"))[0]
    summit = page(hostile_site, "events/2025-03-01-port-north-summit")
    body = " ".join(summit.texts("div", "dyad-body"))
    assert "{{ 7*7 }}" in body and "{% raw %}{{ config }}{% endraw %}" in body
    assert "49" not in body


def test_no_text_anywhere_is_escaped_twice(hostile_site: Path) -> None:
    """No visible text or attribute value shows a character reference: the corpus has none, so one in the output
    means text was escaped twice."""
    reference = re.compile(r"&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);")
    doubled = {}
    for p in pages(hostile_site):
        parsed = PageText(p.read_text(encoding="utf-8"))
        texts = [t for e in ("a", "h1", "h2", "h3", "li", "p", "td", "th", "span", "title", "label", "caption", "q")
                 for t in parsed.texts(e)] + [v for _, _, v in parsed.attributes]
        bad = sorted({t[:80] for t in texts if reference.search(t)})
        if bad:
            doubled[p.relative_to(hostile_site).as_posix()] = bad
    assert doubled == {}


# ---------------------------------------------------------------------------------------------------- the search index


def test_the_search_index_carries_hostile_text_as_escaped_text_only(hostile_site: Path,
                                                                     known_inline: set[str]) -> None:
    """Material renders titles and text from the index as HTML: the index must not carry markup from content."""
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            assert "<script" not in doc[key].lower(), (doc["location"], doc[key][:120])
            assert audit_page(doc[key], known_inline, BASE_PATH) == [], (doc["location"], doc[key][:120])
    titles = [html.unescape(doc["title"]) for doc in index["docs"]]
    assert EVENT_FORUM_TITLE in titles


# ---------------------------------------------------------------------------------------------------- charts


def charts(site: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((site / "assets/charts").glob("*.json"))}


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def test_chart_files_cannot_close_a_script_element(hostile_site: Path) -> None:
    for path in sorted((hostile_site / "assets/charts").glob("*.json")):
        raw = path.read_text(encoding="utf-8")
        assert "<" not in raw and ">" not in raw, path.name


def test_event_titles_and_summaries_in_chart_hovers_are_escaped_and_read_as_written(hostile_site: Path) -> None:
    """plotly.js reads hover text as a subset of HTML: `<` arrives as `&lt;` and shows as `<`."""
    timeline = charts(hostile_site)["timeline.json"]
    hover = [row for trace in timeline["data"] if trace.get("meta") == "events" for row in trace["customdata"]]
    titles = {row[1] for row in hover}
    assert html.escape(EVENT_TALKS_TITLE, quote=False) in titles
    assert html.escape(EVENT_FORUM_TITLE, quote=False) in titles
    assert {html.unescape(t) for t in titles} >= {EVENT_TALKS_TITLE, EVENT_FORUM_TITLE}
    assert html.escape(EVENT_TALKS_SUMMARY, quote=False) in {row[2] for row in hover}
    tariff = charts(hostile_site)["series-southland-tariff-on-northland.json"]
    assert html.escape(LEGAL_BASIS, quote=False) in [row[1] for row in tariff["data"][0]["customdata"]]


def test_chart_click_through_links_are_pages_of_the_site(hostile_site: Path) -> None:
    for name, figure in charts(hostile_site).items():
        for trace in figure["data"]:
            if trace.get("meta") != "events":
                continue
            for row in trace["customdata"]:
                target = row[3]
                assert link_scheme(target) == "" and not target.startswith(("/", "//")), (name, target)
                assert (hostile_site / target / "index.html").is_file(), (name, target)


def test_every_text_from_content_in_chart_files_is_escaped(hostile_site: Path) -> None:
    raw = {f"{name}{path}": value for name, figure in charts(hostile_site).items()
           for path, value in strings(figure) if "<" in value and not path.endswith(".hovertemplate")}
    assert raw == {}


# ---------------------------------------------------------------------------------------------------- feeds and XML


def test_every_xml_file_parses_and_no_feed_carries_markup_that_runs(hostile_site: Path,
                                                                    known_inline: set[str]) -> None:
    """The sitemap, and any Atom/RSS feed the build publishes: well-formed, no script element, and HTML content
    (Atom `type="html"`, RSS description) that is as safe as a page."""
    files = sorted([*hostile_site.rglob("*.xml"), *hostile_site.rglob("*.atom"), *hostile_site.rglob("*.rss")])
    assert files, "the build publishes no XML at all (not even sitemap.xml)"
    for path in files:
        root = ElementTree.parse(path).getroot()
        for element in root.iter():
            assert element.tag.rsplit("}", 1)[-1].lower() != "script", path
            kind = element.get("type", "")
            if element.text and (kind in ("html", "xhtml") or element.tag.endswith("description")):
                assert audit_page(element.text, known_inline, BASE_PATH) == [], (path, element.text[:200])


def test_atom_entries_carry_hostile_titles_exactly_as_written(hostile_site: Path) -> None:
    feeds = [path for path in sorted(hostile_site.rglob("*.xml"))
             if ElementTree.parse(path).getroot().tag == "{http://www.w3.org/2005/Atom}feed"]
    if not feeds:
        pytest.skip("this build publishes no Atom feed")
    atom = "{http://www.w3.org/2005/Atom}"
    titles = {entry.findtext(f"{atom}title") for feed in feeds
              for entry in ElementTree.parse(feed).getroot().iter(f"{atom}entry")}
    assert {EVENT_FORUM_TITLE, EVENT_TALKS_TITLE} <= titles


def test_every_calendar_file_keeps_one_field_per_line(hostile_site: Path) -> None:
    """iCalendar: a text value with a raw line break would start a new property (the talks' summary tries to
    forge `URL:javascript:…` and `END:VEVENT`)."""
    calendars = sorted(hostile_site.rglob("*.ics"))
    for path in calendars:
        text = path.read_bytes().decode("utf-8")
        lines = text.split("\r\n")
        for line in lines:
            assert "\n" not in line and "\r" not in line, (path, line[:80])
            assert not line.lower().startswith(("url:javascript", "attach:javascript")), (path, line)
        assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT"), path


# ---------------------------------------------------------------------------------------------------- determinism


def test_two_builds_of_the_hostile_corpus_are_byte_identical(hostile_project: Path, hostile_site: Path,
                                                             tmp_path: Path) -> None:
    build_site(hostile_project, tmp_path / "again")
    first, second = tree_bytes(hostile_site), tree_bytes(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# ---------------------------------------------------------------------------------------------------- the site's own title


@pytest.fixture(scope="module")
def hostile_title_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini corpus with only dyad.yaml's title and description hostile."""
    root = tmp_path_factory.mktemp("hostile-title")
    edits = {"dyad.yaml": [("title: Northland–Southland relations (test fixture)",
                            f"title: {json.dumps(SITE_TITLE)}"),
                           ("description: A fictional record used by Dyad's tests.",
                            f"description: {json.dumps(SITE_DESCRIPTION)}")]}
    config = hardening_project(root / "project", hostile_content(root / "content", edits))
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build_site(config, root / "site")
    return root / "site"


def test_the_corpus_title_and_description_cannot_inject_markup_into_any_page(hostile_title_site: Path,
                                                                               known_inline: set[str]) -> None:
    findings = {p.relative_to(hostile_title_site).as_posix(): found for p in pages(hostile_title_site)
                if (found := audit_page(p.read_text(encoding="utf-8"), known_inline, BASE_PATH)
                    + structure_problems(p.read_text(encoding="utf-8")))}
    assert findings == {}


def test_the_corpus_title_is_shown_exactly_as_written(hostile_title_site: Path) -> None:
    home = PageText((hostile_title_site / "index.html").read_text(encoding="utf-8"))
    assert home.texts("title") == [SITE_TITLE]
    assert SITE_TITLE in home.attribute_values("aria-label")


# ---------------------------------------------------------------------------------------------------- a line of text that starts with '#'

HEADING_LINE_SUMMARY = "First line.\n# [click me](javascript:alert(1))\n\n# Not a heading"


@pytest.fixture(scope="module")
def heading_line_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini corpus with one event summary whose later lines start with '#' (a valid multi-line text)."""
    root = tmp_path_factory.mktemp("heading-line")
    edits = {"events/2024-northern-forum-founded.yaml": [
        ("summary: The two countries founded the Northern Forum.", f"summary: {json.dumps(HEADING_LINE_SUMMARY)}")]}
    config = hardening_project(root / "project", hostile_content(root / "content", edits))
    build_site(config, root / "site")
    return root / "site"


SKELETON_BUG = ("BUG: split_skeleton (generator/render/pages.py) keeps every generated line that starts with '#' as a "
                "Markdown heading, including lines inside multi-line content text; a summary line "
                "`# [click me](javascript:alert(1))` becomes <h1><a href=\"javascript:alert(1)\"> on the event, year "
                "and home pages, and `# Not a heading` opens an <h1> inside the summary's <p>")


def test_a_summary_line_starting_with_a_hash_cannot_become_a_live_link(heading_line_site: Path,
                                                                       known_inline: set[str]) -> None:
    findings = {p.relative_to(heading_line_site).as_posix(): found for p in pages(heading_line_site)
                if (found := audit_page(p.read_text(encoding="utf-8"), known_inline, BASE_PATH))}
    assert findings == {}


def test_a_summary_line_starting_with_a_hash_stays_text_inside_its_paragraph(heading_line_site: Path) -> None:
    forum = page(heading_line_site, "events/2024-northern-forum-founded")
    assert heading(forum.texts("h1")) == ["Northern Forum founded"]
    assert forum.texts("p", "dyad-summary") == [shown(HEADING_LINE_SUMMARY)]
    assert structure_problems((heading_line_site / "events/2024-northern-forum-founded/index.html")
                              .read_text(encoding="utf-8")) == []


# ---------------------------------------------------------------------------------------------------- unsafe URLs in fields


SOURCE = "title: A page\npublisher: A publisher\nkind: news\n"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", '" javascript:alert(1)"', '"java\\tscript:alert(1)"',
    '"javascript\\u003Aalert(1)"', "vbscript:msgbox(1)", "'data:text/html,<script>alert(1)</script>'",
    "file:///etc/passwd", "https:javascript:alert(1)", "//evil.example/x", "'https://exa mple.org/'",
    "ftp://example.org/x",
])
def test_an_unsafe_url_in_a_source_is_refused_at_its_column(url: str, refusal) -> None:
    refusal.write({"sources/bad.yaml": SOURCE + f"url: {url}\n"})
    refusal.assert_refused("content/sources/bad.yaml:4:6", "is not a safe web address")


@pytest.mark.parametrize(("files", "at"), [
    ({"sources/bad.yaml": SOURCE + "url: https://example.org/\ncopy_url: javascript:alert(1)\n"},
     "content/sources/bad.yaml:5:11"),
    ({"organizations/bad.yaml": "name: O\nsources: [s1]\nurl: JaVaScRiPt:alert(1)\n"},
     "content/organizations/bad.yaml:3:6"),
    ({"dyad.yaml": "title: T\nfocus: [india]\nas_of: 2026-11-24\nedit_url: javascript:alert(1)//\n"
                   "tracks: [{id: trade, title: Trade}]\n"}, "content/dyad.yaml:4:11"),
])
def test_an_unsafe_url_in_any_url_field_is_refused(files: dict[str, str], at: str, refusal) -> None:
    refusal.write(files)
    refusal.assert_refused(at, "is not a safe web address")
