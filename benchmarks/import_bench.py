"""How long ``policybook import`` takes for a 20-page Word policy (target: under 2 s).

    python3 -m benchmarks.import_bench [--runs 5]

The document is the sample handbook's six policies in force, one after
another and then the longest three times more (about 10,000 words, some 20 pages of
A4 in Word's default layout), written as a school would lay it out
(benchmarks/word_fixture.py: built-in styles, automatic numbering, a
document-control table). Prints the median wall and CPU time of
``import_document`` and of reading the Word file alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.word_fixture import write_policy_docx
from policybook.importer import import_document
from policybook.importer.readers import read_document
from policybook.load import load_handbook

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_PAGE = 500


def long_policy(handbook):
    versions = [p.current for p in handbook.policies]
    longest = max(versions, key=lambda v: len(v.clauses))
    sections = [replace(s, title=f"{s.title} ({n})") for n, v in enumerate([*versions, longest, longest, longest], start=1) for s in v.sections]
    return replace(versions[0], title="Staff handbook policy", sections=tuple(sections), definitions=())


def median_times(work, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    handbook = load_handbook(ROOT / "policies").handbook
    with tempfile.TemporaryDirectory() as folder:
        path = write_policy_docx(long_policy(handbook), Path(folder) / "long.docx")
        result = import_document(path, handbook)
        pages = result.words_in / WORDS_PER_PAGE
        read_wall, read_cpu = median_times(lambda: read_document(path), args.runs)
        wall, cpu = median_times(lambda: import_document(path, handbook), args.runs)
    print(f"Word policy: {result.words_in:,} words (about {pages:.0f} pages), {len(result.draft.sections)} sections, "
          f"{len(result.draft.clauses)} clauses")
    print(f"read the .docx:   {read_wall:.2f} s wall, {read_cpu:.2f} s CPU (median of {args.runs})")
    print(f"import_document:  {wall:.2f} s wall, {cpu:.2f} s CPU (median of {args.runs}; target under 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
