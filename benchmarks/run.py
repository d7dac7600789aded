"""Run every benchmark and print one table: ``python3 -m benchmarks.run``.

Each measurement runs in a fresh subprocess (``--worker TASK``), so timings
include no warm caches from earlier runs and each worker reports its own peak
memory (``ru_maxrss``). The table shows the median of several runs; fewer
runs at the big scales (``--runs`` overrides).

Measurements, per scale:

- ``validate``: ``load_handbook`` (parse, schema, cross-checks, model).
- ``generate``: ``build_site`` (model to pages), the handbook already loaded.
- ``build``: ``policybook build`` end to end (validate, then mkdocs build with
  the plugin, atomic swap).
- ``plain``: the same pages written by ``policybook export`` and built by
  plain ``mkdocs build`` with the same theme, extensions and search plugin,
  nav and extra_css from ``policybook-nav.json``. ``build / plain`` is the
  generator's overhead ratio.
- ``compare``: the comparison engine over every comparison page, per clause.
- CPU seconds of the build process, and of its children (the forked
  children and the Pagefind indexer, once each has exited).
- peak memory of the build: the build process's own (``ru_maxrss``), the
  largest child's, and on Linux the peak of all its processes together (PSS
  summed over the process tree, sampled every 0.2 s: the fork's children and
  the Pagefind indexer included, shared pages counted once), in one build
  run of its own: sampling slows the processes it reads, so the timed runs
  are not sampled (``--sampled-timing`` samples them, as before 2026-12-02);
  site size, ``search/search_index.json`` size.
- ``serve``: seconds from saving one policy file to mkdocs serve's
  "Reloading browsers" log line (the rebuild is done), and the CPU seconds
  the server and its children spent on it (``serve_cpu``, Linux only);
  under Pagefind, also until the new search index is in place
  (``serve_search``, ``serve_search_cpu``: it follows the reload).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Sequence

import yaml

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-01"
DEFAULT_RUNS = {"sample": 5, "100": 3, "500": 2, "1000": 1}
SERVE_EDITS = 3


# -- workers: one measurement each, in their own process ------------------------


def _worker(task: str, target: Path) -> dict:
    from policybook.load import ParseCache, load_handbook
    from policybook.speed.parallel import fork_map

    policies = target / "policies"
    if task == "validate":
        started = time.perf_counter()
        # As `policybook validate` loads: part of the parsing on the second core.
        result = load_handbook(policies, cache=ParseCache(map_items=fork_map))
        seconds = time.perf_counter() - started
        assert result.ok, result.problems[:5]
        versions = sum(len(p.versions) for p in result.handbook.policies)
        return {"seconds": seconds, "versions": versions}
    if task == "generate":
        from policybook.pages import SiteOptions, build_site

        handbook = load_handbook(policies).handbook
        started = time.perf_counter()
        site = build_site(handbook, SiteOptions(today=_date(TODAY)), map_items=fork_map)  # as the plugin builds
        return {"seconds": time.perf_counter() - started, "pages": len(site.pages)}
    if task == "build":
        from policybook.cli import cli

        started = time.perf_counter()
        cli.main(["build", "-f", str(target / "mkdocs.yml"), "-d", str(target / "site"), "--today", TODAY],
                 standalone_mode=False)
        return {"seconds": time.perf_counter() - started}
    if task == "plain":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        started = time.perf_counter()
        build(load_config(str(target / "plain.yml"), strict=True))
        return {"seconds": time.perf_counter() - started}
    if task == "compare":
        from policybook.views.compare import compare_versions
        from policybook.views.handbook import comparison_pairs

        handbook = load_handbook(policies).handbook
        pairs = [pair for policy in handbook.policies for pair in comparison_pairs(policy)]
        started = time.perf_counter()
        clauses = 0
        for old, new in pairs:
            compare_versions(old, new)
            clauses += len(new.clauses)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "per_clause_us": seconds / max(clauses, 1) * 1e6, "clauses": clauses}
    raise SystemExit(f"unknown task {task}")


def _date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def run_worker(task: str, target: Path, timeout: float, *, sample_memory: bool = False) -> dict:
    """One measurement in a fresh process; with ``sample_memory``, also the peak PSS of its process tree.

    Sampling PSS costs the measured processes time (the kernel walks their page
    tables each time, about 17 ms for a 900 MB process, with their memory map
    locked), so timed runs go unsampled and the memory figure has a run of its own.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-m", "benchmarks.run", "--worker", task, str(target)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as worker:
        peak_pss = PssSampler(worker.pid) if sample_memory else None
        if peak_pss is not None:
            peak_pss.start()
        try:
            stdout, stderr = worker.communicate(timeout=timeout)
        finally:
            if peak_pss is not None:
                peak_pss.stop()
    if worker.returncode:
        raise RuntimeError(f"{task} failed:\n{stderr[-3000:]}")
    output = json.loads(stdout.strip().splitlines()[-1])
    if peak_pss is not None and peak_pss.peak_kb:
        output["pss_peak_kb"] = peak_pss.peak_kb
    return output


class PssSampler(threading.Thread):
    """The peak, over time, of the summed PSS of a process and all its descendants (Linux).

    ``ru_maxrss`` is per process, and a forked child's RSS counts the memory
    it shares with its parent again; PSS splits shared pages between the
    processes that map them, so the sum is what the build as a whole holds.
    Sampled every ``interval`` seconds: a peak shorter than that can be missed.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        if not Path(f"/proc/{self.pid}/smaps_rollup").exists():
            return  # not Linux: the column stays empty
        while not self._done.wait(self.interval):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _process_tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _process_tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid] + [tree_pid for child in children for tree_pid in _process_tree(int(child))]


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # it has just exited
    match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
    return int(match.group(1)) if match else 0


# -- preparing a scale -----------------------------------------------------------


def prepare(scale: str, workdir: Path, export: bool = True) -> Path:
    """A folder with mkdocs.yml and policies/ for ``scale`` (made once, then reused)."""
    from benchmarks.synth import MKDOCS_YML, Scale, write_handbook

    target = workdir / f"scale-{scale}"
    if not (target / "mkdocs.yml").exists():
        shutil.rmtree(target, ignore_errors=True)
        if scale == "sample":
            shutil.copytree(ROOT / "policies", target / "policies")
            (target / "docs").mkdir(parents=True)
            (target / "mkdocs.yml").write_text(MKDOCS_YML.format(name="Elmbrook Primary School"), encoding="utf-8")
        else:
            write_handbook(target, Scale(policies=int(scale)))
    if export:
        _export(target)
    return target


def _export(target: Path) -> None:
    """``policybook export`` into ``exported/`` and a plain mkdocs config over it."""
    exported = target / "exported"
    shutil.rmtree(exported, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "policybook", "export", str(exported), "-p", str(target / "policies"),
                    "--today", TODAY], cwd=ROOT, env=env, check=True, capture_output=True)
    extra = json.loads((exported / "policybook-nav.json").read_text(encoding="utf-8"))
    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = "exported"
    config["site_dir"] = "site-plain"
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "policybook" in p)]
    config["nav"] = extra["nav"]
    config["extra_css"] = extra["extra_css"]
    (target / "plain.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


# -- serve --------------------------------------------------------------------------


def _process_cpu(pid: int) -> float | None:
    """CPU seconds of a process and its waited-for children, from /proc (None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


BACKGROUND = "updates the search index in the background"
INDEXED = "Policybook updated the search index"


def measure_serve(target: Path, edits: int, timeout: float, cpu: list[float] | None = None,
                  search: list[tuple[float, float]] | None = None,
                  launcher: Sequence[str] = ("-m", "mkdocs")) -> list[float]:
    """Seconds from saving a policy file to "Reloading browsers", ``edits`` times (CPU seconds into ``cpu``).

    Under Pagefind the index follows the reload: each edit waits for it
    before the next, and ``search`` gets (seconds, CPU seconds) from the
    save until the new index is in place. ``launcher``: what follows the
    interpreter before MkDocs' own arguments (``benchmarks.ablation`` puts a
    patched MkDocs there).
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, *launcher, "serve", "-f", str(target / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        cwd=target, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    lines: list[tuple[float, str]] = []
    lock = threading.Condition()

    def read() -> None:
        for line in server.stdout:
            with lock:
                lines.append((time.perf_counter(), line))
                lock.notify_all()

    def wait_for(pattern: str, after: int, deadline: float) -> float | None:
        with lock:
            while time.perf_counter() < deadline:
                for stamp, line in lines[after:]:
                    if pattern in line:
                        return stamp
                if server.poll() is not None:
                    return None
                lock.wait(0.05)
        return None

    threading.Thread(target=read, daemon=True).start()
    victim = _serve_victim(target)
    original = victim.read_text(encoding="utf-8")
    times = []
    try:
        if wait_for("Serving on", 0, time.perf_counter() + timeout) is None:
            raise RuntimeError("mkdocs serve did not start:\n" + "".join(line for _, line in lines[-30:]))
        for edit in range(edits):
            time.sleep(1.0)
            with lock:
                seen = len(lines)
            started, cpu_before = time.perf_counter(), _process_cpu(server.pid)
            victim.write_text(original.replace("summary: ", f"summary: Edit {edit}. ", 1), encoding="utf-8")
            done = wait_for("Reloading browsers", seen, started + timeout)
            if done is None:
                raise RuntimeError("no rebuild seen:\n" + "".join(line for _, line in lines[-30:]))
            times.append(done - started)
            cpu_after = _process_cpu(server.pid)
            if cpu is not None and cpu_before is not None and cpu_after is not None:
                cpu.append(cpu_after - cpu_before)
            if any(BACKGROUND in line for _, line in lines[seen:]):  # Pagefind indexes after the reload
                indexed = wait_for(INDEXED, seen, started + timeout)
                if indexed is None:
                    raise RuntimeError("no search index seen:\n" + "".join(line for _, line in lines[-30:]))
                if search is not None:
                    search.append((indexed - started, (_process_cpu(server.pid) or 0) - (cpu_before or 0)))
    finally:
        victim.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return times


def _serve_victim(target: Path) -> Path:
    """The adopted version of the first policy: the file an author would edit."""
    for path in sorted((target / "policies").glob("*/v*.yaml")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^status: adopted$", text, re.M) and "\nsummary: " in text:
            return path
    raise RuntimeError("no adopted policy with a summary to edit")


# -- one scale ----------------------------------------------------------------------


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


TASKS = ("validate", "generate", "build", "plain", "compare")


MEMORY_TASKS = ("build",)
"""Tasks whose peak PSS the table shows: measured in one more run, unless ``sampled_timing``."""


def measure(scale: str, workdir: Path, runs: int, timeout: float, serve: bool, tasks=TASKS,
            sampled_timing: bool = False) -> dict:
    target = prepare(scale, workdir, export="plain" in tasks)
    result: dict = {"scale": scale, "runs": runs}
    samples: dict[str, list[dict]] = {}
    for _ in range(runs):
        for task in tasks:
            samples.setdefault(task, []).append(
                run_worker(task, target, timeout, sample_memory=sampled_timing and task in MEMORY_TASKS))
    for task in MEMORY_TASKS if not sampled_timing else ():
        if task in tasks:
            result[f"{task}_pss_mb"] = run_worker(task, target, timeout, sample_memory=True)["pss_peak_kb"] / 1024
    for task, values in samples.items():
        result[task] = statistics.median(v["seconds"] for v in values)
        result[f"{task}_cpu"] = statistics.median(v["cpu_seconds"] for v in values)
        result[f"{task}_children_cpu"] = statistics.median(v.get("children_cpu_seconds", 0) for v in values)
        result[f"{task}_rss_mb"] = max(v["maxrss_kb"] for v in values) / 1024
        result[f"{task}_child_rss_mb"] = max(v.get("children_maxrss_kb", 0) for v in values) / 1024
        if sampled_timing and all("pss_peak_kb" in v for v in values):
            result[f"{task}_pss_mb"] = max(v["pss_peak_kb"] for v in values) / 1024
    result["policies"] = sum(1 for p in (target / "policies").iterdir() if p.is_dir())
    if "generate" in samples:
        result["pages"] = samples["generate"][0]["pages"]
    if "compare" in samples:
        result["compare_us_per_clause"] = statistics.median(v["per_clause_us"] for v in samples["compare"])
    if "build" in samples and "plain" in samples:
        result["ratio"] = result["build"] / result["plain"]
        result["ratio_cpu"] = result["build_cpu"] / result["plain_cpu"]
    if "build" in samples:
        result["build_ms_per_policy"] = result["build"] / result["policies"] * 1000
        result["build_cpu_ms_per_policy"] = result["build_cpu"] / result["policies"] * 1000
        result["site_mb"] = _size(target / "site") / 2**20
        result["search_mb"] = (target / "site" / "search" / "search_index.json").stat().st_size / 2**20
        if (target / "site" / "pagefind").is_dir():
            result["pagefind_mb"] = _size(target / "site" / "pagefind") / 2**20
    if serve:
        cpu: list[float] = []
        search: list[tuple[float, float]] = []
        times = measure_serve(target, SERVE_EDITS if runs > 1 else 1, timeout, cpu, search)
        result["serve"] = statistics.median(times)
        if cpu:
            result["serve_cpu"] = statistics.median(cpu)
        if search:
            result["serve_search"] = statistics.median(seconds for seconds, _ in search)
            result["serve_search_cpu"] = statistics.median(seconds for _, seconds in search)
    result["load"] = os.getloadavg()[0]
    return result


COLUMNS = (
    ("scale", "scale", "{}"), ("pages", "pages", "{}"), ("validate", "validate s", "{:.2f}"),
    ("generate", "generate s", "{:.2f}"), ("build", "build s", "{:.1f}"), ("plain", "plain mkdocs s", "{:.1f}"),
    ("ratio", "ratio", "{:.2f}"), ("build_cpu", "build CPU s", "{:.1f}"),
    ("build_children_cpu", "build children CPU s", "{:.1f}"), ("plain_cpu", "plain CPU s", "{:.1f}"),
    ("ratio_cpu", "CPU ratio", "{:.2f}"), ("build_cpu_ms_per_policy", "CPU ms/policy", "{:.0f}"),
    ("compare_us_per_clause", "compare us/clause", "{:.0f}"), ("build_rss_mb", "build peak MB", "{:.0f}"),
    ("build_child_rss_mb", "largest child MB", "{:.0f}"), ("build_pss_mb", "build PSS MB, all processes", "{:.0f}"),
    ("site_mb", "site MB", "{:.1f}"), ("search_mb", "search index MB", "{:.2f}"),
    ("pagefind_mb", "pagefind MB", "{:.2f}"), ("serve", "serve rebuild s", "{:.2f}"),
    ("serve_cpu", "serve rebuild CPU s", "{:.2f}"), ("serve_search", "search index s", "{:.2f}"),
    ("serve_search_cpu", "search index CPU s", "{:.2f}"),
    ("runs", "runs", "{}"), ("load", "load avg", "{:.1f}"),
)


def table(results: list[dict]) -> str:
    rows = [[title for _, title, _ in COLUMNS]]
    for result in results:
        rows.append([fmt.format(result[key]) if key in result else "-" for key, _, fmt in COLUMNS])
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "|".join(" --- " for _ in COLUMNS) + "|")
    return "\n".join(lines)


def measured_elsewhere(package: Path, checkout: Path) -> str | None:
    """A warning when the installed ``policybook`` (``package``, its folder) is not ``checkout``'s own code.

    The package's source folder is ``generator/``, so a checkout on the path
    does not make it importable as ``policybook``: whatever pip installed
    is measured. Comparing two commits takes a venv for each.
    """
    if package.resolve() == (checkout / "generator").resolve():
        return None
    return (f"benchmarks.run measures the policybook installed at {package}, not {checkout / 'generator'}: "
            f"install this checkout (pip install -e .) in its own venv to measure it")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Policybook benchmarks: one table, median of several runs.")
    parser.add_argument("--scales", default="sample,100,500,1000", help="comma-separated: sample and/or policy counts")
    parser.add_argument("--runs", type=int, help="runs per scale (default: 5 sample, 3 at 100, 2 at 500, 1 at 1000)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/policybook-bench"), help="where handbooks and sites go")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed for any one measurement")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve rebuild measurement")
    parser.add_argument("--tasks", default=",".join(TASKS),
                        help=f"comma-separated subset of {','.join(TASKS)}; empty for the serve rebuild only")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--sampled-timing", action="store_true",
                        help="sample memory during the timed runs, as before 2026-12-02 (slows them), not in a run of its own")
    parser.add_argument("--worker", nargs=2, metavar=("TASK", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        output = _worker(args.worker[0], Path(args.worker[1]))
        usage = resource.getrusage(resource.RUSAGE_SELF)
        output["maxrss_kb"] = usage.ru_maxrss
        # The forked page builder and Pagefind: each its own process, so not added to the above.
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        output["children_maxrss_kb"] = children.ru_maxrss
        output["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        output["children_cpu_seconds"] = children.ru_utime + children.ru_stime
        print(json.dumps(output))
        return
    import policybook  # the workers import the same one: PYTHONPATH holds this checkout, not its package
    warning = measured_elsewhere(Path(policybook.__file__).parent, ROOT)
    if warning:
        print(warning, file=sys.stderr)
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales.split(","):
        runs = args.runs or DEFAULT_RUNS.get(scale, 1)
        print(f"[{time.strftime('%H:%M:%S')}] scale {scale}, {runs} run(s), load {os.getloadavg()[0]:.1f}", file=sys.stderr)
        tasks = tuple(task for task in args.tasks.split(",") if task)
        results.append(measure(scale, args.workdir, runs, args.timeout, not args.no_serve, tasks,
                               sampled_timing=args.sampled_timing))
        print(table(results[-1:]), file=sys.stderr)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
