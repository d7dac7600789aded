"""Generating pages like for like: one fixed handbook, the code of several commits.

``python3 -m benchmarks.generate_trees HANDBOOK/policies 11e4a8c HEAD --runs 3``
prints the CPU seconds (``time.process_time``) of ``build_site`` on the loaded
handbook, serial (no ``fork_map``, so all the work is in the measured
process), for each commit in turn, round after round, and the median per
commit. Each run is a fresh process that imports the commit's ``generator/``
(extracted with ``git archive``) as ``policybook``; the shared machine's load
moves all commits alike when their runs alternate.

A commit may also be a checkout's folder, measured with its edits as they are
(``/tmp/off HEAD``: a device switched off in a scratch worktree against HEAD).

``--dump FILE`` instead writes every page the current checkout generates
(staff; public with directory URLs; staff preview), part by part, to FILE:
two dumps compare byte for byte (``cmp``) before and after a change that must
not change the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 1)


def _tree(commit: str, trees: Path) -> Path:
    """A folder holding the commit's generator/ as an importable ``policybook``.

    ``commit`` may also be a checkout's folder (a worktree with uncommitted
    edits, such as a device switched off to measure it): its generator/ as it is.
    """
    if (Path(commit) / "generator").is_dir():
        tree = trees / f"dir{len(list(trees.iterdir()))}"
        tree.mkdir(parents=True)
        (tree / "policybook").symlink_to(Path(commit).resolve() / "generator")
        return tree
    name = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=7", commit], check=True,
                          capture_output=True, text=True).stdout.strip()
    tree = trees / name
    if not tree.exists():
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", name, "generator"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        (tree / "policybook").symlink_to("generator")
    return tree


def _serial(function, items, **_hints):
    return [function(item) for item in items]


def _build(policies: Path):
    """Load, then build the site serially; returns the site and the build's CPU seconds."""
    from policybook.load import load_handbook

    try:
        from policybook.pages import SiteOptions, build_site
        import policybook.pages.site as site_module
    except ImportError:  # before issue 15's layout
        from policybook.site import SiteOptions, build_site
        import policybook.site as site_module
    handbook = load_handbook(policies).handbook
    kwargs = {}
    if "map_items" in inspect.signature(build_site).parameters:
        kwargs["map_items"] = _serial
    else:  # the old build_site forked by itself
        site_module.fork_map = _serial
    started = time.process_time()
    site = build_site(handbook, SiteOptions(today=TODAY), **kwargs)
    return site, time.process_time() - started


def _worker(tree: str, policies: Path) -> None:
    sys.path.insert(0, tree)
    import policybook

    assert policybook.__file__.startswith(tree), policybook.__file__
    site, cpu = _build(policies)
    print(json.dumps({"cpu": round(cpu, 3), "pages": len(site.pages)}))


def _dump(policies: Path, out: Path) -> None:
    from policybook.edition import select_edition
    from policybook.load import load_handbook
    from policybook.pages import SiteOptions, build_site

    handbook = load_handbook(policies).handbook
    with out.open("w", encoding="utf-8") as file:
        for edition, directory_urls, preview in (("staff", False, False), ("public", True, False), ("staff", False, True)):
            options = SiteOptions(today=TODAY, directory_urls=directory_urls, preview_drafts=preview, edition=edition)
            site = build_site(select_edition(handbook, edition), options)
            file.write(f"=== {edition} directory_urls={directory_urls} preview={preview}\n")
            for page in site.pages:
                file.write(f"--- {page.path} {page.title!r} {page.in_nav} {page.searchable} {page.answers_in_parts}\n")
                file.writelines(repr(part) + "\n" for part in page.body.parts)
            file.write(json.dumps([site.nav, site.assets, site.vocabulary], sort_keys=True, default=str) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("policies", type=Path)
    parser.add_argument("commits", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write the current checkout's pages to this file instead")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    policies = args.policies.resolve()
    if args.worker:
        return _worker(args.worker, policies)
    if args.dump:
        return _dump(policies, args.dump)
    results: dict[str, list[float]] = {commit: [] for commit in args.commits}
    with tempfile.TemporaryDirectory() as scratch:
        trees = {commit: _tree(commit, Path(scratch)) for commit in args.commits}
        for round_ in range(1, args.runs + 1):
            for commit in args.commits:
                env = {**os.environ, "PYTHONPATH": str(ROOT)}
                output = subprocess.run([sys.executable, "-m", "benchmarks.generate_trees", str(policies), "--worker",
                                         str(trees[commit])], cwd=scratch, env=env, check=True, capture_output=True,
                                        text=True).stdout
                run = json.loads(output.strip().splitlines()[-1])
                results[commit].append(run["cpu"])
                load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
                print(f"round {round_} {commit:>10} {run['cpu']:6.2f} s CPU, {run['pages']} pages (load {load:.1f})", flush=True)
    for commit, cpus in results.items():
        print(f"{commit:>10} median {statistics.median(cpus):.2f} s CPU over {len(cpus)} runs")


if __name__ == "__main__":
    main()
