"""What each speed device saves today: ``policybook build`` with one device turned off at a time (issue 15).

    python -m benchmarks.ablation MKDOCS_YML [--pairs 3] [--devices fork_map,nav_memo] [--memory] [--json FILE]
    python -m benchmarks.ablation MKDOCS_YML --serve [--pairs 2]

Each build runs in a fresh process (``--worker DEVICE``) through the
``policybook`` command's own entry point (``cli.console``: the exit handler
of ``skip_last_collection`` included), with DEVICE turned off by a patch
made in that process before the build, or by the environment variable the
product already reads (``POLICYBOOK_TEMPLATE_CACHE``); ``on`` patches
nothing. No product code has an off-switch for this script's sake.

Per device, "on" and "off" builds alternate (on-off, off-on, ...), and each
run's wall seconds (this process waiting for the worker) and CPU seconds
(user + system of the worker and every process it waited for: the forked
children, the Pagefind indexer; ``os.wait4``, what ``RUSAGE_CHILDREN``
adds) are recorded; the table shows medians and the load average around
each device's runs. The first "off" site of each device is compared with
the "on" site (``diff -r``), so a figure compares the same pages.

``--memory`` runs one "on" and one "off" build per device, each sampled
for the peak summed PSS of its whole process tree (``run.PssSampler``:
the parent, the forked children and the indexer, shared pages counted
once) and the largest single process's ``ru_maxrss``; the timed runs are
not sampled.

``--serve`` measures the serve devices: seconds (and CPU seconds) from
saving one policy file to "Reloading browsers" (``run.measure_serve``),
with the device on and off in alternate servers.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-01"
OUTPUT = Path(tempfile.gettempdir()) / "policybook-ablation"


# -- turning one device off, in the worker ------------------------------------------


def _serial_map_everywhere() -> None:
    from policybook import cli
    from policybook.mapping import serial_map
    from policybook.mkdocs_adapter import incremental, plugin

    for module in (cli, plugin, incremental):
        module.fork_map = serial_map


class _NoFrozenHeap:
    """``collector.FrozenHeap``'s interface, freezing nothing."""

    def keep(self) -> None:
        pass

    def release(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def _no_frozen_heap() -> None:
    from policybook import cli
    from policybook.mkdocs_adapter import plugin

    cli.FrozenHeap = plugin.FrozenHeap = _NoFrozenHeap


def _collector_running() -> None:
    from policybook import cli
    from policybook.mkdocs_adapter import plugin

    cli.collector_paused = plugin.collector_paused = contextlib.nullcontext


def _last_collection() -> None:
    from policybook import cli

    cli.skip_last_collection = lambda: None


def _no_background_pages() -> None:
    from policybook.mkdocs_adapter import plugin

    plugin.BackgroundPages.start = classmethod(lambda cls, *args, **kwargs: None)


def _no_nav_memo() -> None:
    from policybook.mkdocs_adapter import nav_memo

    nav_memo.install = lambda env, nav, theme: False


def _internals(**changes) -> Callable[[], None]:
    def patch() -> None:
        from policybook.mkdocs_adapter import plugin

        check = plugin.check_internals
        plugin.check_internals = lambda **kwargs: dataclasses.replace(check(**kwargs), **changes)

    return patch


def _stash_in_on_files() -> None:
    from policybook.mkdocs_adapter import plugin

    plugin._stashing = lambda map_items, token, stashes: map_items


def _material_scans() -> None:
    from policybook.mkdocs_adapter import material_search

    material_search.skip_needless_scans = lambda plugins: False


def _no_release() -> None:
    from policybook.mkdocs_adapter import plugin

    # The product's own fallback: a plugin it does not know reads pages after rendering.
    plugin._pages_read_after_rendering = lambda config: True


def _no_trim() -> None:
    from policybook.mkdocs_adapter import background_pages, plugin

    plugin.return_freed_memory = lambda: None
    background_pages.trim_freed_memory = lambda: None


def _parse_again() -> None:
    from policybook.mkdocs_adapter import build

    site_atomically = build.build_site_atomically
    build.build_site_atomically = lambda *args, cache=None, **kwargs: site_atomically(*args, **kwargs)


def _no_page_memo() -> None:
    from policybook.mkdocs_adapter import plugin

    site = plugin.build_site
    plugin.build_site = lambda *args, memo=None, **kwargs: site(*args, **kwargs)


@dataclasses.dataclass(frozen=True)
class Device:
    what: str
    off: Callable[[], None] | None = None
    env: Callable[[], dict] | None = None
    """The environment of an "off" run, where the product reads a switch (made afresh for each run)."""


DEVICES = {
    "fork_map": Device("parsing, generation, Pagefind word counts shared with a forked child", _serial_map_everywhere),
    "frozen_heap": Device("the loaded model (and what exists then) frozen out of collections", _no_frozen_heap),
    "collector_paused": Device("the collector off while files are parsed and the model built", _collector_running),
    "skip_last_collection": Device("no collection at interpreter exit (the console entry point)", _last_collection),
    "template_cache_off": Device("compiled templates on disk: off against warm",
                                 env=lambda: {"POLICYBOOK_TEMPLATE_CACHE": "off"}),
    "template_cache_cold": Device("compiled templates on disk: a first run (empty cache) against warm",
                                  env=lambda: {"POLICYBOOK_TEMPLATE_CACHE": tempfile.mkdtemp(prefix="templates-")}),
    "background_pages": Device("archive pages built by MkDocs in a forked child", _no_background_pages),
    "nav_memo": Device("Material's nav rendered once per folder for unlisted pages", _no_nav_memo),
    "skeleton_headings": Device("headings written from the parts, without Markdown's toc",
                                _internals(skeleton_headings=False)),
    "generated_pages": Device("GeneratedPage: no Markdown for generated pages (implies skeleton)",
                              _internals(generated_pages=False, skeleton_headings=False)),
    "stashing": Device("HTML blocks stashed where the page is made (the child's share on core 2)", _stash_in_on_files),
    "skip_needless_scans": Device("Material's per-page data-search- regex only where it can match", _material_scans),
    "page_release": Device("each page's source and HTML dropped once written (Releaser)", _no_release),
    "return_freed_memory": Device("malloc_trim after generation, before indexing, every 256 released pages",
                                  _no_trim),
    "parse_cache_reuse": Device("build reuses what validation parsed (one parse, not two)", _parse_again),
    "page_memo": Device("serve: pages whose inputs are unchanged are reused (PageMemo)", _no_page_memo),
}
BUILD_DEVICES = [name for name in DEVICES if name != "page_memo"]
MEMORY_DEVICES = ["page_release", "return_freed_memory", "background_pages", "fork_map"]


def _worker(device: str, config: Path, out: Path) -> None:
    if device != "on":
        off = DEVICES[device].off
        if off is not None:
            off()
    from policybook.cli import console

    sys.argv = ["policybook", "-q", "build", "-f", str(config), "-d", str(out), "--today", TODAY]
    console()


def _serve_worker(device: str, arguments: list[str]) -> None:
    if device != "on":
        DEVICES[device].off()
    from mkdocs.__main__ import cli

    cli.main(arguments, prog_name="mkdocs")


# -- running and timing builds ------------------------------------------------------


def run_build(device: str, config: Path, out: Path, *, off: bool, sample_memory: bool = False) -> dict:
    """One build in a fresh process; wall and CPU seconds (and peak memory if sampled)."""
    from benchmarks.run import PssSampler

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    switch = DEVICES[device].env() if off and DEVICES[device].env is not None else {}
    env.update(switch)
    worker_device = device if off and DEVICES[device].off is not None else "on"
    command = [sys.executable, "-m", "benchmarks.ablation", "--worker", worker_device, str(config), str(out)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = PssSampler(process.pid) if sample_memory else None
    if sampler is not None:
        sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if sampler is not None:
        sampler.stop()
    made = switch.get("POLICYBOOK_TEMPLATE_CACHE", "off")
    if made != "off":  # a cache folder made for this one run
        shutil.rmtree(made, ignore_errors=True)
    if process.returncode:
        raise RuntimeError(f"{device} {'off' if off else 'on'} failed:\n{stderr.decode()[-3000:]}")
    result = {"wall": seconds, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024}
    if sampler is not None:
        result["pss_mb"] = sampler.peak_kb / 1024
    return result


def _same_site(reference: Path, site: Path) -> bool:
    return subprocess.run(["diff", "-rq", str(reference), str(site)], capture_output=True).returncode == 0


def _settle(folder: Path) -> None:
    """Remove a built site outside the timed part and let the disk catch up (a big removal stalls the next run)."""
    shutil.rmtree(folder, ignore_errors=True)
    os.sync()
    time.sleep(1.0)


def ablate(config: Path, devices: list[str], pairs: int, scratch: Path) -> dict:
    """Alternated on/off builds per device, with one ``diff -r`` of an "off" site against an "on" site."""
    reference = scratch / "reference"
    _settle(reference)
    run_build("on", config, reference, off=False)  # also warms the template cache and the disk cache
    results = {}
    for device in devices:
        load_before = os.getloadavg()[0]
        on, off, same = [], [], None
        for pair in range(pairs):
            for is_off in ((False, True) if pair % 2 == 0 else (True, False)):
                out = scratch / f"{device}-{'off' if is_off else 'on'}-{pair}"
                figures = run_build(device, config, out, off=is_off)
                (off if is_off else on).append(figures)
                if is_off and same is None:
                    same = _same_site(reference, out)
                _settle(out)
        results[device] = {"on": on, "off": off, "same_site": same,
                           "load": (load_before, os.getloadavg()[0])}
        print(_row(device, results[device]), flush=True)
    _settle(reference)
    return results


def measure_memory(config: Path, devices: list[str], scratch: Path) -> dict:
    results = {}
    for device in devices:
        figures = {}
        for is_off in (False, True):
            out = scratch / f"memory-{device}-{'off' if is_off else 'on'}"
            figures["off" if is_off else "on"] = run_build(device, config, out, off=is_off, sample_memory=True)
            _settle(out)
        results[device] = figures
        on, off = figures["on"], figures["off"]
        print(f"{device:22} peak PSS on {on['pss_mb']:.0f} MB, off {off['pss_mb']:.0f} MB; "
              f"largest RSS on {on['maxrss_mb']:.0f}, off {off['maxrss_mb']:.0f} MB; "
              f"wall on {on['wall']:.1f}, off {off['wall']:.1f} s", flush=True)
    return results


def measure_serve_device(project: Path, device: str, pairs: int, timeout: float) -> dict:
    """Saves under ``mkdocs serve`` with ``device`` on and off, in alternate servers (three saves each)."""
    from benchmarks.run import SERVE_EDITS, measure_serve

    results: dict = {"on": [], "off": [], "on_cpu": [], "off_cpu": []}
    for pair in range(pairs):
        for is_off in ((False, True) if pair % 2 == 0 else (True, False)):
            name = "off" if is_off else "on"
            cpu: list[float] = []
            launcher = ["-m", "benchmarks.ablation", "--serve-worker", device if is_off else "on", "--"]
            results[name] += measure_serve(project, SERVE_EDITS, timeout, cpu, launcher=launcher)
            results[f"{name}_cpu"] += cpu
    print(f"{device}: rebuild after a save on {statistics.median(results['on']):.2f} s "
          f"({statistics.median(results['on_cpu']):.2f} CPU s), off {statistics.median(results['off']):.2f} s "
          f"({statistics.median(results['off_cpu']):.2f} CPU s)", flush=True)
    return results


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(figures[key] for figures in runs)


def _row(device: str, result: dict) -> str:
    on_wall, off_wall = _median(result["on"], "wall"), _median(result["off"], "wall")
    on_cpu, off_cpu = _median(result["on"], "cpu"), _median(result["off"], "cpu")
    return (f"{device:22} wall on {on_wall:6.2f} off {off_wall:6.2f} saved {off_wall - on_wall:+6.2f} | "
            f"CPU on {on_cpu:6.2f} off {off_cpu:6.2f} saved {off_cpu - on_cpu:+6.2f} | "
            f"same site {result['same_site']} | load {result['load'][0]:.2f}-{result['load'][1]:.2f}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-worker":
        _serve_worker(sys.argv[2], sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path, help="the handbook's mkdocs.yml")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--devices", help="comma-separated (default: every build device, or the memory ones)")
    parser.add_argument("--memory", action="store_true", help="peak memory, one on and one off build per device")
    parser.add_argument("--serve", action="store_true", help="serve rebuilds after a save, PageMemo on and off")
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    config = args.config.resolve()
    scratch = OUTPUT / config.parent.name
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"{config}, load average {os.getloadavg()[0]:.2f}", flush=True)
    if args.serve:
        results = {device: measure_serve_device(config.parent, device, args.pairs, args.timeout)
                   for device in (args.devices.split(",") if args.devices else ["page_memo"])}
    elif args.memory:
        results = measure_memory(config, args.devices.split(",") if args.devices else MEMORY_DEVICES, scratch)
    else:
        results = ablate(config, args.devices.split(",") if args.devices else BUILD_DEVICES, args.pairs, scratch)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
