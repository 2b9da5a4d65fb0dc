"""Dyad's benchmark: how `dyad check`, each pipeline stage, `dyad build`, the `dyad serve` edit loop and the
timeline page scale with the number of events, against plain MkDocs and the other references the issue names.

    .venv/bin/python -m bench.run                       # N = 1,000 and 10,000; writes bench/RESULTS.md
    .venv/bin/python -m bench.run --sizes 1000 --reps 3 # one size, three runs each
    .venv/bin/python -m bench.run --quick               # N = 1,000, one run, only the ratios the CI guard checks

Every measured command runs in its own process under `/usr/bin/time -v` (wall, user CPU, peak RSS), each build
into a fresh folder; folders are deleted only after all runs of a size. A measurement repeats `--reps` times but
stops early once its runs have taken `--budget` seconds (at least one run), and the tables say how many runs each
median is of. Synthetic corpora come from `bench/synth.py` and live in a temporary work folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `python bench/run.py` as well as `python -m bench.run`
    sys.path.insert(0, str(REPO))

from bench.synth import TRACKS, make_corpus  # noqa: E402

BIN = Path(sys.executable).parent
TIME = Path("/usr/bin/time") if Path("/usr/bin/time").exists() else None
RESULTS_MD = REPO / "bench" / "RESULTS.md"
RESULTS_JSON = REPO / "bench" / "results.json"
BASELINE = REPO / "bench" / "baseline.json"
NOTES_MARK = "<!-- hand-written notes below this line are kept when the benchmark rewrites this file -->"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0", "PYTHONHASHSEED": "0"}

# The targets: (key, description, limit, unit); "≤ limit" is met.
TARGETS = [
    ("build_vs_plain", "dyad build wall ÷ plain mkdocs build of the same emitted Markdown (10,000)", 0.85, "×"),
    ("own_ms_per_event", "Dyad's own stages (all dyad plugin hooks) per event (10,000)", 0.5, "ms"),
    ("yaml_vs_bare", "YAML loading (load_content) ÷ PyYAML C loader alone, CPU (10,000)", 1.2, "×"),
    ("linearity", "user CPU per page at 10,000 ÷ at 1,000 (dyad build)", 1.15, "×"),
    ("memory_vs_plain", "dyad build peak RSS ÷ plain mkdocs build of the same Markdown (10,000)", 1.5, "×"),
    ("edit_loop_s", "save one event → changed page served by dyad serve (10,000)", 1.0, "s"),
    ("timeline_tti_s", "timeline page interactive in headless Chromium (10,000)", 2.0, "s"),
    ("timeline_payload_mb", "timeline payload: HTML + figure JSON, uncompressed (10,000)", 2.0, "MB"),
]
GUARD_KEYS = ("build_cpu_vs_plain_cpu", "load_vs_bare_yaml_cpu", "stages_vs_bare_yaml_cpu")


# ---------------------------------------------------------------------------------------------------- processes


@dataclass
class Sample:
    wall: float
    user: float
    sys: float
    rss_mb: float
    rc: int
    out_bytes: int = 0
    out_files: int = 0
    html_pages: int = 0


@dataclass
class Measure:
    name: str
    samples: list[Sample] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def median(self, attr: str) -> float:
        values = [getattr(s, attr) for s in self.samples if s.rc == 0]
        return statistics.median(values) if values else float("nan")

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.rc == 0 for s in self.samples)

    def summary(self) -> dict[str, Any]:
        return {"runs": len(self.samples), "ok": self.ok,
                **{k: self.median(k) for k in ("wall", "user", "sys", "rss_mb", "out_bytes", "out_files",
                                               "html_pages")},
                "samples": [asdict(s) for s in self.samples], **self.extra}


def tool(name: str) -> list[str]:
    """A console script of this environment, or `python -m` when it is missing."""
    script = BIN / name
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", {"dyad": "generator"}.get(name, name)]


def run_measured(cmd: list[str], cwd: Path, log: Path) -> Sample:
    """One command in its own process: wall (perf_counter), user and system CPU and peak RSS."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as handle:
        handle.write(("\n$ " + " ".join(cmd) + "\n").encode())
        handle.flush()
        if TIME is not None:
            with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as stats_file:
                stats = Path(stats_file.name)
            start = time.perf_counter()
            rc = subprocess.run([str(TIME), "-v", "-o", str(stats), *cmd], cwd=cwd, env=ENV, stdout=handle,
                                stderr=subprocess.STDOUT).returncode
            wall = time.perf_counter() - start
            text = stats.read_text(encoding="utf-8", errors="replace")
            stats.unlink()
            handle.write(text.encode())

            def field_of(label: str) -> float:
                match = re.search(re.escape(label) + r":\s*([0-9.]+)", text)
                return float(match.group(1)) if match else float("nan")

            return Sample(wall, field_of("User time (seconds)"), field_of("System time (seconds)"),
                          field_of("Maximum resident set size (kbytes)") / 1024, rc)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        rc = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=handle, stderr=subprocess.STDOUT).returncode
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # ru_maxrss of RUSAGE_CHILDREN is the largest child so far, not this one: an upper bound.
        return Sample(wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime,
                      after.ru_maxrss / 1024, rc)


def walk_output(root: Path) -> tuple[int, int, int, list[tuple[str, int]]]:
    total = files = pages = 0
    listing = []
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            size = path.stat().st_size
            total += size
            files += 1
            pages += name.endswith(".html")
            listing.append((path.relative_to(root).as_posix(), size))
    return total, files, pages, sorted(listing)


def repeat(measure: Measure, reps: int, budget: float, once: Callable[[int], Sample]) -> Measure:
    spent = 0.0
    for index in range(max(1, reps)):
        sample = once(index)
        measure.samples.append(sample)
        spent += sample.wall
        status = "ok" if sample.rc == 0 else f"FAILED rc={sample.rc}"
        print(f"    {measure.name} run {index + 1}: {sample.wall:.2f} s wall, {sample.user:.2f} s user, "
              f"{sample.rss_mb:.0f} MB  {status}", flush=True)
        if sample.rc != 0 or spent > budget:
            break
    return measure


def settle_after_delete(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
    os.sync()
    time.sleep(3)


# ---------------------------------------------------------------------------------------------------- projects


def adapt_embeds(text: str) -> str:
    """Point the ```dyad blocks of a hand-written page at the synthetic corpus: its series, a person and its
    tracks (the synthetic corpus uses the India–US corpus's track ids)."""
    track_ids = {t[0] for t in TRACKS}

    def series_for(name: str) -> str:
        if "tariff" in name or "rate" in name:
            return "tariff-b-on-a"
        if "export" in name:
            return "exports-a-to-b"
        if "import" in name:
            return "imports-a-from-b"
        return "balance-a-with-b"

    def block(match: re.Match[str]) -> str:
        lines = []
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key == "series":
                line = f"series: {series_for(value)}"
            elif key == "actor":
                line = "actor: person-0001"
            elif key == "track" and value not in track_ids:
                line = "track: diplomacy"
            elif key == "period":
                continue
            lines.append(line)
        return "```dyad\n" + "\n".join(lines) + "\n```"

    return re.sub(r"^```dyad[ \t]*\n(.*?)^```[ \t]*$", block, text, flags=re.MULTILINE | re.DOTALL)


def make_project(root: Path, n_events: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """mkdocs.yml and site_src/ (hand-written pages adapted to the corpus) beside a synthetic content/, as
    tests/plugin/conftest.py lays out a project; returns mkdocs.yml and what the corpus generator wrote."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "site_src", root / "site_src")
    for page in (root / "site_src").rglob("*.md"):
        page.write_text(adapt_embeds(page.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    info = make_corpus(root / "content", n_events, seed=seed)
    return root / "mkdocs.yml", info


def make_prewritten(root: Path, content: Path, config_file: Path) -> Path:
    """A plain MkDocs project of one hand-written page per event (title, date, summary, the event's body, who
    took part, sources), with the same theme, extensions and search plugin; pages are out of the navigation,
    as Dyad's event pages are."""
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs" / "events"
    docs.mkdir(parents=True)
    link = re.compile(r"\]\((event|person|country|organization|agreement|initiative|source|series|commitment):"
                      r"([a-z0-9-]+)\)")
    count = 0
    for path in sorted((content / "events").iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            _, front, body = text.split("---\n", 2)
            data = yaml.load(front, Loader=yaml.CSafeLoader)
        else:
            data = yaml.load(text, Loader=yaml.CSafeLoader)
            body = data.get("body", "")
        body = link.sub(lambda m: f"]({m.group(2)}.md)" if m.group(1) == "event"
                        else f"](https://example.org/{m.group(1)}/{m.group(2)}/)", body)
        actors = [a["id"] if isinstance(a, dict) else a for a in data.get("actors", [])]
        sources = [s["id"] if isinstance(s, dict) else s for s in data.get("sources", [])]
        page = [f"# {data['title']}", "", f"*{data['date']}*" + (f" · {data['location']}" if data.get("location")
                                                                else ""), "", data["summary"], "", body.strip(), "",
                "## Who took part", "", *[f"- [{a}](https://example.org/{a}/)" for a in actors], "",
                "## Sources", "", *[f"1. [{s}](https://example.org/sources/{s})" for s in sources], ""]
        (docs / f"{path.stem}.md").write_text("\n".join(page), encoding="utf-8")
        count += 1
    (root / "docs" / "index.md").write_text(f"# Pre-written pages\n\n{count} pages, one per event.\n",
                                            encoding="utf-8")
    shutil.copytree(REPO / "site_src" / "assets", root / "docs" / "assets")
    raw = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    raw.update({"docs_dir": "docs", "site_dir": "site", "plugins": ["search"], "nav": [{"Home": "index.md"}]})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root / "mkdocs.yml"


# ---------------------------------------------------------------------------------------------------- serve


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except OSError:
        return ""


def wait_until(url: str, needle: str, cap: float, interval: float = 0.05) -> float | None:
    """Seconds until the page at `url` contains `needle`, or None after `cap` seconds."""
    start = time.perf_counter()
    while time.perf_counter() - start < cap:
        if needle in fetch(url):
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (from /proc), or NaN."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def process_peak_mb(pid: int) -> float:
    try:
        match = re.search(r"VmHWM:\s*(\d+)", Path(f"/proc/{pid}/status").read_text())
        return int(match.group(1)) / 1024 if match else float("nan")
    except OSError:
        return float("nan")


def edit_loop(config_file: Path, sample: dict[str, Any], edits: int, budget: float, first_cap: float,
              edit_cap: float, log: Path) -> dict[str, Any]:
    """Start `dyad serve`, wait for its first build, then save a changed title into one event file and time
    until the served page shows it; `edits` times (fewer once `budget` seconds are spent)."""
    site_url = yaml.safe_load(config_file.read_text(encoding="utf-8")).get("site_url", "") or ""
    base = "/" + "/".join(p for p in urllib.parse.urlparse(site_url).path.split("/") if p)
    port = free_port()
    url = f"http://127.0.0.1:{port}{base.rstrip('/')}/events/{sample['id']}/"
    path = Path(sample["path"])
    original = path.read_text(encoding="utf-8")
    title = sample["title"]
    result: dict[str, Any] = {"url": url, "edits": []}
    with open(log, "ab") as handle:
        server = subprocess.Popen([*tool("dyad"), "serve", "--config", str(config_file), "--dev-addr",
                                   f"127.0.0.1:{port}"], cwd=config_file.parent, env=ENV, stdout=handle,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            first = wait_until(url, title, first_cap, interval=0.5)
            result["first_build_s"] = first
            if first is None:
                result["error"] = f"first build not served within {first_cap:.0f} s"
                return result
            spent = 0.0
            current = original
            for index in range(max(1, edits)):
                new_title = f"{title} edited {index + 1}"
                changed = current.replace(json.dumps(title if index == 0 else f"{title} edited {index}"),
                                          json.dumps(new_title), 1)
                cpu0 = process_cpu(server.pid)
                path.write_text(changed, encoding="utf-8")
                seconds = wait_until(url, new_title, edit_cap)
                result["edits"].append({"seconds": seconds, "server_cpu": process_cpu(server.pid) - cpu0})
                print(f"    edit {index + 1}: " + (f"{seconds:.2f} s" if seconds is not None else
                                                   f"not served within {edit_cap:.0f} s"), flush=True)
                if seconds is None:
                    break
                current = changed
                spent += seconds
                if spent > budget:
                    break
                time.sleep(1.0)  # let the server settle (livereload, file watcher) before the next save
            result["server_peak_rss_mb"] = process_peak_mb(server.pid)
        finally:
            path.write_text(original, encoding="utf-8")
            if server.poll() is None:
                server.send_signal(signal.SIGINT)  # mkdocs serve shuts down cleanly on Ctrl-C
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait(timeout=15)
    times = [e["seconds"] for e in result["edits"] if e["seconds"] is not None]
    if times:
        result["median_s"] = statistics.median(times)
        result["median_server_cpu"] = statistics.median(e["server_cpu"] for e in result["edits"]
                                                        if e["seconds"] is not None)
    return result


# ---------------------------------------------------------------------------------------------------- one size


@dataclass
class Options:
    reps: int
    budget: float
    serve: bool = True
    browser: bool = True
    references: bool = True
    quick: bool = False
    seed: int = 20260301
    serve_first_cap: float = 1800.0
    serve_edit_cap: float = 900.0


def code_fingerprint() -> str:
    """A hash of generator/ and templates/ as they are on disk: a run whose sizes saw different code says so."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("generator", "templates"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def measure_size(n: int, work: Path, opts: Options) -> dict[str, Any]:
    root = work / f"n{n}"
    logs = root / "logs"
    out = root / "out"
    print(f"\n== N = {n:,} events (work folder {root})", flush=True)
    started = time.perf_counter()
    config_file, info = make_project(root / "project", n, opts.seed)
    content = root / "project" / "content"
    print(f"  corpus: {info['files']:,} files, {info['bytes'] / 1e6:.1f} MB "
          f"({time.perf_counter() - started:.1f} s to generate)", flush=True)
    result: dict[str, Any] = {"n": n, "corpus": info, "measures": {}, "code_before": code_fingerprint()}
    measures: dict[str, Measure] = {}

    def record(measure: Measure) -> Measure:
        measures[measure.name] = measure
        return measure

    def outputs(sample: Sample, folder: Path) -> Sample:
        if sample.rc == 0 and folder.exists():
            sample.out_bytes, sample.out_files, sample.html_pages, _ = walk_output(folder)
        return sample

    # 1. One instrumented build: stage timers, hook timers, and the emitted Markdown for the reference.
    print("  instrumented build (stage timers)", flush=True)
    stages_json = root / "stages.json"
    emitted = root / "emitted"
    instrumented = record(Measure("dyad build, instrumented"))
    repeat(instrumented, 1, 0, lambda i: outputs(run_measured(
        [sys.executable, "-m", "bench.stages", "build", "--config", str(config_file), "--content", str(content),
         "--out", str(out / "instrumented"), "--dump", str(emitted), "--json", str(stages_json)],
        REPO, logs / "instrumented.log"), out / "instrumented"))
    if not instrumented.ok:
        raise SystemExit(f"the instrumented build failed; see {logs / 'instrumented.log'}")
    stages = json.loads(stages_json.read_text(encoding="utf-8"))
    result["stages"] = stages

    if not opts.quick:  # the same timers on a plain build of what Dyad emitted, for the side-by-side table
        print("  instrumented plain mkdocs build of the emitted Markdown", flush=True)
        plain_json = root / "plain-stages.json"
        plain_instrumented = record(Measure("plain mkdocs build, emitted Markdown, instrumented"))
        repeat(plain_instrumented, 1, 0, lambda i: run_measured(
            [sys.executable, "-m", "bench.stages", "mkdocs", "--config", str(emitted / "mkdocs.yml"), "--out",
             str(out / "plain-instrumented"), "--json", str(plain_json)], REPO, logs / "plain-instrumented.log"))
        if plain_instrumented.ok:
            result["plain_stages"] = json.loads(plain_json.read_text(encoding="utf-8"))

    # 2. PyYAML's C loader alone against load_content, in one process.
    yaml_json = root / "yaml.json"
    loader = record(Measure("YAML: load_content vs C loader (child)"))
    repeat(loader, 1, 0, lambda i: run_measured(
        [sys.executable, "-m", "bench.stages", "yaml", "--content", str(content), "--repeat",
         str(max(3, min(opts.reps, 5))), "--json", str(yaml_json)], REPO, logs / "yaml.log"))
    result["yaml"] = json.loads(yaml_json.read_text(encoding="utf-8"))

    # 3. Builds, interleaved run by run so drift on a shared machine hits every one alike.
    plain_config = emitted / "mkdocs.yml"
    prewritten_config = make_prewritten(root / "prewritten", content, config_file) if opts.references else None
    plan: list[tuple[Measure, Callable[[int], Sample]]] = []
    if not opts.quick:
        plan.append((record(Measure("dyad check")), lambda i: run_measured(
            [*tool("dyad"), "check", str(content)], REPO, logs / "check.log")))
        plan.append((record(Measure("dyad build")), lambda i: outputs(run_measured(
            [*tool("dyad"), "build", "--config", str(config_file), "--content", str(content), "--out",
             str(out / f"dyad-{i}")], config_file.parent, logs / "build.log"), out / f"dyad-{i}")))
    plan.append((record(Measure("plain mkdocs build, emitted Markdown")), lambda i: outputs(run_measured(
        [*tool("mkdocs"), "build", "-q", "-f", str(plain_config), "-d", str(out / f"plain-{i}")], emitted,
        logs / "plain.log"), out / f"plain-{i}")))
    if prewritten_config is not None:
        plan.append((record(Measure("plain mkdocs build, pre-written pages")), lambda i: outputs(run_measured(
            [*tool("mkdocs"), "build", "-q", "-f", str(prewritten_config), "-d", str(out / f"pre-{i}")],
            prewritten_config.parent, logs / "prewritten.log"), out / f"pre-{i}")))
    reps = 1 if opts.quick else opts.reps
    spent = {m.name: 0.0 for m, _ in plan}
    for index in range(reps):
        for measure, once in plan:
            if index > 0 and (spent[measure.name] > opts.budget or not measure.ok):
                continue
            sample = once(index)
            measure.samples.append(sample)
            spent[measure.name] += sample.wall
            print(f"    {measure.name} run {index + 1}: {sample.wall:.2f} s wall, {sample.user:.2f} s user, "
                  f"{sample.rss_mb:.0f} MB  {'ok' if sample.rc == 0 else f'FAILED rc={sample.rc}'}", flush=True)
    for measure, _ in plan:
        if not measure.ok:
            raise SystemExit(f"{measure.name} failed; see the logs in {logs}")

    # 4. The I/O floor: read the corpus, write as many bytes in as many files as the Dyad build wrote.
    site = out / "dyad-0" if (out / "dyad-0").exists() else out / "instrumented"
    if opts.references:
        listing_file = root / "site-listing.json"
        listing_file.write_text(json.dumps(walk_output(site)[3]), encoding="utf-8")
        floor = record(Measure("I/O floor: read corpus, write site-sized files"))
        floor_json = root / "io.json"

        def io_once(i: int) -> Sample:
            sample = outputs(run_measured(
                [sys.executable, "-m", "bench.stages", "io", "--content", str(content), "--like", str(listing_file),
                 "--out", str(out / f"io-{i}"), "--json", str(floor_json)], REPO, logs / "io.log"), out / f"io-{i}")
            floor.extra.setdefault("in_process", []).append(json.loads(floor_json.read_text(encoding="utf-8")))
            return sample

        repeat(floor, reps, opts.budget, io_once)

    # 5. The timeline page: payload and time to interactive.
    timeline_html = site / "timeline" / "index.html"
    timeline_json = site / "assets" / "charts" / "timeline.json"
    payload = {"html_bytes": timeline_html.stat().st_size if timeline_html.exists() else None,
               "figure_bytes": timeline_json.stat().st_size if timeline_json.exists() else None}
    if payload["html_bytes"] is not None and payload["figure_bytes"] is not None:
        both = timeline_html.read_bytes() + timeline_json.read_bytes()
        payload["total_bytes"] = len(both)
        payload["total_gzip_bytes"] = len(gzip.compress(timeline_html.read_bytes())) + len(
            gzip.compress(timeline_json.read_bytes()))
    plotly = sorted(site.glob("assets/plotly-*.min.js"))
    payload["plotly_js_bytes"] = plotly[0].stat().st_size if plotly else None
    result["timeline"] = payload
    if opts.browser and not opts.quick:
        print("  timeline time to interactive (headless Chromium)", flush=True)
        tti_json = root / "tti.json"
        run_measured([sys.executable, "-m", "bench.stages", "tti", "--site", str(site), "--page", "timeline/",
                      "--repeat", str(reps), "--json", str(tti_json)], REPO, logs / "tti.log")
        result["timeline"]["tti"] = json.loads(tti_json.read_text(encoding="utf-8")) if tti_json.exists() else {
            "skipped": f"the browser run failed; see {logs / 'tti.log'}"}
        print(f"    {result['timeline']['tti']}", flush=True)

    # 6. The edit loop under dyad serve.
    if opts.serve and not opts.quick:
        print("  edit loop under dyad serve", flush=True)
        result["serve"] = edit_loop(config_file, info["sample_event"], reps, opts.budget, opts.serve_first_cap,
                                    opts.serve_edit_cap, logs / "serve.log")

    result["measures"] = {name: m.summary() for name, m in measures.items()}
    result["ratios"] = size_ratios(result)
    result["seconds"] = time.perf_counter() - started
    result["code_after"] = code_fingerprint()
    if opts.quick:
        shutil.rmtree(out, ignore_errors=True)
    else:
        settle_after_delete(out)
    return result


# ---------------------------------------------------------------------------------------------------- ratios


def _m(result: dict[str, Any], name: str, attr: str) -> float:
    found = result["measures"].get(name)
    return float(found[attr]) if found and found.get("ok") else float("nan")


def own_seconds(stages: dict[str, Any], attr: str = "wall") -> float:
    """Dyad's own work in a build: every hook of the dyad plugin (on_config runs the whole pipeline)."""
    return sum(v[attr] for k, v in stages["timers"].items() if k.startswith("plugin dyad:"))


def size_ratios(result: dict[str, Any]) -> dict[str, float]:
    n = result["n"]
    stages = result["stages"]
    timers = stages["timers"]
    runs = result["yaml"]["runs"]
    bare = runs["PyYAML C loader (yaml.load, CSafeLoader)"]
    load = runs["dyad load_content"]
    plain_user = _m(result, "plain mkdocs build, emitted Markdown", "user")
    ratios = {
        # The guard's ratios: each from one process, against a reference measured in the same run.
        "build_cpu_vs_plain_cpu": stages["build_site_cpu"] / plain_user,
        "load_vs_bare_yaml_cpu": load["cpu"] / bare["cpu"],
        "stages_vs_bare_yaml_cpu": timers["dyad: prepare_site (all stages)"]["cpu"] / bare["cpu"],
        # The targets.
        "yaml_vs_bare": load["cpu"] / bare["cpu"],
        "own_ms_per_event": own_seconds(stages) / n * 1000,
        "pipeline_ms_per_event": timers["dyad: prepare_site (all stages)"]["wall"] / n * 1000,
        "timeline_payload_mb": (result["timeline"].get("total_bytes") or float("nan")) / 1e6,
    }
    build_wall = _m(result, "dyad build", "wall")
    if build_wall == build_wall:  # not NaN: the full run
        plain_wall = _m(result, "plain mkdocs build, emitted Markdown", "wall")
        ratios.update({
            "build_vs_plain": build_wall / plain_wall,
            "build_cpu_vs_plain": _m(result, "dyad build", "user") / plain_user,
            "memory_vs_plain": _m(result, "dyad build", "rss_mb") / _m(result, "plain mkdocs build, emitted Markdown",
                                                                     "rss_mb"),
            "build_vs_prewritten": build_wall / _m(result, "plain mkdocs build, pre-written pages", "wall"),
            "plain_vs_prewritten": plain_wall / _m(result, "plain mkdocs build, pre-written pages", "wall"),
            "build_vs_io_floor": build_wall / _m(result, "I/O floor: read corpus, write site-sized files", "wall"),
            "check_vs_bare_yaml_wall": _m(result, "dyad check", "wall") / bare["wall"],
            "user_cpu_per_page_ms": _m(result, "dyad build", "user") / _m(result, "dyad build", "html_pages") * 1000,
        })
    serve = result.get("serve") or {}
    if serve.get("median_s") is not None:
        ratios["edit_loop_s"] = serve["median_s"]
        ratios["edit_loop_vs_build"] = serve["median_s"] / build_wall
    tti = result["timeline"].get("tti") or {}
    if tti.get("wall") is not None:
        ratios["timeline_tti_s"] = tti["since_navigation_start"]
    return ratios


def target_rows(results: list[dict[str, Any]]) -> list[tuple[str, str, float | None, float, str, str]]:
    """(key, description, measured, limit, unit, verdict) at the largest N; linearity across the two ends."""
    rows = []
    largest = max(results, key=lambda r: r["n"])
    smallest = min(results, key=lambda r: r["n"])
    for key, description, limit, unit in TARGETS:
        value: float | None
        if key == "linearity":
            a = smallest["ratios"].get("user_cpu_per_page_ms")
            b = largest["ratios"].get("user_cpu_per_page_ms")
            value = b / a if a and b and largest is not smallest else None
            description = description.replace("10,000", f"{largest['n']:,}").replace("1,000", f"{smallest['n']:,}")
        else:
            value = largest["ratios"].get(key)
            description = description.replace("(10,000)", f"(N = {largest['n']:,})")
        if value is None or value != value:
            verdict = "not measured"
        else:
            verdict = "met" if value <= limit else "NOT met"
        rows.append((key, description, value, limit, unit, verdict))
    return rows


# ---------------------------------------------------------------------------------------------------- reporting


def fmt(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


MEASURE_ORDER = ["dyad check", "dyad build", "dyad build, instrumented", "plain mkdocs build, emitted Markdown",
                 "plain mkdocs build, emitted Markdown, instrumented", "plain mkdocs build, pre-written pages", "YAML: load_content vs C loader (child)",
                 "I/O floor: read corpus, write site-sized files"]


def tables(results: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for result in results:
        n = result["n"]
        corpus = result["corpus"]
        stages = result["stages"]
        plain_wall = _m(result, "plain mkdocs build, emitted Markdown", "wall")
        plain_user = _m(result, "plain mkdocs build, emitted Markdown", "user")
        lines += [f"### N = {n:,} events", "",
                  f"Corpus: {corpus['files']:,} files, {corpus['bytes'] / 1e6:.1f} MB ({corpus['events']:,} events, "
                  f"{corpus['entities']:,} entities, {corpus['sources']:,} sources, {corpus['series']} series, "
                  f"{corpus['commitments']:,} commitments); Dyad generates {stages['generated_pages']:,} pages "
                  f"({stages['emitted_markdown_bytes'] / 1e6:.1f} MB of Markdown, of which MkDocs parses a "
                  f"{stages['skeleton_markdown_bytes'] / 1e6:.1f} MB skeleton).", "",
                  "| measurement | runs | wall s | user CPU s | peak RSS MB | output MB | files | wall ÷ plain | "
                  "CPU ÷ plain |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name in MEASURE_ORDER:
            m = result["measures"].get(name)
            if not m:
                continue
            lines.append(f"| {name} | {m['runs']} | {fmt(m['wall'])} | {fmt(m['user'])} | {fmt(m['rss_mb'], 0)} | "
                         f"{fmt(m['out_bytes'] / 1e6, 1) if m['out_bytes'] else '–'} | "
                         f"{fmt(int(m['out_files'])) if m['out_files'] else '–'} | {fmt(m['wall'] / plain_wall)} | "
                         f"{fmt(m['user'] / plain_user)} |")
        lines += ["", "In-process (medians; the C loader and load_content alternate in one process, page cache warm):",
                  "", "| reading the corpus | wall s | CPU s | ÷ C loader (CPU) |", "| --- | ---: | ---: | ---: |"]
        runs = result["yaml"]["runs"]
        bare_cpu = runs["PyYAML C loader (yaml.load, CSafeLoader)"]["cpu"]
        for name, run in runs.items():
            lines.append(f"| {name} | {fmt(run['wall'], 3)} | {fmt(run['cpu'], 3)} | {fmt(run['cpu'] / bare_cpu)} |")
        plain_timers = (result.get("plain_stages") or {}).get("timers", {})
        lines += ["", "Stage timers of the instrumented builds (`python -m bench.stages build|mkdocs`: wrappers on the "
                  "pipeline's functions, on every plugin hook and on MkDocs' phases; inclusive times, so nested "
                  "timers are counted in their parents too; peak RSS is the process's high-water mark when the stage "
                  "returned; the instrumented Dyad build also keeps every page for the dump, so from on_files on "
                  "its RSS is above an uninstrumented build's, which the table of runs above gives):", "",
                  "| stage | calls | dyad build wall s | CPU s | ms per event | peak RSS after, MB | plain build of the "
                  "emitted Markdown, wall s | its peak RSS after, MB |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        names = sorted(set(stages["timers"]) | set(plain_timers), key=_stage_order)
        for name in names:
            timer = stages["timers"].get(name)
            plain = plain_timers.get(name)
            plain_rss = fmt(plain.get("peak_rss_mb_after"), 0) if plain else "–"
            if timer is None:
                lines.append(f"| {name} | {int(plain['calls']):,} | – | – | – | – | {fmt(plain['wall'])} | "
                             f"{plain_rss} |")
                continue
            lines.append(f"| {name} | {int(timer['calls']):,} | {fmt(timer['wall'])} | {fmt(timer['cpu'])} | "
                         f"{fmt(timer['wall'] / n * 1000, 3)} | {fmt(timer.get('peak_rss_mb_after'), 0)} | "
                         f"{fmt(plain['wall']) if plain else '–'} | {plain_rss} |")
        own = own_seconds(stages)
        lines += [f"| **Dyad's own work (all dyad plugin hooks)** | | **{fmt(own)}** | "
                  f"**{fmt(own_seconds(stages, 'cpu'))}** | **{fmt(own / n * 1000, 3)}** | | | |",
                  f"| build_site() / mkdocs build() total | 1 | {fmt(stages['build_site_wall'])} | "
                  f"{fmt(stages['build_site_cpu'])} | {fmt(stages['build_site_wall'] / n * 1000, 3)} | | "
                  f"{fmt((result.get('plain_stages') or {}).get('build_wall'))} | |", ""]
        timeline = result["timeline"]
        tti = timeline.get("tti") or {}
        lines.append(f"Timeline page: HTML {fmt((timeline.get('html_bytes') or 0) / 1e3, 0)} kB + figure JSON "
                     f"{fmt((timeline.get('figure_bytes') or 0) / 1e3, 0)} kB = "
                     f"{fmt((timeline.get('total_bytes') or 0) / 1e6)} MB uncompressed "
                     f"({fmt((timeline.get('total_gzip_bytes') or 0) / 1e3, 0)} kB gzipped); plotly.js "
                     f"{fmt((timeline.get('plotly_js_bytes') or 0) / 1e6)} MB, cached across pages, not counted. "
                     + (f"Time to interactive: {fmt(tti['since_navigation_start'])} s from navigation start "
                        f"(median of {tti['samples']}, fresh browser context each load; "
                        + ", ".join(f"{k.replace('_', ' ')} {fmt(v)} s" for k, v in sorted(
                            (tti.get("phases") or {}).items(), key=lambda kv: kv[1])) + ")."
                        if tti.get("wall") is not None
                        else f"Time to interactive: not measured ({tti.get('skipped') or tti.get('errors')})."
                        if tti else ""))
        serve = result.get("serve")
        if serve:
            edits = ", ".join(fmt(e["seconds"]) if e["seconds"] is not None else "timeout" for e in serve["edits"])
            lines += ["", f"Edit loop (`dyad serve`): first build served after {fmt(serve.get('first_build_s'))} s; "
                      f"saving one event → changed page served: {edits} s (median {fmt(serve.get('median_s'))} s, "
                      f"server CPU per rebuild {fmt(serve.get('median_server_cpu'))} s, server peak RSS "
                      f"{fmt(serve.get('server_peak_rss_mb'), 0)} MB)." + (f" {serve['error']}."
                                                                           if serve.get("error") else "")]
        ratios = result["ratios"]
        lines += ["", "Ratios: " + "; ".join(f"{k} {fmt(v)}" for k, v in ratios.items()), ""]
    return "\n".join(lines)


def _stage_order(name: str) -> tuple[int, str]:
    prefixes = ["mkdocs build", "plugin dyad: on_config", "dyad: prepare", "dyad: check", "dyad: load",
                "dyad: model", "dyad: resolve", "dyad: history", "dyad: templates", "dyad: renderer",
                "dyad: render", "dyad: chart", "dyad: exports", "plugin dyad", "plugin search", "mkdocs"]
    for index, prefix in enumerate(prefixes):
        if name.startswith(prefix):
            return index, name
    return len(prefixes), name


def targets_table(results: list[dict[str, Any]]) -> str:
    lines = ["| target | measured | limit | verdict |", "| --- | ---: | ---: | --- |"]
    for _, description, value, limit, unit, verdict in target_rows(results):
        shown = fmt(value, 3 if unit == "ms" else 2) + (f" {unit}" if value is not None else "")
        lines.append(f"| {description} | {shown} | ≤ {limit} {unit} | {verdict} |")
    return "\n".join(lines)


def print_summary(results: list[dict[str, Any]]) -> None:
    print("\n" + tables(results))
    print("Targets:\n" + targets_table(results))


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    return {"cpus": str(os.cpu_count()), "memory": memory, "cpu": cpu, "os": platform.platform(),
            "python": platform.python_version()}


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("dyad", "mkdocs", "mkdocs-material", "PyYAML", "Markdown", "markdown-it-py", "Jinja2", "plotly",
                 "playwright"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    try:
        found["libyaml"] = yaml._yaml.get_version_string()  # type: ignore[attr-defined]
    except AttributeError:
        found["libyaml"] = "absent"
    try:
        found["chromium"] = subprocess.run(["chromium", "--version"], capture_output=True, text=True,
                                           timeout=30).stdout.strip() or "absent"
    except (OSError, subprocess.SubprocessError):
        found["chromium"] = "absent"
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "generator", "templates"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        found["dyad commit"] = head.stdout.strip() + (" with uncommitted changes to generator/ or templates/"
                                                       if dirty else "")
    except OSError:
        pass
    return found


def write_results(results: list[dict[str, Any]], args: argparse.Namespace, seconds: float) -> None:
    info = machine()
    packages = versions()
    notes = ""
    if RESULTS_MD.exists():
        old = RESULTS_MD.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            notes = old.split(NOTES_MARK, 1)[1].strip("\n")
    unmet = [row for row in target_rows(results) if row[5] != "met"]
    text = [
        "# Dyad benchmark results", "",
        "Written by `make bench` (`python -m bench.run`); the part above the notes mark is rewritten on every run.",
        "",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} memory, {info['os']}",
        f"- Python {info['python']}; " + ", ".join(f"{k} {v}" for k, v in packages.items()),
        f"- Command: `python -m bench.run --sizes {args.sizes} --reps {args.reps} --budget {args.budget:g}`; "
        f"whole run {seconds / 60:.1f} min",
        f"- Medians of up to {args.reps} runs per measurement (fewer when a measurement's runs passed "
        f"{args.budget:g} s; each table says how many). Every build writes into a fresh folder; folders are deleted "
        "only after all runs of a size. Wall times on this machine are noisy when other work shares its cores: user "
        "CPU is the steadier number.",
        "",
        "- Code (a hash of generator/ and templates/ on disk): " + _code_line(results),
        "",
        "## Targets", "", targets_table(results), "",
        "Unmet: " + (", ".join(f"{row[0]} ({fmt(row[2])} {row[4]} against ≤ {row[3]} {row[4]})" for row in unmet
                              if row[5] == "NOT met") or "none") + ".", "",
        "## Measurements", "", tables(results),
        "## What each line is", "",
        "- **dyad check**: `dyad check content`, a process of its own (load, model, resolve, no rendering).",
        "- **dyad build**: `dyad build --config … --content … --out <fresh folder>`: check, render, MkDocs with "
        "Material and search, CSP post-processing, atomic swap.",
        "- **dyad build, instrumented**: the same `build_site()` with timers (`bench/stages.py`); it also dumps "
        "what Dyad emitted for the reference build.",
        "- **plain mkdocs build, emitted Markdown**: `mkdocs build` of the full Markdown of every page Dyad "
        "generates (its HTML parts in place, not the skeleton), the hand-written pages with their ```dyad blocks "
        "expanded, the chart JSON, exports and plotly.js, with Dyad's navigation, the same theme, extensions and "
        "`search` as the only plugin.",
        "- **plain mkdocs build, pre-written pages**: `mkdocs build` of one hand-written Markdown page per event "
        "(title, date, summary, the event's body, actors, sources), same theme and search.",
        "- **YAML**: PyYAML's `yaml.load(text, Loader=yaml.CSafeLoader)` over every corpus file (front matter "
        "of .md files) against `load_content()`, alternating in one process.",
        "- **I/O floor**: read every corpus file, then write as many files of the same sizes as the Dyad build "
        "wrote (no rendering at all).",
        "- **Edit loop**: `dyad serve` on 127.0.0.1; after its first build, one event's title is saved changed, "
        "and the event's URL is polled every 50 ms until it shows the new title.",
        "- **Timeline**: `timeline/index.html` + `assets/charts/timeline.json` of the build, and the time until "
        "`.dyad-plot[data-ready='1']` in headless system Chromium (Playwright), served from 127.0.0.1, fresh "
        "browser context each load.", "",
        NOTES_MARK, "", notes or "## Gaps\n\n(no notes yet)", ""]
    RESULTS_MD.write_text("\n".join(text), encoding="utf-8")
    RESULTS_JSON.write_text(json.dumps({"machine": info, "versions": packages, "results": results}, indent=1,
                                       default=str), encoding="utf-8")


def _code_line(results: list[dict[str, Any]]) -> str:
    hashes = [h for r in results for h in (r.get("code_before"), r.get("code_after")) if h]
    if not hashes:
        return "not recorded"
    if len(set(hashes)) == 1:
        return f"{hashes[0]}, the same throughout the run"
    return ("CHANGED during the run (" + ", ".join(f"N = {r['n']:,}: {r.get('code_before')} → {r.get('code_after')}"
                                                 for r in results) + "); sizes may not be comparable")


def write_baseline(result: dict[str, Any]) -> None:
    ratios = {key: round(result["ratios"][key], 4) for key in GUARD_KEYS}
    BASELINE.write_text(json.dumps({
        "about": "Ratios at N = 1,000 recorded by `python -m bench.run --write-baseline`; tests/bench fails when "
                 "a quick run measures more than twice any of them. Ratios only, never absolute times.",
        "n": result["n"], "recorded": dt.date.today().isoformat(), "ratios": ratios}, indent=2) + "\n",
        encoding="utf-8")


# ---------------------------------------------------------------------------------------------------- entry


def quick_ratios(work: Path, n: int = 1000, seed: int = 20260301) -> dict[str, float]:
    """The guard's ratios from one quick run: an instrumented build, the plain build of what it emitted, and
    load_content against the bare C loader. No server, no browser, no absolute time compared."""
    result = measure_size(n, work, Options(reps=1, budget=0, serve=False, browser=False, references=False,
                                           quick=True, seed=seed))
    return {key: result["ratios"][key] for key in GUARD_KEYS}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated event counts (default 1000,10000)")
    parser.add_argument("--reps", default="5,3", help="runs per measurement, one number or one per size")
    parser.add_argument("--budget", type=float, default=420.0,
                        help="stop repeating a measurement once its runs took this many seconds (default 420)")
    parser.add_argument("--quick", action="store_true", help="N = 1,000, one run, the guard's ratios only")
    parser.add_argument("--no-serve", action="store_true", help="skip the dyad serve edit loop")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium time to interactive")
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite bench/RESULTS.md")
    parser.add_argument("--write-baseline", action="store_true",
                        help="record the N = 1,000 ratios in bench/baseline.json for tests/bench")
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="dyad-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        if args.quick:
            ratios = quick_ratios(work, 1000, args.seed)
            print(json.dumps(ratios, indent=2))
            if BASELINE.exists():
                base = json.loads(BASELINE.read_text(encoding="utf-8"))["ratios"]
                for key, value in ratios.items():
                    print(f"{key}: {value:.3f} (baseline {base.get(key, float('nan')):.3f}, fails above "
                          f"{2 * base.get(key, float('nan')):.3f})")
            return
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        reps = [int(r) for r in args.reps.split(",") if r.strip()]
        reps = (reps + [reps[-1]] * len(sizes))[: len(sizes)]
        results = []
        for n, rep in zip(sizes, reps):
            opts = Options(reps=rep, budget=args.budget, serve=not args.no_serve, browser=not args.no_browser,
                           seed=args.seed)
            results.append(measure_size(n, work, opts))
            RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
        print_summary(results)
        if not args.no_write:
            write_results(results, args, time.perf_counter() - started)
            print(f"\nwrote {RESULTS_MD.relative_to(REPO)} and {RESULTS_JSON.relative_to(REPO)}")
        if args.write_baseline:
            small = [r for r in results if r["n"] == 1000] or results[:1]
            write_baseline(small[0])
            print(f"wrote {BASELINE.relative_to(REPO)}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
