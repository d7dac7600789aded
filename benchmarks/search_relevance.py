"""How often search puts the answer first: ``python3 benchmarks/search_relevance.py SITE QUERIES.yaml``.

Serves the built site over HTTP, opens its home page in headless Chromium
and types each question into the real search box, as a reader would, with
whichever engine the site was built with (Material's own search or
Pagefind). It reads the *visible* clause results, in the order shown:
every result that points inside a page (``page.html#anchor``) and is not
folded under "N more on this page". Page tops do not count: the question
is whether the clause that answers comes first.

QUERIES.yaml is a list of ``{query: ..., answers: [policy-id#clause-id, ...]}``;
a query is answered at rank r when any of its answers is the r-th visible
clause result. Prints each miss (answer not in the first three) with what
came first, then hit@1, hit@3 and the mean reciprocal rank (a query whose
answer is not shown scores 0).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

if __package__ in (None, ""):  # run as a script: make `tests` and `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policybook.outputs.printing import CHROMIUM_ARGS, find_chromium  # noqa: E402

_VISIBLE_RESULTS = """() => {
  const meta = document.querySelector(".md-search-result__meta")
  const links = [...document.querySelectorAll(".md-search-result__list a.md-search-result__link")]
  return [meta ? meta.textContent : "", links.filter(link => link.checkVisibility()).map(link => link.href)]
}"""
_WAITING = ("", "Initializing search", "Type to start searching")


@dataclass(frozen=True)
class Question:
    query: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    question: Question
    results: tuple[str, ...]
    """The visible clause results, as ``page#anchor``, in the order shown."""
    meta: str
    """What the result list says above the results ("4 matching documents")."""

    @property
    def rank(self) -> int | None:
        for position, key in enumerate(self.results, start=1):
            if key in self.question.answers:
                return position
        return None


def load_questions(path: Path) -> list[Question]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Question(str(entry["query"]), tuple(entry["answers"])) for entry in entries]


def result_key(href: str) -> str | None:
    """``policies/social-media.html#no-pupil-contacts`` -> ``social-media#no-pupil-contacts``; None for a page top."""
    parts = urlsplit(href)
    if not parts.fragment:
        return None
    return f"{Path(parts.path).stem}#{parts.fragment}"


def ask(page, query: str, *, settle_ms: int = 700, timeout_ms: int = 20_000) -> tuple[str, tuple[str, ...]]:
    """Type ``query`` into the search box; the visible results once they have stopped changing."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.keyboard.type(query)
    seen, stable, waited = None, 0, 0
    while waited < timeout_ms:
        page.wait_for_timeout(100)
        waited += 100
        meta, links = page.evaluate(_VISIBLE_RESULTS)
        state = (meta.strip(), tuple(links))
        if state == seen and state[0] not in _WAITING:
            stable += 100
            if stable >= settle_ms:
                break
        else:
            seen, stable = state, 0
    meta, links = seen
    return meta, tuple(key for key in map(result_key, links) if key)


def run(browser, url: str, questions: list[Question]) -> list[Answer]:
    page = browser.new_context().new_page()
    try:
        page.goto(url, wait_until="load")
        answers = []
        for question in questions:
            meta, results = ask(page, question.query)
            answers.append(Answer(question, results, meta))
        return answers
    finally:
        page.context.close()


def summary(answers: list[Answer]) -> dict[str, float]:
    ranks = [answer.rank for answer in answers]
    return {
        "hit@1": sum(rank == 1 for rank in ranks) / len(ranks),
        "hit@3": sum(rank is not None and rank <= 3 for rank in ranks) / len(ranks),
        "MRR": statistics.fmean(1 / rank if rank else 0 for rank in ranks),
    }


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import serve_folder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site")
    parser.add_argument("queries", type=Path, help="YAML list of {query, answers}")
    parser.add_argument("--all", action="store_true", help="print every query, not only the misses")
    args = parser.parse_args(argv)
    questions = load_questions(args.queries)
    executable = find_chromium()
    if executable is None:
        raise SystemExit("no Chromium found (install Debian's 'chromium' package or set $CHROMIUM)")
    engine = "Pagefind" if (args.site / "pagefind").is_dir() else "Material's index"
    with serve_folder(args.site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        answers = run(browser, base + "index.html", questions)
        browser.close()
    for answer in answers:
        rank = answer.rank
        if args.all or rank is None or rank > 3:
            shown = ", ".join(answer.results[:3]) or "(no clause results)"
            print(f"{'miss' if rank is None or rank > 3 else 'rank'} {rank or '-'}: {answer.question.query!r}"
                  f" wants {' or '.join(answer.question.answers)}; first: {shown}  [{answer.meta}]")
    figures = summary(answers)
    print(f"{engine}, {len(answers)} queries: hit@1 {figures['hit@1']:.0%}, hit@3 {figures['hit@3']:.0%},"
          f" MRR {figures['MRR']:.2f}")


if __name__ == "__main__":
    main()
