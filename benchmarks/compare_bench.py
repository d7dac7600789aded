"""Benchmark of version comparison (prints figures; not a test).

    python3 benchmarks/compare_bench.py

1. Two synthetic 500-clause versions with about 5% of clauses edited
   (reworded, obligation changed, moved, added, removed): time per clause
   with stable ids, and with every id scrambled so the similarity fallback
   aligns all of them.
2. Every comparison page of the sample handbook, compared and rendered.

Targets (issue 3): < 0.2 ms/clause with ids, < 0.5 ms/clause without,
all sample comparison pages < 0.5 s.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policybook.load import load_handbook  # noqa: E402
from policybook.model import Clause, Obligation, PolicyVersion, Review, Scope, Section, Status  # noqa: E402
from policybook.render import Renderer  # noqa: E402
from policybook import urls  # noqa: E402
from policybook.views.compare import compare_versions, picker_pairs  # noqa: E402
from policybook.views.handbook import comparison_pairs  # noqa: E402

CLAUSES, SECTIONS, EDITED = 500, 20, 0.05
VOCABULARY = (
    "staff pupil parent governor report record concern safeguarding lead headteacher office day week term "
    "account post message photo consent device school policy online content share check approve keep delete "
    "within hours request data personal official social media privacy settings the a of to and in on for with"
).split()
OBLIGATIONS = [Obligation.MUST, Obligation.SHOULD, Obligation.MAY, Obligation.MUST_NOT, None]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(18, 45))]
    return " ".join(words).capitalize() + "."


def build(clauses: list[tuple[int, Clause]], label: str) -> PolicyVersion:
    sections = []
    for s in range(SECTIONS):
        members = [c for section, c in clauses if section == s]
        numbered = tuple(dataclasses.replace(c, number=f"{s + 1}.{k}") for k, c in enumerate(members, 1))
        sections.append(Section(id=f"s{s}", title=f"Section {s}", number=str(s + 1), clauses=numbered))
    return PolicyVersion(
        policy_id="bench", version=label, title="Bench", category="general", status=Status.ADOPTED, owner="board",
        scope=Scope(("all-staff",)), sections=tuple(sections), review=Review(None, 12),
    )


def synthetic(seed: int = 3):
    rng = random.Random(seed)
    old = [
        (k * SECTIONS // CLAUSES, Clause(id=f"c{k}", text=sentence(rng), number="", obligation=rng.choice(OBLIGATIONS), applies_to=("all-staff",)))
        for k in range(CLAUSES)
    ]
    new = list(old)
    edited = rng.sample(range(CLAUSES), int(CLAUSES * EDITED))
    for n, k in enumerate(edited):
        section, c = new[k]
        kind = n % 5
        if kind in (0, 1):  # reword a few words
            words = c.text.split()
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
            new[k] = (section, dataclasses.replace(c, text=" ".join(words)))
        elif kind == 2:
            new[k] = (section, dataclasses.replace(c, obligation=Obligation.MUST))
        elif kind == 3:  # move to another section
            new[k] = ((section + 7) % SECTIONS, c)
        else:
            new[k] = None
    new = [item for item in new if item is not None]
    for k in range(5):
        new.insert(rng.randrange(len(new)), (rng.randrange(SECTIONS), Clause(id=f"new{k}", text=sentence(rng), number="", obligation=Obligation.MUST)))
    scrambled = [(s, dataclasses.replace(c, id=f"imported-{rng.random():.12f}")) for s, c in new]
    return build(old, "1"), build(new, "2"), build(scrambled, "2")


def timed(function, repeat: int) -> float:
    """Best of ``repeat`` runs (as timeit advises: slower runs measure the machine's other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    print(f"    (median of {repeat} runs: {statistics.median(times) * 1000:.1f} ms)")
    return min(times)


def main() -> None:
    old, new, scrambled = synthetic()
    print(f"Synthetic: {len(old.clauses)} -> {len(new.clauses)} clauses, {int(CLAUSES * EDITED)} edited, 5 added")
    for label, other, target in (("with ids", new, 0.2), ("without ids", scrambled, 0.5)):
        comparison = compare_versions(old, other)
        seconds = timed(lambda: compare_versions(old, other), 15)
        per_clause = seconds * 1000 / len(old.clauses)
        similar = sum(1 for c in comparison.clauses if c.matched_by == "similarity")
        print(f"  {label:12} {seconds * 1000:7.1f} ms total (best), {per_clause:.3f} ms/clause (target < {target}), "
              f"{len(comparison.changed)} changed, {similar} matched by similarity -> {'OK' if per_clause < target else 'SLOW'}")

    handbook = load_handbook(ROOT / "policies").handbook
    roles = {role.id: role for role in handbook.roles}

    def all_pages(renderer: Renderer | None = None) -> int:
        renderer = renderer or Renderer()
        count = 0
        for policy in handbook.policies:
            pairs = list(picker_pairs(policy))
            pairs += [pair for pair in comparison_pairs(policy) if pair not in pairs]
            for a, b in pairs:
                path = urls.comparison_page(policy.id, a.version, b.version)
                renderer.render("compare.md.j2", path, comparison=compare_versions(a, b, handbook=handbook),
                                roles=roles, role_pages=set(roles))
                count += 1
        return count

    pages = all_pages()
    cold = timed(all_pages, 7)
    shared = Renderer()
    warm = timed(lambda: all_pages(shared), 7)
    print(f"Sample handbook: {pages} comparison pages compared and rendered in {cold * 1000:.1f} ms (best) with a new "
          f"renderer (templates compiled), {warm * 1000:.1f} ms with the build's shared renderer "
          f"(target < 500 ms) -> {'OK' if cold < 0.5 else 'SLOW'}")


if __name__ == "__main__":
    main()
