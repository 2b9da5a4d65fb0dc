"""Measurements that must run inside one Python process; `bench.run` starts each in a child process.

    python -m bench.stages build --config MKDOCS_YML --content DIR --out DIR [--dump DIR] --json FILE
        `generator.plugin.build_site()` (what `dyad build` runs) with timers on every pipeline stage, every
        plugin hook and MkDocs' own phases; optionally dumps the Markdown Dyad emitted, with its assets and
        navigation, as a plain MkDocs project (the reference build).
    python -m bench.stages mkdocs --config MKDOCS_YML --out DIR --json FILE
        A plain `mkdocs build` with the same timers on MkDocs' phases and plugin hooks.
    python -m bench.stages yaml --content DIR --json FILE [--repeat K]
        `load.load_content()` against PyYAML's C loader alone on the same files, alternated in one process
        (load.py's cache of parsed files emptied before each run, so every run parses as a build does).
    python -m bench.stages io --content DIR --like SITE_LIST.json --out DIR --json FILE
        The I/O floor: read every corpus file, write as many files of the same sizes as a built site.
    python -m bench.stages tti --site DIR --page timeline/ --json FILE [--repeat K]
        Time to interactive of a chart page in headless Chromium (system package) through Playwright.

Nothing here changes `generator/`: timers are wrappers installed on module attributes at run time.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import time
from collections import defaultdict
from types import SimpleNamespace
from pathlib import Path
from typing import Any, Callable

import yaml

# ---------------------------------------------------------------------------------------------------- timers


def peak_rss_mb() -> float:
    """This process's peak resident set so far (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PER_PAGE_EVENTS = {"pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page",
                   "pre_template", "template_context", "post_template"}


class Timers:
    """Inclusive and exclusive (self) wall and CPU time per name; nested timers subtract from their parent."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, float]] = defaultdict(lambda: {"wall": 0.0, "cpu": 0.0, "self_wall": 0.0,
                                                                      "self_cpu": 0.0, "calls": 0})
        self.stack: list[list[float]] = []

    def wrap(self, name: str, fn: Callable[..., Any], memory: bool = False) -> Callable[..., Any]:
        """`memory`: also note the process's peak RSS so far when the call returns (for calls made a few times,
        not per page)."""

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [time.perf_counter(), time.process_time(), 0.0, 0.0]
            self.stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                self.stack.pop()
                wall = time.perf_counter() - frame[0]
                cpu = time.process_time() - frame[1]
                entry = self.data[name]
                entry["wall"] += wall
                entry["cpu"] += cpu
                entry["self_wall"] += wall - frame[2]
                entry["self_cpu"] += cpu - frame[3]
                entry["calls"] += 1
                if memory:
                    entry["peak_rss_mb_after"] = peak_rss_mb()
                if self.stack:
                    self.stack[-1][2] += wall
                    self.stack[-1][3] += cpu

        return timed

    def patch(self, owner: Any, attribute: str, name: str, memory: bool = True) -> None:
        setattr(owner, attribute, self.wrap(name, getattr(owner, attribute), memory))

    def report(self) -> dict[str, dict[str, float]]:
        return {name: dict(values) for name, values in self.data.items()}


# ---------------------------------------------------------------------------------------------------- build


def instrument_mkdocs(timers: Timers, captured: dict[str, Any]) -> None:
    """Timers on MkDocs' own phases and, once the configuration is loaded, on every plugin hook."""
    import mkdocs.commands.build as mk

    # Module functions looked up at call time inside mkdocs.commands.build.build.
    timers.patch(mk, "get_files", "mkdocs: get_files")
    timers.patch(mk, "get_navigation", "mkdocs: navigation")
    timers.patch(mk, "_populate_page", "mkdocs: read + Markdown per page", memory=False)
    timers.patch(mk, "_build_page", "mkdocs: theme + write per page", memory=False)
    timers.patch(mk, "_build_theme_template", "mkdocs: theme templates (sitemap, 404)")
    original_build = mk.build
    captured.setdefault("hand_written", {})

    def build(config: Any, **kwargs: Any) -> None:
        events = config.plugins.events
        origins = config.plugins._event_origins
        for event_name, methods in events.items():
            for index, method in enumerate(methods):
                origin = origins.get(method, "?")
                if origin == "dyad" and event_name == "page_markdown":
                    method = _capture_markdown(method, captured["hand_written"])
                events[event_name][index] = timers.wrap(f"plugin {origin}: on_{event_name}", method,
                                                        memory=event_name not in PER_PAGE_EVENTS)
        captured["config"] = config
        timers.wrap("mkdocs build (total)", original_build, memory=True)(config, **kwargs)

    mk.build = build


def instrumented_build(config_file: Path, content: Path, out: Path, dump: Path | None) -> dict[str, Any]:
    import generator.build as gb
    import generator.pipeline as gp
    import generator.plugin as gplug
    import generator.render.pages as rp

    timers = Timers()
    # Pipeline stages, patched where they are looked up.
    timers.patch(gplug, "prepare_site", "dyad: prepare_site (all stages)")
    timers.patch(gb, "check", "dyad: check (load+model+resolve)")
    timers.patch(gp, "load_content", "dyad: load")
    timers.patch(gp, "build_record", "dyad: model (build_record)", memory=False)
    timers.patch(gp, "resolve", "dyad: resolve")
    timers.patch(gb, "read_history", "dyad: history (git)")
    timers.patch(gb, "make_environment", "dyad: templates (Jinja env)")
    timers.patch(rp.SiteRenderer, "__init__", "dyad: renderer + site index")
    timers.patch(rp.SiteRenderer, "pages", "dyad: render pages")
    timers.patch(gb, "export_files", "dyad: exports")
    timers.patch(gb, "json_for_script", "dyad: chart JSON", memory=False)
    captured: dict[str, Any] = {}
    instrument_mkdocs(timers, captured)
    # A build hands its pages to MkDocs and lets them go; keep them here for the counts and the dump (so from
    # on_files on this build holds more memory than an uninstrumented one: its RSS column says so).
    timed_prepare = gplug.prepare_site

    def keep_whole_site(*args: Any, **kwargs: Any) -> Any:
        prepared = timed_prepare(*args, **kwargs)
        captured["whole"] = SimpleNamespace(pages=list(prepared.pages), exports=dict(prepared.exports),
                                            assets=dict(prepared.assets), renderer=prepared.renderer)
        return prepared
    gplug.prepare_site = keep_whole_site
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        gplug.build_site(config_file, out, content_dir=content)
    finally:
        gplug.prepare_site = timed_prepare
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    result: dict[str, Any] = {"build_site_wall": wall, "build_site_cpu": cpu, "timers": timers.report()}
    prepared = captured["whole"]
    result["generated_pages"] = len(prepared.pages)
    result["events"] = len(prepared.renderer.corpus.events)
    result["emitted_markdown_bytes"] = sum(len(p.markdown.encode("utf-8")) for p in prepared.pages)
    result["skeleton_markdown_bytes"] = sum(len(p.skeleton()[0].encode("utf-8")) for p in prepared.pages)
    if dump is not None:
        _dump(dump, config_file, captured["config"], prepared, captured["hand_written"])
    return result


def instrumented_mkdocs(config_file: Path, out: Path) -> dict[str, Any]:
    """A plain `mkdocs build` with the same timers on MkDocs' phases and plugin hooks."""
    import mkdocs.commands.build as mk
    from mkdocs.config import load_config

    timers = Timers()
    instrument_mkdocs(timers, {})
    config = load_config(str(config_file), site_dir=str(out))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    mk.build(config)
    return {"build_wall": time.perf_counter() - wall0, "build_cpu": time.process_time() - cpu0,
            "timers": timers.report()}


def _capture_markdown(method: Callable[..., Any], store: dict[str, str]) -> Callable[..., Any]:
    @functools.wraps(method)
    def capture(markdown: str, **kwargs: Any) -> Any:
        result = method(markdown, **kwargs)
        page = kwargs.get("page")
        if page is not None and not page.file.generated_by:
            store[page.file.src_uri] = result if result is not None else markdown
        return result

    return capture


def _dump(dump: Path, config_file: Path, config: Any, prepared: Any, hand_written: dict[str, str]) -> None:
    """The site Dyad built, as a plain MkDocs project: every page's full Markdown (generated pages as Dyad
    renders them, hand-written pages with their ```dyad blocks expanded), the same assets, navigation and
    theme, and `search` as the only plugin."""
    from generator.render.charts import plotly_asset, plotly_js_path

    if dump.exists():
        shutil.rmtree(dump)
    docs = dump / "docs"
    source_docs = Path(config.docs_dir)
    for path in sorted(source_docs.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            target = docs / path.relative_to(source_docs)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for src_uri, text in hand_written.items():
        _write(docs / src_uri, text)
    for page in prepared.pages:
        _write(docs / page.src_uri, page.markdown)
    for path, text in {**prepared.exports, **prepared.assets}.items():
        _write(docs / path, text)
    if prepared.assets:
        target = docs / plotly_asset()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(plotly_js_path(), target)
    raw = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    raw["docs_dir"] = "docs"
    raw["site_dir"] = "site"
    raw["plugins"] = ["search"]
    raw["nav"] = config.nav
    raw["site_name"] = config.site_name
    raw["site_description"] = config.site_description
    raw["copyright"] = config.copyright
    (dump / "mkdocs.yml").write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------------- YAML


def corpus_files(content: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / name for name in sorted(filenames) if not name.startswith("."))
    return found


def _front_matter(text: str) -> str:
    """The YAML of a Markdown record, split the simplest way."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        return text[4:end + 1] if end >= 0 else text[4:]
    return text


def bare_c_loader(files: list[Path]) -> int:
    """PyYAML's C loader alone on every file: read, decode, take the front matter of .md files, yaml.load."""
    count = 0
    for path in files:
        text = path.read_bytes().decode("utf-8")
        if path.suffix == ".md":
            text = _front_matter(text)
        yaml.load(text, Loader=yaml.CSafeLoader)
        count += 1
    return count


def bare_c_events(files: list[Path]) -> int:
    """libyaml's parser events only (what Dyad's loader starts from), no Python objects built."""
    count = 0
    for path in files:
        text = path.read_bytes().decode("utf-8")
        if path.suffix == ".md":
            text = _front_matter(text)
        for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
            count += 1
    return count


def read_only(files: list[Path]) -> int:
    return sum(len(path.read_bytes()) for path in files)


def forget_parsed_files() -> None:
    """Empty load.py's cache of parsed files (kept for `dyad serve`), if it has one, and collect what it held."""
    import gc

    import generator.load as load

    cache: Any = getattr(load, "_PARSED", None)
    if cache is not None and hasattr(cache, "clear"):
        cache.clear()
    gc.collect()


def yaml_comparison(content: Path, repeat: int) -> dict[str, Any]:
    from generator.load import load_content
    from generator.model import FOLDERS

    files = corpus_files(content)
    runs: dict[str, Callable[[], Any]] = {
        "read files only": lambda: read_only(files),
        "PyYAML C loader (yaml.load, CSafeLoader)": lambda: bare_c_loader(files),
        "libyaml parser events only": lambda: bare_c_events(files),
        "dyad load_content": lambda: load_content(content, FOLDERS),
    }
    for fn in runs.values():  # warm the page cache and imports
        fn()
    samples: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            forget_parsed_files()  # every load_content parses, as in a fresh `dyad build`
            wall0, cpu0 = time.perf_counter(), time.process_time()
            fn()
            samples[name]["wall"].append(time.perf_counter() - wall0)
            samples[name]["cpu"].append(time.process_time() - cpu0)
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "runs": {name: {"wall": statistics.median(s["wall"]), "cpu": statistics.median(s["cpu"]),
                            "samples": len(s["wall"])} for name, s in samples.items()}}


# ---------------------------------------------------------------------------------------------------- I/O floor


def io_floor(content: Path, like: Path, out: Path) -> dict[str, Any]:
    """Read every corpus file, then write files with the relative paths and sizes listed in `like`."""
    listing = json.loads(like.read_text(encoding="utf-8"))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    read = read_only(corpus_files(content))
    block = b"x" * max([size for _, size in listing] or [0])
    written = 0
    made: set[Path] = set()
    for relative, size in listing:
        path = out / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        with open(path, "wb") as handle:
            handle.write(block[:size])
        written += size
    return {"wall": time.perf_counter() - wall0, "cpu": time.process_time() - cpu0, "read_bytes": read,
            "written_bytes": written, "written_files": len(listing)}


# ---------------------------------------------------------------------------------------------------- browser


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


# When dyad.js marks the first chart ready and when plotly.js has run, from navigation start (installed before any
# page script runs).
READY_JS = """(() => {
  window.__dyadReady = null;
  window.__plotlyReady = null;
  // plotly.js defines window.Plotly once its bundle has been parsed and run: note when.
  Object.defineProperty(window, "Plotly", {configurable: true, set(value) {
    window.__plotlyReady = performance.now();
    Object.defineProperty(window, "Plotly", {value: value, writable: true, configurable: true});
  }});
  new MutationObserver((records, observer) => {
    if (document.querySelector(".dyad-plot[data-ready='1']")) {
      window.__dyadReady = performance.now();
      observer.disconnect();
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-ready"]});
})();"""

# Where the time goes, in seconds from navigation start (medians): the page's HTML, DOMContentLoaded, plotly.js and
# the figure JSON fully received; what follows them until the chart is ready is Plotly drawing it.
PHASES_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const end = (part) => Math.max(0, ...res.filter(r => r.name.includes(part)).map(r => r.responseEnd));
  return {chart_ready: window.__dyadReady || 0, plotly_js_evaluated: window.__plotlyReady || 0,
          html_received: nav.responseEnd, dom_content_loaded: nav.domContentLoadedEventEnd,
          plotly_js_received: end('/assets/plotly-'), figure_json_received: end('/assets/charts/')};
}"""


def chromium_path() -> str | None:
    for candidate in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def time_to_interactive(site: Path, page: str, repeat: int) -> dict[str, Any]:
    """Load `page` of `site` (served on 127.0.0.1) in a fresh browser context each time, until its first chart
    is drawn (`.dyad-plot[data-ready='1']`, set by dyad.js after Plotly.newPlot resolves)."""
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    executable = chromium_path()
    if executable is None:
        return {"skipped": "system Chromium not found (apt-get install chromium)"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed"}

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
    walls: list[float] = []
    in_page: list[float] = []
    errors: list[str] = []
    breakdown: dict[str, list[float]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            for attempt in range(repeat + 1):  # the first load warms the browser process, not the page cache
                context = browser.new_context()
                context.add_init_script(READY_JS)
                tab = context.new_page()
                start = time.perf_counter()
                tab.goto(url, wait_until="commit")
                try:
                    tab.wait_for_selector(".dyad-plot[data-ready='1'], .dyad-plot[data-error]", timeout=120_000)
                except Exception as exc:  # noqa: BLE001 - reported, not raised
                    errors.append(f"timeout: {exc}"[:200])
                    context.close()
                    continue
                wall = time.perf_counter() - start
                error = tab.evaluate("() => { const e = document.querySelector('.dyad-plot[data-error]');"
                                     " return e ? e.getAttribute('data-error') : null; }")
                responsive = tab.evaluate("() => performance.now()")
                phases = tab.evaluate(PHASES_JS)
                context.close()
                if error:
                    errors.append(str(error)[:200])
                    continue
                if attempt > 0:
                    walls.append(wall)
                    in_page.append(responsive / 1000)
                    for name, value in phases.items():
                        breakdown.setdefault(name, []).append(value / 1000)
            browser.close()
    finally:
        server.shutdown()
    result: dict[str, Any] = {"url": url, "samples": len(walls), "errors": errors}
    if walls:
        result["wall"] = statistics.median(walls)
        # Interactive: the chart is drawn and the page's main thread answers a script (Playwright's evaluate
        # queues behind whatever Plotly still does after marking the chart ready), from navigation start.
        result["since_navigation_start"] = statistics.median(in_page)
        result["phases"] = {name: statistics.median(values) for name, values in breakdown.items()}
    return result


# ---------------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stages")
    sub = parser.add_subparsers(dest="mode", required=True)
    build = sub.add_parser("build")
    build.add_argument("--config", type=Path, required=True)
    build.add_argument("--content", type=Path, required=True)
    build.add_argument("--out", type=Path, required=True)
    build.add_argument("--dump", type=Path)
    build.add_argument("--json", type=Path, required=True)
    plain = sub.add_parser("mkdocs")
    plain.add_argument("--config", type=Path, required=True)
    plain.add_argument("--out", type=Path, required=True)
    plain.add_argument("--json", type=Path, required=True)
    loader = sub.add_parser("yaml")
    loader.add_argument("--content", type=Path, required=True)
    loader.add_argument("--repeat", type=int, default=3)
    loader.add_argument("--json", type=Path, required=True)
    floor = sub.add_parser("io")
    floor.add_argument("--content", type=Path, required=True)
    floor.add_argument("--like", type=Path, required=True)
    floor.add_argument("--out", type=Path, required=True)
    floor.add_argument("--json", type=Path, required=True)
    tti = sub.add_parser("tti")
    tti.add_argument("--site", type=Path, required=True)
    tti.add_argument("--page", default="timeline/")
    tti.add_argument("--repeat", type=int, default=3)
    tti.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.mode == "build":
        result = instrumented_build(args.config, args.content, args.out, args.dump)
    elif args.mode == "mkdocs":
        result = instrumented_mkdocs(args.config, args.out)
    elif args.mode == "yaml":
        result = yaml_comparison(args.content, args.repeat)
    elif args.mode == "io":
        result = io_floor(args.content, args.like, args.out)
    else:
        result = time_to_interactive(args.site, args.page, args.repeat)
    args.json.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
