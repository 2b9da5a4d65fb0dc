"""The MkDocs plugin `dyad`: the only module that imports mkdocs.

Thin by design: it calls `build.prepare_site()` (the pipeline the CLI uses), adds the pages it returns as files
generated in memory, and lays out the navigation. Content is validated in `on_config`, before MkDocs empties the
site directory, so a bad fact file never destroys the last good site. Under `mkdocs serve` a bad file keeps the
last good pages and shows a banner instead of stopping the server.
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import html
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlsplit

import watchdog.events
import watchdog.observers
from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.livereload import LiveReloadServer, _serve_url

from .build import PreparedSite, prepare_site, render_site
from .errors import Diagnostics, Position, display_path, summary_line
from .linkcheck import check_links
from .pipeline import ModelMemo, check, collector_paused
from .render import csp, embeds
from .render.affected import changed_records, own_page, pages_showing
from .render.charts import plotly_asset, plotly_js_path
from .render.conformance import repair_theme_markup
from .render.exports import export_files
from .render.pages import (DEFAULT_TEMPLATES, ENTITY_SECTIONS, ENTITY_TYPES, PageSource, SiteRenderer,
                           fill_skeleton, json_for_script)

log = get_plugin_logger("dyad")

NAV_SECTIONS: list[tuple[str, str]] = [("Timeline", "timeline/index.md"), ("Tracks", "tracks/index.md"),
                                       *[(ENTITY_SECTIONS[cls], f"{cls.folder}/index.md") for cls in ENTITY_TYPES],
                                       ("Trade", "trade/index.md"), ("Commitments", "commitments/index.md"),
                                       ("Sources", "sources/index.md"), ("Changes", "changes/index.md"),
                                       ("Corrections", "corrections/index.md"), ("Data", "data/index.md")]


class DyadPluginConfig(Config):
    content_dir = c.Type(str, default="content")
    """The folder of fact files (holding dyad.yaml), relative to mkdocs.yml."""
    templates_dir = c.Optional(c.Type(str))
    """A folder of templates that override Dyad's own, file by file."""


class DyadPlugin(BasePlugin[DyadPluginConfig]):
    """Renders a Dyad corpus into the MkDocs site."""

    def __init__(self) -> None:
        self.serving = False
        self.last_good: PreparedSite | None = None
        self.prepared: PreparedSite | None = None
        self.problems: Diagnostics = Diagnostics()
        self.blocks: dict[str, list[str]] = {}
        self.heads: dict[str, str] = {}
        self.rendered: dict[str, tuple[str, list[str], str]] = {}
        self.memo: ModelMemo | None = None
        self.built: tuple[MkDocsConfig, Files, Navigation] | None = None
        self.theme_env: Environment | None = None
        self.sources: dict[str, str] = {}
        self.script_hashes: dict[str, set[str]] = {}
        self.base = Path.cwd()

    # MkDocs keeps a plugin with on_startup across `mkdocs serve` rebuilds, which is what lets it keep the last
    # good build.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.memo = ModelMemo() if self.serving else None  # a one-off build keeps no records for later

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value) if config.config_file_path else Path(value)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("dyad: set use_directory_urls: true (Dyad's permalinks are directory URLs)")
        content_dir = self._path(config, self.config.content_dir)
        templates = self._path(config, self.config.templates_dir) if self.config.templates_dir else None
        prepared = prepare_site(content_dir, templates, config.site_url or "", memo=self.memo)
        self.problems = prepared.diagnostics
        _refuse_outside_links(Path(config.docs_dir), Path(config.config_file_path or ".").parent,
                              prepared.diagnostics)
        if prepared.ok:
            prepared.diagnostics = self._prevalidate_embeds(config, prepared)
            self._refuse_collisions(config, prepared)
        _log_diagnostics(prepared.diagnostics)
        if prepared.ok:
            self.last_good = prepared
            self.prepared = prepared
            assert prepared.renderer is not None
            site = prepared.renderer.corpus.config
            # The corpus says what the site is, so --content builds its own. The themes print these raw into
            # <title>, headers and attributes, so they are escaped here.
            config.site_name = html.escape(site.title, quote=True)
            config.site_description = html.escape(site.description, quote=True) if site.description \
                else config.site_description
            # Every page says how current the record is: the themes print `copyright` in every footer.
            config.copyright = f"Record current as of {site.as_of.human()}."
        elif self.serving and self.last_good is not None:
            log.warning("serving the last good build until the errors above are fixed")
            if not self.last_good.pages and self.last_good.renderer is not None:  # `dyad serve` rendered a part
                render_site(self.last_good, self.last_good.renderer)
            self.prepared = self.last_good
        elif self.serving:
            self.prepared = None
        else:
            counts = summary_line(len(prepared.diagnostics.errors), len(prepared.diagnostics.warnings),
                                  prepared.files)
            raise Abort(f"dyad: {counts}; nothing was built")
        config.nav = self._navigation(config)
        return config

    def _refuse_collisions(self, config: MkDocsConfig, prepared: PreparedSite) -> None:
        """A generated page may not silently replace a hand-written one (MkDocs would let it, even --strict)."""
        docs = Path(config.docs_dir)
        for page in prepared.pages:
            if (docs / page.src_uri).exists():
                prepared.diagnostics.error(display_path(docs / page.src_uri), Position(1, 1),
                                           f"this hand-written page has the URL /{page.url} of a generated page",
                                           hint="rename or move the hand-written page")

    def _prevalidate_embeds(self, config: MkDocsConfig, prepared: PreparedSite) -> Diagnostics:
        """Check every ```dyad block in hand-written pages now, before MkDocs cleans the site directory."""
        assert prepared.renderer is not None
        diagnostics = prepared.diagnostics
        docs = Path(config.docs_dir)
        for path in sorted(docs.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            for block in embeds.find_blocks(text):
                embeds.parse_block(block, display_path(path), diagnostics, prepared.renderer)
        return diagnostics

    def _navigation(self, config: MkDocsConfig) -> list[Any]:
        nav: list[Any] = [{"Home": "index.md"}]
        nav.extend({title: src} for title, src in NAV_SECTIONS)
        docs = Path(config.docs_dir)
        for path in sorted(docs.glob("*.md")):
            if path.name != "index.md":
                nav.append(path.relative_to(docs).as_posix())
        for folder in sorted(p for p in docs.iterdir() if p.is_dir() and not p.is_symlink()):
            pages = sorted(folder.glob("*.md"))
            if pages:  # a folder of hand-written pages becomes a section, its pages titled by their headings
                nav.append({folder.name.replace("-", " ").capitalize(): [p.relative_to(docs).as_posix()
                                                                         for p in pages]})
        return nav

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.prepared is None:
            return files
        self.blocks, self.rendered = {}, {}
        self.heads = {page.src_uri: page.head for page in self.prepared.pages}
        for page in self.prepared.pages:
            files.append(File.generated(config, page.src_uri, content=self._remember(page), inclusion=(
                InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV)))
        for path, text in sorted({**self.prepared.exports, **self.prepared.assets}.items()):
            # A one-off build keeps each download once, as UTF-8 (half the memory of text with any non-ASCII).
            files.append(File.generated(config, path, content=text if self.serving else text.encode("utf-8")))
        if self.prepared.assets:  # plotly.js, copied once from the plotly package, only when a chart needs it
            files.append(File.generated(config, plotly_asset(), abs_src_path=str(plotly_js_path())))
        if not self.serving:  # the files now hold what MkDocs needs; the whole pages are not needed again
            self.prepared.pages, self.prepared.exports, self.prepared.assets = [], {}, {}
        return files

    def _remember(self, page: PageSource) -> str:
        """Keep a generated page's HTML parts and <head> for the hooks that put them back; returns the skeleton
        MkDocs reads. `rendered` is what `dyad serve` compares a page's new text with."""
        skeleton, self.blocks[page.src_uri] = page.skeleton()
        self.heads[page.src_uri] = page.head
        if self.serving:
            self.rendered[page.src_uri] = (skeleton, self.blocks[page.src_uri], page.head)
        return skeleton

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.built = (config, files, nav)  # what `dyad serve` needs to build single pages later
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self.theme_env = env
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.prepared is None or self.prepared.renderer is None or page.file.generated_by:
            return markdown
        scratch = Diagnostics()  # already reported by _prevalidate_embeds
        return embeds.expand(markdown, page.file.src_uri, page.url, self.prepared.renderer, scratch)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put the generated HTML parts back, after Markdown ran over the skeleton and before search indexes it."""
        if not page.file.generated_by:
            return html
        # A build puts each page's parts back once; a server keeps them to build the page again.
        blocks = self.blocks.get(page.file.src_uri) if self.serving else self.blocks.pop(page.file.src_uri, None)
        return fill_skeleton(html, blocks) if blocks is not None else html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not page.file.generated_by:
            self.sources[page.file.dest_uri] = page.file.src_uri  # to name a hand-written page's broken links
        head = ""
        if self.prepared is not None and self.prepared.renderer is not None:
            found = self.heads.get(page.file.src_uri) if self.serving else self.heads.pop(page.file.src_uri, None)
            if found is not None:
                head = found
            else:  # a hand-written page: the same tags, from its own title and description
                site = self.prepared.renderer.corpus.config  # raw text: head() escapes (config's copy is escaped)
                description = str(page.meta.get("description") or site.description or "")
                head = self.prepared.renderer.head(page.url, str(page.title or site.title), description)
        if head:
            output = output.replace("</head>", head + "\n</head>", 1)
        if self.serving and self.problems.errors:
            output = _insert_banner(output, self.problems)
        output = repair_theme_markup(output)
        self.script_hashes[page.file.dest_uri] = csp.inline_script_hashes(output)  # for the site-wide policy
        if page.file.generated_by and not self.serving:
            # Search has indexed the page and the theme has rendered it: MkDocs would keep every page's HTML
            # until the build ends (the largest part of a build's memory at 10,000 events) for nothing.
            page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.prepared is None or self.prepared.renderer is None:
            return
        self._date_sitemap(config)
        if not self.serving:  # the live-reload script of `mkdocs serve` is inline; previews go without a policy
            _add_security_policy(Path(config.site_dir), self.script_hashes)
        if config.strict:
            # MkDocs counts its link warnings only when they are logged (`-q` hides them) and skips anchors at
            # `-v`; a strict build checks every internal link and anchor itself, whatever the verbosity.
            base = urlsplit(config.site_url or "/").path or "/"
            broken = check_links(Path(config.site_dir), base if base.endswith("/") else base + "/")
            if broken:
                docs = display_path(Path(config.docs_dir))
                lines = [f"{docs}/{self.sources[b.page]}: broken link '{b.target}': {b.reason} ({b.page}:{b.line})"
                         if b.page in self.sources else b.format() for b in broken[:50]]
                raise Abort("dyad: broken links in the built site:\n" + "\n".join(lines))

    def _date_sitemap(self, config: MkDocsConfig) -> None:
        """Date the sitemap by the corpus's as_of, not the build clock, so builds are byte-identical."""
        assert self.prepared is not None and self.prepared.renderer is not None
        sitemap = Path(config.site_dir) / "sitemap.xml"
        if not sitemap.is_file():
            return
        as_of = self.prepared.renderer.corpus.config.as_of.latest().isoformat()
        text = re.sub(r"<lastmod>[^<]*</lastmod>", f"<lastmod>{as_of}</lastmod>", sitemap.read_text("utf-8"))
        sitemap.write_text(text, encoding="utf-8")
        with open(sitemap.with_suffix(".xml.gz"), "wb") as raw, gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, mtime=0) as packed:
            packed.write(text.encode("utf-8"))

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self._path(config, self.config.content_dir)))
        if self.config.templates_dir:
            server.watch(str(self._path(config, self.config.templates_dir)))
        server.watch(str(DEFAULT_TEMPLATES))
        return server


def _log_diagnostics(diagnostics: Diagnostics) -> None:
    for diagnostic in diagnostics.sorted():
        (log.error if diagnostic.severity.value == "error" else log.warning)(diagnostic.format())


def _has_embeds(path: str) -> bool:
    with open(path, encoding="utf-8") as handle:
        return "```dyad" in handle.read()


def _refuse_outside_links(docs_dir: Path, project: Path, diagnostics: Diagnostics) -> None:
    """MkDocs follows symlinks in docs_dir; one that leads outside the project (directly, or through a linked
    folder) would publish whatever it names."""
    root = project.resolve()
    seen: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        real = Path(dirpath).resolve()
        if real in seen:  # a link cycle: walk each real folder once
            dirnames[:] = []
            continue
        seen.add(real)
        for name in sorted([*dirnames, *filenames]):
            path = Path(dirpath) / name
            target = path.resolve()
            if not target.is_relative_to(root):
                diagnostics.error(display_path(path), Position(1, 1), "symlink points outside the project",
                                  hint="copy the file into site_src/ instead of linking it")
            elif path.is_symlink() and any(part.startswith(".") for part in target.relative_to(root).parts):
                diagnostics.error(display_path(path), Position(1, 1), "symlink points into a hidden folder "
                                  "of the project (such as .git)", hint="copy what you mean to publish instead")
        dirnames[:] = [d for d in dirnames if (Path(dirpath) / d).resolve().is_relative_to(root)]


def _add_security_policy(site_dir: Path, written: dict[str, set[str]]) -> None:
    """One Content-Security-Policy for every page, admitting exactly the theme's inline scripts by hash.

    `written` holds the hashes of each page `on_post_page` saw, so only the files MkDocs wrote from theme
    templates (404.html) are read for them; then each file is read, given the policy and written, one at a time."""
    pages = sorted(site_dir.rglob("*.html"))
    hashes: set[str] = set().union(*written.values())
    for page in pages:
        if page.relative_to(site_dir).as_posix() not in written:  # a theme template: repaired here too
            text = repair_theme_markup(page.read_text(encoding="utf-8"))
            page.write_text(text, encoding="utf-8")
            hashes |= csp.inline_script_hashes(text)
    content = csp.policy(hashes)
    for page in pages:
        page.write_text(csp.insert_policy(page.read_text(encoding="utf-8"), content), encoding="utf-8")


def _insert_banner(output: str, problems: Diagnostics) -> str:
    items = "".join(f"<li><code>{html.escape(d.format())}</code></li>" for d in problems.sorted()
                    if d.severity.value == "error")
    banner = (f'<div class="dyad-error-banner" role="alert"><strong>The content has '
              f'{len(problems.errors)} error(s); this preview shows the last good build.</strong><ul>{items}</ul></div>')
    at = output.find(">", output.find("<body")) + 1
    return output[:at] + banner + output[at:] if at > 0 else banner + output


def _log_to_terminal(verbose: bool) -> None:
    """MkDocs' messages (and the plugin's diagnostics) on stderr, as `mkdocs build` would show them."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "dyad", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.dyad = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)


def build_site(config_file: Path, out_dir: Path, *, content_dir: Path | None = None, strict: bool = False,
               verbose: bool = False, site_url: str | None = None) -> None:
    """Build into a temporary folder beside `out_dir` and swap it in only when the build succeeded."""
    _log_to_terminal(verbose)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # the sitemap's dates come from content, not the clock
    try:
        overrides = {"site_url": site_url} if site_url else {}
        config = load_config(str(config_file), site_dir=str(staging), strict=strict, **overrides)
        plugin = config.plugins.get("dyad")
        if isinstance(plugin, DyadPlugin):
            # MkDocs keeps a plugin with on_startup across loads in one process, so say what this run is.
            plugin.on_startup(command="build", dirty=False)
            if content_dir is not None:
                plugin.config.content_dir = str(content_dir.resolve())
        from mkdocs.commands.build import build as mkdocs_build
        mkdocs_build(config)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, out_dir)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Replace `out_dir` by `staging`: two renames, undone if the second fails or is interrupted, so there is
    always a whole site at `out_dir`, the old one or the new one."""
    old = out_dir.with_name(f".{out_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    had_old = out_dir.exists()
    if had_old:
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        if had_old and not out_dir.exists():
            old.rename(out_dir)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


class LiveSite:
    """The site `dyad serve` keeps up to date.

    MkDocs builds it once in full. After that, a saved fact file is checked with the records of unchanged files
    kept (`ModelMemo`), only the pages that show a changed record are rendered again (`pages_showing`), and only
    those whose text changed go through MkDocs again, with the configuration, files, navigation and theme of the
    full build. `rebuild()` writes the changed records' own pages (what the editor is looking at) and returns;
    `complete()` does the rest: the other pages, hand-written pages with live ```dyad blocks, charts,
    downloads, the sitemap and the search index. A change to anything but fact files (mkdocs.yml, templates,
    hand-written pages, dyad.yaml), content with errors, or a change to the navigation builds everything again,
    as `mkdocs serve` would."""

    def __init__(self, config_file: Path, site_dir: Path, serve_url: str, content_dir: Path | None = None) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.content_override = content_dir
        self.lock = threading.RLock()
        self.generation = 0  # bumped by each rebuild, so a background `complete()` stops and leaves the rest
        self.pending: set[str] = set()
        self.downloads_due = False
        self.sitemap_due = False
        self.charts_of: dict[str, set[str]] = {}
        self.search_current: dict[str, list[dict[str, Any]]] = {}  # a rebuilt page's own search entries
        self.doc_files: tuple[Files, Sequence[File]] | None = None  # the pages MkDocs gives each page's template
        self.written: dict[str, str] = {}  # downloads and chart files as last written
        self.plugin: DyadPlugin | None = None
        self.content_dir = Path()
        self.watched: list[Path] = []

    # ---- full builds

    def build_all(self) -> None:
        """A full MkDocs build (the first, and whenever an edit needs one)."""
        with self.lock:
            self.generation += 1
            config = load_config(str(self.config_file), site_dir=str(self.site_dir))
            plugin = config.plugins.get("dyad")
            if not isinstance(plugin, DyadPlugin):
                raise Abort(f"dyad: {self.config_file} does not use the dyad plugin")
            plugin.on_startup(command="serve", dirty=False)
            if self.content_override is not None:
                plugin.config.content_dir = str(self.content_override.resolve())
            config.site_url = self.serve_url
            from mkdocs.commands.build import build as mkdocs_build
            mkdocs_build(config, serve_url=self.serve_url)
            self.plugin = plugin
            self.content_dir = plugin._path(config, plugin.config.content_dir).resolve()
            self.watched = [Path(config.docs_dir), Path(config.config_file_path or self.config_file), self.content_dir,
                            DEFAULT_TEMPLATES]
            if plugin.config.templates_dir:
                self.watched.append(plugin._path(config, plugin.config.templates_dir))
            self.pending, self.downloads_due, self.sitemap_due = set(), False, False
            self.search_current = {}
            # What the full build made lives until the next one: freezing it keeps the collector's passes
            # during rebuilds to what they allocate (unfrozen first, so an old build's objects can go).
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.charts_of, self.written = {}, {}
            if plugin.prepared is not None and plugin.prepared.renderer is not None:
                self.written = {**plugin.prepared.exports, **plugin.prepared.assets}
                self.charts_of = dict(plugin.prepared.renderer.page_charts)

    def close(self) -> None:
        """Give the collector back what the builds froze (a process that goes on after serving needs it)."""
        with self.lock:
            self.generation += 1
            gc.unfreeze()

    # ---- incremental rebuilds

    def rebuild(self, changed_paths: set[Path]) -> None:
        """Bring the site up to date after `changed_paths` were saved, created or deleted: the changed records'
        own pages now, the rest left for `complete()`."""
        self.generation += 1
        with self.lock, collector_paused(settle=False):  # its objects are frozen below
            plugin = self.plugin
            if plugin is None or not self._fact_files_only(changed_paths) or not self._try_incremental():
                self.build_all()
            gc.freeze()  # what this rebuild keeps; `complete()` collects, in the background, what it left

    def _fact_files_only(self, paths: set[Path]) -> bool:
        """Whether only fact files changed (an editor's backup and swap files in content/ count for nothing)."""
        config_file = (self.content_dir / "dyad.yaml").resolve()
        return all(p.resolve().is_relative_to(self.content_dir) and p.resolve() != config_file for p in paths)

    def _try_incremental(self) -> bool:
        try:
            return self._incremental()
        except Exception:  # noqa: BLE001 - a full build reports what went wrong (a template error, say) properly
            log.exception("dyad: the incremental rebuild failed; building everything again")
            return False

    def _incremental(self) -> bool:
        """Rebuild what a change of fact files touched; False when it needs a full build instead."""
        plugin = self.plugin
        assert plugin is not None and plugin.built is not None and plugin.theme_env is not None
        old = plugin.prepared.renderer if plugin.prepared is not None and not plugin.problems.errors else None
        if old is None:
            return False
        config, files, _ = plugin.built
        result = check(self.content_dir, plugin.memo)
        if result.corpus is None or result.corpus.config is not old.corpus.config:
            return False  # errors show a banner on every page; dyad.yaml changes every page
        new = SiteRenderer(result.corpus, old.env, site_url=old.site_url, content_root=old.content_root,
                           history=old.history)
        changed = changed_records(old.corpus.records, new.corpus.records)
        if not changed:
            return True
        diagnostics = plugin._prevalidate_embeds(config, PreparedSite(result.diagnostics, result.files, new))
        if diagnostics.errors:
            return False
        makers, old_makers = new.page_makers(), old.page_makers()
        gone = old_makers.keys() - makers.keys()
        added = makers.keys() - old_makers.keys()
        if any((Path(config.docs_dir) / src).exists() for src in added):
            return False  # a new page would replace a hand-written one: the full build says so
        _log_diagnostics(diagnostics)
        assert plugin.prepared is not None
        plugin.prepared = plugin.last_good = PreparedSite(diagnostics, result.files, new, [],
                                                          plugin.prepared.exports, plugin.prepared.assets)
        plugin.problems = diagnostics
        for src in sorted(gone):
            self._remove_page(src)
        own = {src for src in (own_page(r) for r in map(new.corpus.get, sorted(changed)) if r is not None)
               if src is not None and src in makers}
        for src in sorted(own):
            self._build_generated(makers[src]())
        self.pending |= (pages_showing(old, changed) | pages_showing(new, changed) | added) - own - gone
        self.downloads_due = True
        self.sitemap_due = self.sitemap_due or bool(gone or added)
        return True

    def complete(self) -> bool:
        """Build what the last rebuilds left; False when a newer rebuild came first (it does the rest).

        Runs beside the server: pages and downloads are rendered outside the lock, and a rebuild asked for
        meanwhile goes first (what was rendered for an older corpus is dropped, what is left stays pending)."""
        generation = self.generation
        with self.lock:
            plugin = self.plugin
            if plugin is None or plugin.prepared is None or plugin.prepared.renderer is None or plugin.built is None:
                return True
            if not (self.pending or self.downloads_due or self.sitemap_due):
                return True
            renderer = plugin.prepared.renderer
            todo = sorted(self.pending)
        makers = renderer.page_makers()
        for src in todo:
            page = makers[src]() if src in makers else None
            with self.lock:
                if self.generation != generation:
                    return False
                self.pending.discard(src)
                if page is not None:
                    self._build_generated(page)
        exports = export_files(renderer.corpus, renderer.site_url) if self.downloads_due else None
        with self.lock:
            if self.generation != generation:
                return False
            config, files, nav = plugin.built
            for file in files.documentation_pages():  # hand-written pages with live ```dyad blocks
                if not file.generated_by and file.abs_src_path and _has_embeds(file.abs_src_path):
                    self._build_file(file)
            if exports is not None:
                self._write_downloads(renderer, exports)
            if self.sitemap_due:
                from mkdocs.commands.build import _build_theme_template
                files = _in_build_order(files, makers)
                plugin.built = (config, files, nav)
                assert plugin.theme_env is not None
                _build_theme_template("sitemap.xml", plugin.theme_env, files, config, nav)
                plugin._date_sitemap(config)
            self._write_search_index(config)
            self.downloads_due = self.sitemap_due = False
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            return True

    def _write_downloads(self, renderer: SiteRenderer, exports: dict[str, str]) -> None:
        """Exports and the figures of the pages rendered again, where their text changed; files no export or
        page has any more go."""
        assert self.plugin is not None and self.plugin.prepared is not None
        charts = {chart.path: json_for_script(chart.figure) for chart in renderer.charts.values()}
        for src, paths in renderer.page_charts.items():
            self.charts_of[src] = paths
        drawn = set().union(*self.charts_of.values())
        current = {**{path: text for path, text in self.written.items() if path in drawn}, **exports,
                   **{path: text for path, text in charts.items() if path in drawn}}
        for path, text in sorted(current.items()):
            if self.written.get(path) != text:
                target = self.site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        for path in sorted(set(self.written) - set(current)):
            (self.site_dir / path).unlink(missing_ok=True)
        self.written = current
        self.plugin.prepared.exports = exports

    def _build_generated(self, page: PageSource) -> None:
        """Build one generated page through MkDocs if its text changed since it was last built."""
        plugin = self.plugin
        assert plugin is not None and plugin.built is not None
        config, files, _ = plugin.built
        before = plugin.rendered.get(page.src_uri)
        skeleton = plugin._remember(page)
        if before == plugin.rendered[page.src_uri]:
            return
        file = files.get_file_from_path(page.src_uri)
        if file is None:
            file = File.generated(config, page.src_uri, content=skeleton, inclusion=InclusionLevel.NOT_IN_NAV)
            file.generated_by = "dyad"
            files.append(file)
            self.doc_files = None
            Page(None, file, config)
            self.sitemap_due = True
        else:
            file.content_string = skeleton
        self._build_file(file)

    def _build_file(self, file: File) -> None:
        from mkdocs.commands.build import _build_page, _populate_page
        plugin = self.plugin
        assert plugin is not None and plugin.built is not None and plugin.theme_env is not None
        config, files, nav = plugin.built
        assert file.page is not None
        search = getattr(config.plugins.get("material/search") or config.plugins.get("search"), "search_index", None)
        start = len(search.entries) if search is not None else 0
        _populate_page(file.page, config, files)
        if self.doc_files is None or self.doc_files[0] is not files:
            self.doc_files = (files, files.documentation_pages(inclusion=InclusionLevel.is_in_serve))
        _build_page(file.page, config, self.doc_files[1], nav, plugin.theme_env)
        self._forget_search_entries(config, file.page.url, start)

    def _remove_page(self, src: str) -> None:
        plugin = self.plugin
        assert plugin is not None and plugin.built is not None
        config, files, _ = plugin.built
        file = files.get_file_from_path(src)
        if file is not None:
            files.remove(file)
            self.doc_files = None
            self._forget_search_entries(config, file.url)
            target = Path(file.abs_dest_path)
            target.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                target.parent.rmdir()  # events/x/ goes with its page, unless something else is in it
        for table in (plugin.rendered, plugin.blocks, plugin.heads):
            table.pop(src, None)  # type: ignore[attr-defined]
        self.charts_of.pop(src, None)  # its figures go with the downloads, in `complete()`
        self.downloads_due = True

    def _forget_search_entries(self, config: MkDocsConfig, url: str, start: int | None = None) -> None:
        """The search plugin adds a page's sections each time the page is built: note which entries (from
        `start` on) are the page's current ones; `_write_search_index` drops its others, in one pass."""
        index = getattr(config.plugins.get("material/search") or config.plugins.get("search"), "search_index", None)
        if index is not None:
            self.search_current[url] = [] if start is None else index.entries[start:]

    def _write_search_index(self, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        if search is None or index is None:
            return
        current = {id(entry) for entries in self.search_current.values() for entry in entries}
        index.entries = [entry for entry in index.entries
                         if entry["location"].split("#")[0] not in self.search_current or id(entry) in current]
        self.search_current = {}
        search.on_post_build(config=config)


_CHANGES = {watchdog.events.EVENT_TYPE_CREATED, watchdog.events.EVENT_TYPE_MODIFIED,
            watchdog.events.EVENT_TYPE_DELETED, watchdog.events.EVENT_TYPE_MOVED}


def _in_build_order(files: Files, makers: dict[str, Any]) -> Files:
    """The files in the order a full build has them (the sitemap lists pages in it): the generated pages after
    the others, in the renderer's order."""
    order = {src: index for index, src in enumerate(makers)}
    generated = sorted((f for f in files if f.generated_by and f.src_uri in order), key=lambda f: order[f.src_uri])
    return Files([*(f for f in files if not (f.generated_by and f.src_uri in order)), *generated])


class _LiveReloadServer(LiveReloadServer):
    """MkDocs' development server, told what changed (inotify, not polling 12,000 files twice a second) and able
    to reload browsers again when the background part of a rebuild is done."""

    def __init__(self, site: LiveSite, **kwargs: Any) -> None:
        self.site = site
        self.changed: set[Path] = set()
        self.changed_lock = threading.Lock()
        super().__init__(builder=self.rebuild, **kwargs)
        self.observer = watchdog.observers.Observer()  # type: ignore[assignment]  # inotify where there is one

    def note(self, event: watchdog.events.FileSystemEvent) -> None:
        """Note a saved, created, deleted or moved file and ask for a rebuild (inotify also reports files merely
        opened and read, as every build does: those are not changes)."""
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        try:
            with self.changed_lock:
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        self.changed.add(Path(os.fsdecode(path)))
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()
        except Exception:  # noqa: BLE001 - an exception here would end the watcher thread, and live reload with it
            log.exception("dyad: could not take note of a change to %s", event.src_path)

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Watch with `note` instead of MkDocs' handler (which takes every event for a change)."""
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self.note  # type: ignore[method-assign]
        self._watched_paths[path] = 1  # what `serve()` reports, and what makes pages carry the reload script
        self.observer.schedule(handler, path, recursive=recursive)

    def watch_all(self) -> None:
        for path in self.site.watched:
            if path.exists():
                self.watch(str(path), recursive=path.is_dir())

    def rebuild(self) -> None:
        with self.changed_lock:
            changed, self.changed = self.changed, set()
        if not changed:
            return
        self.site.rebuild(changed)
        threading.Thread(target=self._complete, daemon=True).start()

    def _complete(self) -> None:
        try:
            if not self.site.complete():
                return
        except Exception:  # noqa: BLE001 - a failed background step must not kill the server; the next save retries
            log.exception("dyad: updating the rest of the site failed")
            return
        with self._epoch_cond:  # reload browsers again unless a build is under way (it will reload them)
            if self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch, timeout=5):
                self._wanted_epoch = self._visible_epoch = max(time.monotonic_ns() // 1000, self._visible_epoch + 1)
                self._epoch_cond.notify_all()


def serve_site(config_file: Path, dev_addr: str | None = None) -> None:
    """`dyad serve`: a full build, then incremental rebuilds (`LiveSite`) with live reload, on 127.0.0.1:8000
    unless `dev_addr` says otherwise."""
    _log_to_terminal(False)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    site_dir = Path(tempfile.mkdtemp(prefix="dyad-serve-"))
    try:
        config = load_config(str(config_file), site_dir=str(site_dir),
                             **({"dev_addr": dev_addr} if dev_addr else {}))
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        site = LiveSite(config_file, site_dir, _serve_url(host, port, mount_path))
        site.build_all()
        server = _LiveReloadServer(site, host=host, port=port, root=str(site_dir), mount_path=mount_path)
        server.error_handler = lambda code: ((site_dir / f"{code}.html").read_bytes()
                                             if code in (404, 500) and (site_dir / f"{code}.html").is_file() else None)
        server.watch_all()
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("shutting down")
        finally:
            server.shutdown()
            site.close()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
