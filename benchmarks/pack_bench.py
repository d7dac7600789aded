"""Benchmark of the governors' pack (prints figures; not a test).

    python3 -m benchmarks.pack_bench [POLICIES ...]   # default: the sample handbook

For each handbook: ``build_site`` CPU and wall seconds with the pack pages
and with them left out (medians of three), how many pack pages it made, and
the time to render every pack of the handbook's comparison pairs as a
standalone HTML document (what ``policybook pack --format html`` does,
printing aside).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from policybook.load import load_handbook
from policybook.outputs.pack import pack_html
from policybook.pages import SiteOptions, build_site
from policybook.pages import site as site_module
from policybook.views.compare import compare_versions
from policybook.views.handbook import comparison_pairs

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 1)


def timed(function, runs: int = 3) -> tuple[float, float, object]:
    cpu, wall, result = [], [], None
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        result = function()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall), result


def main(folders: list[Path]) -> None:
    print("| handbook | pages | pack pages | generate CPU s without / with packs | generate wall s without / with | every pack as HTML, CPU s |")
    print("| --- | --- | --- | --- | --- | --- |")
    real = site_module.pack_pairs
    for folder in folders:
        handbook = load_handbook(folder).handbook
        site_module.pack_pairs = lambda policy, pairs, **_: ()
        try:
            cpu_without, wall_without, _ = timed(lambda: build_site(handbook, SiteOptions(today=TODAY)))
        finally:
            site_module.pack_pairs = real
        cpu_with, wall_with, site = timed(lambda: build_site(handbook, SiteOptions(today=TODAY)))
        packs = sum(1 for page in site.pages if "/pack-v" in page.path)
        pairs = [pair for policy in handbook.policies for pair in comparison_pairs(policy)]
        cpu_packs, _, _ = timed(lambda: [pack_html(handbook, compare_versions(old, new, handbook=handbook), today=TODAY)
                                         for old, new in pairs], runs=1)
        print(f"| {folder} | {len(site.pages)} | {packs} | {cpu_without:.2f} / {cpu_with:.2f} | "
              f"{wall_without:.2f} / {wall_with:.2f} | {cpu_packs:.2f} ({len(pairs)} packs) |")


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or [ROOT / "policies"])
