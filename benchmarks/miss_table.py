"""Why search misses: ``python3 benchmarks/miss_table.py SITE [--sets fifth,sixth] [--list]``.

Posts every question of the named sets to the built site's own search worker
(``worker_ranks.js``, as ``semantic_probe.py`` does) and sorts its misses:

- a question whose answer is not among the first three *visible* clause results
  (hit@3 missed) by where the worker ranked it among all clauses:
  (a) in its first three, but folded under "N more on this page" or pushed down
  by the grouping into pages; (b) 4th to 10th; (c) 11th or lower; (d) not returned;
- a question whose answer is not the first visible result (hit@1 missed) by what
  came first: on the answer's page or another; a policy's Definitions, its purpose
  or scope (section 1), another clause, or a reference page (register, glossary,
  roles); and whether it matched more of the question's words than the answer did,
  as many, or fewer.

Class (a) is what the grouping costs; (b)-(d) and "more words" are the ranking's
and the vocabulary's. Refuses the seventh set, which is kept blind for judging.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.worker_results import figures, key, load_set, material_visible, rank_of, worker_groups  # noqa: E402


@dataclass(frozen=True)
class Miss:
    query: str
    shown: int | None
    """The answer's place among the visible clause results."""
    ranked: int | None
    """Its place among all the clauses the worker returned, by score."""
    depth: str | None
    """(a)-(d) for a hit@3 miss, else None."""
    first: tuple[str, str, str] | None
    """For a hit@1 miss: (whose page, what kind, words matched against the answer's); None if nothing was shown."""
    first_key: str | None


def kind(location: str, title: str) -> str:
    if not location.startswith("policies/") and "/policies/" not in location:
        return "reference page"
    if location.endswith("#definitions"):
        return "definitions"
    return "purpose or scope" if title.startswith("1.") else "clause"


def sort_miss(question: dict, groups: list[list], titles: dict[str, str]) -> Miss | None:
    """The miss ``groups`` (the worker's answer, with words matched) make of ``question``; None if a hit@1."""
    answers = question["answers"]
    shown_list = material_visible(groups)
    shown = rank_of(shown_list, answers)
    if shown == 1:
        return None
    clauses = sorted((doc for group in groups for doc in group if "#" in doc[0]), key=lambda doc: -doc[1])
    ranked = rank_of([key(doc[0]) for doc in clauses], answers)
    depth = None
    if not (shown and shown <= 3):
        depth = "a" if ranked and ranked <= 3 else "b" if ranked and ranked <= 10 else "c" if ranked else "d"
    if not shown_list:
        return Miss(question["query"], shown, ranked, depth, None, None)
    top = shown_list[0]
    top_doc = next(doc for doc in clauses if key(doc[0]) == top)
    answer_words = max((doc[2] for doc in clauses if key(doc[0]) in answers), default=0)
    page = "same page" if top.split("#")[0] in {answer.split("#")[0] for answer in answers} else "other page"
    words = "more words" if top_doc[2] > answer_words else "as many words" if top_doc[2] == answer_words else "fewer words"
    return Miss(question["query"], shown, ranked, depth, (page, kind(top_doc[0], titles.get(top_doc[0], "")), words), top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--sets", default="fifth,sixth")
    parser.add_argument("--list", action="store_true", help="print every miss too")
    args = parser.parse_args(argv)
    docs = json.loads((args.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    titles = {doc["location"]: doc.get("title", "") for doc in docs}
    for name in args.sets.split(","):
        questions = load_set(name)
        groups = worker_groups(args.site, [question["query"] for question in questions], matched=True)
        ranks = [rank_of(material_visible(found), question["answers"]) for question, found in zip(questions, groups)]
        misses = [miss for miss in map(sort_miss, questions, groups, [titles] * len(questions)) if miss]
        hit1, hit3, mrr = figures(ranks)
        print(f"## {name}: {len(questions)} questions, hit@1 {hit1:.1%}, hit@3 {hit3:.1%}, MRR {mrr:.3f}")
        depths = collections.Counter(miss.depth for miss in misses if miss.depth)
        print("hit@3 missed, by the worker's rank of the answer: " + ", ".join(
            f"({d}) {depths[d]}" for d in "abcd") + f"; {sum(depths.values())} in all")
        firsts = collections.Counter(miss.first or ("nothing shown", "", "") for miss in misses)
        print(f"hit@1 missed ({len(misses)}), by what came first:")
        for (page, what, words), count in firsts.most_common():
            print(f"  {count:4}  {page}, {what}, {words}".rstrip(", "))
        if args.list:
            for miss in misses:
                print(f"  [{miss.depth or '-'}] shown {miss.shown}, ranked {miss.ranked}: {miss.query!r} -> {miss.first_key}")


if __name__ == "__main__":
    main()
