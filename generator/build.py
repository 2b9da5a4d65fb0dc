"""The one build pipeline: check the content, then render every generated page.

Both the MkDocs plugin and the CLI call `prepare_site()`; MkDocs then writes what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from .errors import Diagnostics, Position, display_path
from .history import History, read_history
from .pipeline import ModelMemo, check
from .render.exports import export_files
from .render.pages import PageSource, SiteRenderer, json_for_script, make_environment


@dataclass
class PreparedSite:
    """The outcome of one build: pages to write, or the diagnostics that stop the build."""

    diagnostics: Diagnostics
    files: int
    renderer: SiteRenderer | None = None
    pages: list[PageSource] = field(default_factory=list)
    exports: dict[str, str] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.renderer is not None and not self.diagnostics.errors


def prepare_site(content_dir: Path, templates_dir: Path | None = None, site_url: str = "",
                 history: History | None = None, memo: ModelMemo | None = None) -> PreparedSite:
    """Load, validate and resolve the corpus, then render its pages; never raises for bad content.

    `history` defaults to the git history of `content_dir`; `memo` keeps typed records between builds of a
    server."""
    result = check(content_dir, memo)
    prepared = PreparedSite(result.diagnostics, result.files)
    if result.corpus is None:
        return prepared
    env = make_environment(templates_dir)
    renderer = SiteRenderer(result.corpus, env, site_url=site_url, content_root=display_path(content_dir),
                            history=history if history is not None else read_history(content_dir))
    return render_site(prepared, renderer)


def render_site(prepared: PreparedSite, renderer: SiteRenderer) -> PreparedSite:
    """Render every page, export and chart of `renderer`'s corpus into `prepared` (a server that rendered only
    what changed calls this again before it needs the whole site)."""
    try:
        prepared.pages = renderer.pages()
        prepared.exports = export_files(renderer.corpus, renderer.site_url)
        prepared.assets = {chart.path: json_for_script(chart.figure) for chart in renderer.charts.values()}
    except TemplateError as exc:
        name, line = _template_location(exc)
        prepared.diagnostics.error(name, Position(line, 1), f"template error: {exc}",
                                   hint="fix the template; the content is fine")
        return prepared
    prepared.renderer = renderer
    return prepared


def _template_location(exc: TemplateError) -> tuple[str, int]:
    """Where in which template a Jinja error happened: syntax errors say so; runtime errors leave it in the
    traceback, which Jinja rewrites to point at template lines."""
    filename = getattr(exc, "filename", None)
    if filename:
        return display_path(Path(filename)), int(getattr(exc, "lineno", 1) or 1)
    found = ("template", 1)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (display_path(Path(name)), tb.tb_lineno)
        tb = tb.tb_next
    return found
