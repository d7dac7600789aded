"""The built site's own search worker, run in node, and its answers as the search box shows them.

Shared by the benchmarks that post questions to ``benchmarks/worker_ranks.js``
(``semantic_probe.py``, ``miss_table.py``): no dependency beyond the project's.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SETS = ("sample", "heldout", "blind", "fourth", "fifth", "sixth")
MATERIAL_PAGES = 10  # the search box renders ten pages' results before any scrolling


def load_set(name: str) -> list[dict]:
    if "seventh" in name:
        raise SystemExit("the seventh set is kept blind for judging")
    return yaml.safe_load((HERE / f"{name}_questions.yaml").read_text(encoding="utf-8"))


def key(location: str) -> str | None:
    page, _, anchor = location.partition("#")
    return f"{Path(page).stem}#{anchor}" if anchor else None


def worker_groups(site: Path, queries: list[str], *, matched: bool = False) -> list[list[list]]:
    """Per question, the worker's groups: [location, score] per entry, [location, score, words matched] with ``matched``."""
    command = ["node", str(HERE / "worker_ranks.js"), str(site), *(["--matched"] if matched else [])]
    out = subprocess.run(command, input=json.dumps(queries), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def material_visible(groups: list[list]) -> list[str]:
    """The clause results the search box shows: per page, those scoring at least its top entry's score."""
    shown = []
    for group in groups[:MATERIAL_PAGES]:
        threshold = -math.inf if group[0][1] is None else group[0][1]  # JSON has no -Infinity
        for doc in group:
            if "#" not in doc[0]:
                continue
            if doc[1] < threshold:
                break
            shown.append(key(doc[0]))
    return shown


def rank_of(results: list[str], answers: list[str]) -> int | None:
    for position, result in enumerate(results, start=1):
        if result in answers:
            return position
    return None


def figures(ranks: list[int | None]) -> tuple[float, float, float]:
    return (sum(r == 1 for r in ranks) / len(ranks), sum(r is not None and r <= 3 for r in ranks) / len(ranks),
            statistics.fmean(1 / r if r else 0 for r in ranks))
