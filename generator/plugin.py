"""The MkDocs plugin `dyad`: the only module that imports mkdocs.

Thin by design: it calls `build.prepare_site()` (the pipeline the CLI uses), adds the pages it returns as files
generated in memory, and lays out the navigation. Content is validated in `on_config`, before MkDocs empties the
site directory, so a bad fact file never destroys the last good site. Under `mkdocs serve` a bad file keeps the
last good pages and shows a banner instead of stopping the server.
"""

from __future__ import annotations

import gzip
from urllib.parse import urlsplit
import html
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .build import PreparedSite, prepare_site
from .errors import Diagnostics, Position, display_path, summary_line
from .linkcheck import check_links
from .render import csp, embeds
from .render.conformance import repair_theme_markup
from .render.charts import plotly_asset, plotly_js_path
from .render.pages import ENTITY_SECTIONS, ENTITY_TYPES, fill_skeleton

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
        self.had_banner = False
        self.sources: dict[str, str] = {}
        self.script_hashes: dict[str, set[str]] = {}
        self.base = Path.cwd()

    # MkDocs keeps a plugin with on_startup across `mkdocs serve` rebuilds, which is what lets it keep the last
    # good build.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value) if config.config_file_path else Path(value)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("dyad: set use_directory_urls: true (Dyad's permalinks are directory URLs)")
        content_dir = self._path(config, self.config.content_dir)
        templates = self._path(config, self.config.templates_dir) if self.config.templates_dir else None
        prepared = prepare_site(content_dir, templates, config.site_url or "")
        self.problems = prepared.diagnostics
        _refuse_outside_links(Path(config.docs_dir), Path(config.config_file_path or ".").parent,
                              prepared.diagnostics)
        if prepared.ok:
            prepared.diagnostics = self._prevalidate_embeds(config, prepared)
            self._refuse_collisions(config, prepared)
        for diagnostic in prepared.diagnostics.sorted():
            (log.error if diagnostic.severity.value == "error" else log.warning)(diagnostic.format())
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
        # A banner appearing or going away changes every page, so then everything is built again.
        banner = bool(self.serving and self.problems.errors)
        previous = self.rendered if self.serving and not banner and not self.had_banner else {}
        self.had_banner = banner
        self.blocks, self.rendered = {}, {}
        self.heads = {page.src_uri: page.head for page in self.prepared.pages}
        for page in self.prepared.pages:
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            skeleton, self.blocks[page.src_uri] = page.skeleton()
            file = File.generated(config, page.src_uri, content=skeleton, inclusion=inclusion)
            self.rendered[page.src_uri] = (skeleton, self.blocks[page.src_uri], page.head)
            if previous.get(page.src_uri) == self.rendered[page.src_uri] and os.path.isfile(file.abs_dest_path):
                # Under `dyad serve` (a dirty rebuild) a page whose text did not change is not built again.
                file.is_modified = _unchanged  # type: ignore[method-assign]
            files.append(file)
        for file in files.documentation_pages():
            if not file.generated_by and file.abs_src_path and _has_embeds(file.abs_src_path):
                file.is_modified = _changed  # type: ignore[method-assign]  # its live data may have changed
        for path, text in sorted({**self.prepared.exports, **self.prepared.assets}.items()):
            files.append(File.generated(config, path, content=text))
        if self.prepared.assets:  # plotly.js, copied once from the plotly package, only when a chart needs it
            files.append(File.generated(config, plotly_asset(), abs_src_path=str(plotly_js_path())))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.prepared is None or self.prepared.renderer is None or page.file.generated_by:
            return markdown
        scratch = Diagnostics()  # already reported by _prevalidate_embeds
        return embeds.expand(markdown, page.file.src_uri, page.url, self.prepared.renderer, scratch)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put the generated HTML parts back, after Markdown ran over the skeleton and before search indexes it."""
        blocks = self.blocks.get(page.file.src_uri) if page.file.generated_by else None
        return fill_skeleton(html, blocks) if blocks is not None else html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not page.file.generated_by:
            self.sources[page.file.dest_uri] = page.file.src_uri  # to name a hand-written page's broken links
        head = ""
        if self.prepared is not None and self.prepared.renderer is not None:
            found = self.heads.get(page.file.src_uri)
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
        from .render.pages import DEFAULT_TEMPLATES
        server.watch(str(DEFAULT_TEMPLATES))
        return server


def _unchanged() -> bool:
    return False


def _changed() -> bool:
    return True


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


def serve_site(config_file: Path, dev_addr: str | None = None) -> None:
    """`mkdocs serve` with live reload on content/ and templates/ (watched by the plugin), rebuilding "dirty":
    after an edit only the pages whose generated text changed are built again (hand-written pages with live
    ```dyad blocks always are). Pages a rebuild drops stay served until the server restarts, and the search index
    covers the pages rebuilt since; `mkdocs serve` rebuilds everything."""
    from mkdocs.commands.serve import serve
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
