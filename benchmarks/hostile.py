"""Small inputs that used to run for minutes (issue 14, class 4), timed.

    python3 -m benchmarks.hostile [--words 2000] [--kb 64] [--roles 430] [--fuzz 200]

Prints one line per case (seconds, and sizes where they matter); not a test.
``tests/test_work_bounds.py`` asserts what each case must do (the fallback is
taken, the output is bounded, the closures are computed once), never how long
it takes: the machine is shared.

Cases:

- ``diff``: the word diff of two clauses of ``--words`` words sharing none,
  and the slowest shape still aligned word by word (changed runs of
  sentences just within the budget, between unchanged ones).
- ``links``: ``--kb`` KB of unclosed ``[a](`` rendered as a clause, and the
  slowest text below the bracket limit.
- ``lattice``: the sample handbook plus ``--roles`` roles, each including
  all earlier ones: the model's closures, every checklist, ``build_site``,
  and (unless ``--no-build``) ``policybook build``.
- ``title``: a 900 KB title (refused: validation time) and a title at the
  5,000-character limit on every policy: site size against the sample's.
- ``limits``: the sample with section titles, two clauses a section and
  deadlines at their length limits, in runs of Markdown syntax: build
  time and site size.
- ``fuzz``: Hypothesis looks for the slowest Markdown text and word diff
  (``hypothesis.target`` on the seconds taken) within ``--fuzz`` examples;
  the worst found is printed with its time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import shutil
import string
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-01"

# -- inputs (the tests build the same ones) -----------------------------------------


def disjoint_clauses(words: int, seed: int = 1) -> tuple[str, str]:
    """Two clauses of ``words`` words each with no word in common."""
    rng = random.Random(seed)

    def text(prefix: str) -> str:
        return " ".join(prefix + "".join(rng.choice(string.ascii_lowercase) for _ in range(6)) for _ in range(words))
    return text("x"), text("y")


def budget_shaped_clauses(runs: int = 10, seed: int = 2) -> tuple[str, str]:
    """Unchanged sentences between rewritten runs of sentences just within the word budget."""
    rng = random.Random(seed)

    def sentence(prefix: str, words: int = 48) -> str:
        return " ".join(prefix + "".join(rng.choice("ab") for _ in range(3)) for _ in range(words)) + ". "
    old, new = [], []
    for index in range(runs):
        kept = f"Kept sentence number {index} stays as it was. "
        old += [kept, sentence("x"), sentence("x")]
        new += [kept, sentence("y"), sentence("y")]
    return "".join(old), "".join(new)


def unclosed_links(kb: int) -> str:
    """``kb`` KB of ``[a](`` with nothing ever closed."""
    return "[a](" * (kb * 256)


def lattice_roles(count: int) -> str:
    """YAML for ``count`` roles, each including all earlier ones (the first, all staff)."""
    lines = []
    for index in range(count):
        earlier = [f"l{j}" for j in range(index)] or ["all-staff"]
        lines.append(f"  - id: l{index}\n    name: Lattice role {index}\n    includes: [{', '.join(earlier)}]\n")
    return "".join(lines)


def write_project(target: Path, *, extra_roles: str = "", title: str | None = None) -> Path:
    """The sample handbook under ``target``, with roles added and every policy's title replaced."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "policies", target / "policies")
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    settings = target / "policies" / "handbook.yaml"
    text = settings.read_text(encoding="utf-8")
    if extra_roles:
        text = text.replace("\nroles:\n", "\nroles:\n" + extra_roles, 1)
        settings.write_text(text, encoding="utf-8")
    if title is not None:
        for path in (target / "policies").glob("*/v*.yaml"):
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            lines = [f"title: {title}\n" if line.startswith("title:") else line for line in lines]
            path.write_text("".join(lines), encoding="utf-8")
    return target / "policies"


# Hypothesis strategies: text made of runs of the characters that make the
# renderer and the diff search (the worst shapes are long runs of one unit).
MARKDOWN_UNITS = (
    "[a](", "[", "]", "(", ")", "](", "`", "``", "\\", "*", "**", "_", "<", ">", "&", "&#", "a", " ", "  \n", "\n",
    "\n\n", "- ", "1. ", "> ", "    ", "[a](b)", "<http://", "![", "\"", "'",
)
DIFF_UNITS = ("a ", "b ", "a", "the ", ". ", ", ", "\n", "must ", "not ", "x", "y ", "a. ", "b. ", "- ")


def runs(units, *, max_runs: int, max_count: int, max_size: int):
    """Texts joined from up to ``max_runs`` runs of one unit repeated up to ``max_count`` times."""
    run = st.tuples(st.sampled_from(units), st.integers(1, max_count)).map(lambda pair: pair[0] * pair[1])
    return st.lists(run, min_size=1, max_size=max_runs).map(lambda parts: "".join(parts)[:max_size])


# -- cases ----------------------------------------------------------------------------


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def case_diff(words: int) -> None:
    from policybook.views.compare import diff_words

    seconds, segments = _timed(diff_words, *disjoint_clauses(words))
    print(f"diff: two {words:,}-word clauses, no word shared: {seconds:.3f} s, {len(segments)} segments")
    old, new = budget_shaped_clauses()
    seconds, segments = _timed(diff_words, old, new)
    print(f"diff: {len(old.split()):,} words, 10 rewritten runs at the word budget: {seconds:.3f} s, {len(segments)} segments")


_VERSION = """\
policy: bench-diff
version: "{version}"
title: Benchmark of the word diff
category: safeguarding
status: {status}
effective: 2024-0{version}-01
approval:
  body: Governing board
  date: 2024-0{version}-01
owner: governing-board
scope:
  roles: [all-staff]
sections:
  - id: only
    title: The only section
    clauses:
{clauses}"""


def write_diff_policy(policies: Path, old_texts: list[str], new_texts: list[str], *, new_ids: bool = False) -> None:
    """Versions 1 and 2 of policy ``bench-diff``: clause n of each holds the n-th text."""
    folder = policies / "bench-diff"
    folder.mkdir(parents=True, exist_ok=True)
    for version, status, texts, prefix in (("1", "superseded", old_texts, "c"), ("2", "adopted", new_texts, "n" if new_ids else "c")):
        clauses = "".join(f"      - id: {prefix}{n}\n        text: \"{text}\"\n" for n, text in enumerate(texts))
        (folder / f"v{version}.yaml").write_text(_VERSION.format(version=version, status=status, clauses=clauses), encoding="utf-8")


def case_cli_diff(words: int) -> None:
    from policybook.cli import cli

    with tempfile.TemporaryDirectory(prefix="pb-diff-") as folder:
        for label, old_texts, new_texts, new_ids in (
            (f"two {words:,}-word clauses, no word shared", *([t] for t in disjoint_clauses(words)), False),
            ("1,200 clauses, every id changed", *_renamed(1_200), True),
        ):
            policies = write_project(Path(folder) / "project")
            write_diff_policy(policies, old_texts, new_texts, new_ids=new_ids)
            for fmt in ("text", "markdown", "html", "json"):
                out = Path(folder) / f"diff.{fmt}"
                seconds, _ = _timed(lambda: cli.main(
                    ["diff", "bench-diff", "1", "2", "--policies", str(policies), "--format", fmt, "-o", str(out)],
                    standalone_mode=False))
                print(f"policybook diff --format {fmt}: {label}: {seconds:.2f} s")


def _renamed(count: int) -> tuple[list[str], list[str]]:
    old = [f"Clause {n} says the member of staff {n % 7} keeps record {n * 31 % 997} for the office." for n in range(count)]
    return old, [text.replace("keeps", "holds") for text in old]


def case_links(kb: int) -> None:
    from policybook.render.text import ProseRenderer

    text = unclosed_links(kb)
    seconds, html = _timed(ProseRenderer().block, text)
    print(f"links: {kb} KB of unclosed [a]( rendered: {seconds:.3f} s, {len(html):,} characters of HTML")
    text = "[" * 200 + "a" * (kb * 1024 - 200)
    seconds, html = _timed(ProseRenderer().block, text)
    print(f"links: 200 unclosed [ then {kb} KB of text (the most still searched): {seconds:.3f} s")


def case_lattice(count: int, build: bool) -> None:
    from policybook.load import load_handbook
    from policybook.pages import SiteOptions, build_site
    from policybook.views.checklists import build_checklists

    with tempfile.TemporaryDirectory(prefix="pb-lattice-") as folder:
        policies = write_project(Path(folder) / "project", extra_roles=lattice_roles(count))
        seconds, result = _timed(load_handbook, policies)
        assert result.ok, result.problems[:3]
        handbook = result.handbook
        print(f"lattice: {count} roles, load (closures included): {seconds:.3f} s")
        seconds, _ = _timed(build_checklists, handbook)
        print(f"lattice: every checklist: {seconds:.3f} s")
        seconds, site = _timed(lambda: build_site(handbook, SiteOptions(today=_date(TODAY))))
        print(f"lattice: build_site: {seconds:.3f} s, {len(site.pages)} pages")
        from policybook.cli import cli
        for fmt in ("text", "markdown"):
            folder_out = Path(folder) / f"checklists-{fmt}"
            with contextlib.redirect_stdout(io.StringIO()):  # a "Wrote ..." line per role
                seconds, _ = _timed(lambda: cli.main(
                    ["-q", "checklist", "--all", "-p", str(policies), "--format", fmt, "-o", str(folder_out)],
                    standalone_mode=False))
            print(f"lattice: policybook checklist --all --format {fmt}: {seconds:.1f} s")
        if build:
            seconds, _ = _timed(_build, policies.parent)
            print(f"lattice: policybook build: {seconds:.1f} s")


def case_title(build: bool) -> None:
    from policybook.load import load_handbook

    with tempfile.TemporaryDirectory(prefix="pb-title-") as folder:
        policies = write_project(Path(folder) / "huge", title="Huge " + "x" * 900_000)
        seconds, result = _timed(load_handbook, policies)
        print(f"title: 900 KB titles: refused in {seconds:.3f} s: {result.problems[0].message if result.problems else 'accepted'}")
        if not build:
            return
        sizes = {}
        for name, title in (("sample", None), ("limit", "Long " + "x" * 4_995)):
            policies = write_project(Path(folder) / name, title=title)
            seconds, _ = _timed(_build, policies.parent)
            sizes[name] = sum(p.stat().st_size for p in (policies.parent / "site").rglob("*") if p.is_file())
            print(f"title: {name} titles: build {seconds:.1f} s, site {sizes[name] / 1e6:.1f} MB")


LIMIT_UNITS = ("[a](", "(", "- ", "*a ", "`", "\\", "a  \n", "<a", "&#", "_", "1. ", "{#x} ", "# ")


def write_limits_project(target: Path) -> Path:
    """The sample with section titles, two clauses per section and deadlines at their limits, in hostile runs."""
    import json

    import yaml

    policies = write_project(target)
    count = 0
    for path in sorted(policies.glob("*/v*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["title"] = (data["title"] + " " + "([" * 2_500)[:5_000]
        for section in data["sections"]:
            unit = LIMIT_UNITS[count % len(LIMIT_UNITS)]
            section["title"] = (unit.replace("\n", " ") * 5_000)[:4_990].strip() or "x"
            for clause in section["clauses"][:2]:
                clause["text"] = (LIMIT_UNITS[count % len(LIMIT_UNITS)] * 20_000)[:19_990]
                count += 1
            for clause in section["clauses"]:
                if "deadline" in clause:
                    clause["deadline"] = "(" * 4_999
        path.write_text(json.dumps(data, default=str), encoding="utf-8")  # JSON is YAML
    return policies


def case_limits(build: bool) -> None:
    from policybook.load import load_handbook
    from policybook.pages import SiteOptions, build_site

    with tempfile.TemporaryDirectory(prefix="pb-limits-") as folder:
        policies = write_limits_project(Path(folder) / "project")
        seconds, result = _timed(load_handbook, policies)
        assert result.ok, result.problems[:3]
        print(f"limits: sample with titles, texts and deadlines at their limits: load {seconds:.2f} s")
        seconds, _ = _timed(lambda: build_site(result.handbook, SiteOptions(today=_date(TODAY))))
        print(f"limits: build_site {seconds:.2f} s")
        if build:
            seconds, _ = _timed(_build, policies.parent)
            size = sum(p.stat().st_size for p in (policies.parent / "site").rglob("*") if p.is_file())
            print(f"limits: policybook build {seconds:.1f} s, site {size / 1e6:.1f} MB")


def case_fuzz(examples: int) -> None:
    from hypothesis import HealthCheck, given, settings, target

    from policybook.render.text import ProseRenderer
    from policybook.views.compare import diff_words

    # The slowest inputs of each search, timed again afterwards: a single
    # run on a shared machine measures its load as much as the input.
    found: dict[str, list[tuple[float, tuple]]] = {"markdown": [], "diff": []}

    def note(label: str, seconds: float, args: tuple) -> None:
        target(seconds, label=label)
        found[label] = sorted([*found[label], (seconds, args)], key=lambda item: -item[0])[:5]

    fuzz = settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

    @fuzz
    @given(runs(MARKDOWN_UNITS, max_runs=6, max_count=5_000, max_size=20_000))
    def markdown(text):
        seconds, _ = _timed(ProseRenderer().block, text)
        note("markdown", seconds, (text,))

    @fuzz
    @given(runs(DIFF_UNITS, max_runs=6, max_count=3_000, max_size=20_000),
           runs(DIFF_UNITS, max_runs=6, max_count=3_000, max_size=20_000))
    def diff(old, new):
        seconds, _ = _timed(diff_words, old, new)
        note("diff", seconds, (old, new))

    markdown()
    diff()
    functions = {"markdown": lambda text: ProseRenderer().block(text), "diff": diff_words}
    for label, candidates in found.items():
        retimed = [(min(_timed(functions[label], *args)[0] for _ in range(3)), args) for _, args in candidates]
        seconds, args = max(retimed, key=lambda item: item[0])
        shown = " -> ".join(_short(arg) for arg in args)
        print(f"fuzz: slowest {label} of {examples} examples (best of 3): {seconds:.3f} s, "
              f"{sum(len(arg) for arg in args):,} characters: {shown}")


# -- helpers --------------------------------------------------------------------------


def _date(text: str):
    import datetime as dt
    return dt.date.fromisoformat(text)


def _build(project: Path) -> None:
    from policybook.cli import cli

    cli.main(["-q", "build", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site"), "--today", TODAY],
             standalone_mode=False)


def _short(text: str, limit: int = 70) -> str:
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--kb", type=int, default=64)
    parser.add_argument("--roles", type=int, default=430)
    parser.add_argument("--fuzz", type=int, default=200, help="Hypothesis examples per search (0: skip)")
    parser.add_argument("--no-build", action="store_true", help="skip the mkdocs builds")
    cases = ("diff", "links", "lattice", "title", "limits", "fuzz")
    parser.add_argument("--only", choices=cases, action="append")
    args = parser.parse_args(argv)
    chosen = set(args.only or cases)
    if "diff" in chosen:
        case_diff(args.words)
    if "diff" in chosen:
        case_cli_diff(args.words)
    if "links" in chosen:
        case_links(args.kb)
    if "lattice" in chosen:
        case_lattice(args.roles, not args.no_build)
    if "title" in chosen:
        case_title(not args.no_build)
    if "limits" in chosen:
        case_limits(not args.no_build)
    if "fuzz" in chosen and args.fuzz:
        case_fuzz(args.fuzz)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
