"""Time the first search query in Chromium: ``python3 -m benchmarks.search_query SITE_DIR``.

Serves the built site over HTTP, opens the home page in the system
Chromium (Playwright) and, as soon as the page has loaded, types a query and
waits for the first result for the whole query (its link highlights every
word typed). The time runs from the first keystroke to that result, so it
includes the search worker loading and, with Material's own search,
indexing ``search_index.json`` in the browser: the worst case a reader
meets. It also counts the bytes of search data the browser fetched. Prints
one line per run and the median.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
import time
from pathlib import Path

from policybook.outputs.printing import CHROMIUM_ARGS, find_chromium


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


SEARCH_DATA = ("/search/", "/pagefind/", "/workers/", "pagefind-worker")
# A link of the first result highlights (?h=) every word of the finished
# query (Material's own search highlights stems, and only the words a part matched).
_ANSWERED = """words => {
  const links = [...document.querySelectorAll(".md-search-result__item:first-child a.md-search-result__link")]
  return links.some(link => {
    const highlighted = (new URL(link.href).searchParams.get("h") || "").toLowerCase().split(/\\s+/)
    return words.every(word => highlighted.some(term => term && (word.startsWith(term) || term.startsWith(word))))
  })
}"""


def first_query_seconds(site: Path, query: str, runs: int) -> list[tuple[float, float, int]]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    times = []
    try:
        with sync_playwright() as playwright:
            executable = find_chromium()
            if executable is None:
                raise SystemExit("no Chromium found (install Debian's 'chromium' package or set $CHROMIUM)")
            browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
            for _ in range(runs):
                page = browser.new_context().new_page()  # a fresh context: nothing cached
                fetched = []
                page.on("requestfinished", lambda request: fetched.append(request)
                        if any(part in request.url for part in SEARCH_DATA) else None)
                page.goto(url, wait_until="load")
                started = time.perf_counter()
                page.keyboard.press("/")
                page.keyboard.type(query)
                typed = time.perf_counter()
                page.wait_for_function(_ANSWERED, arg=query.lower().split(), timeout=60_000, polling=20)
                answered = time.perf_counter()
                size = sum(request.sizes()["responseBodySize"] for request in fetched)
                times.append((answered - started, answered - typed, size))
                page.context.close()
            browser.close()
    finally:
        server.shutdown()
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site (with search/search_index.json)")
    parser.add_argument("--query", default="report concerns", help="words to type (pick words the handbook uses)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    index = args.site / "search" / "search_index.json"
    bundle = args.site / "pagefind"
    print(f"search_index.json: {index.stat().st_size / 2**20:.2f} MB")
    if bundle.is_dir():
        print(f"pagefind/: {sum(f.stat().st_size for f in bundle.rglob('*') if f.is_file()) / 2**20:.2f} MB")
    runs = first_query_seconds(args.site, args.query, args.runs)
    for seconds, after_typing, size in runs:
        print(f"first result {seconds:.2f} s after the first keystroke, {after_typing:.2f} s after the last;"
              f" {size / 2**20:.2f} MB of search data fetched")
    print(f"median: {statistics.median(run[0] for run in runs):.2f} s after the first keystroke,"
          f" {statistics.median(run[1] for run in runs):.2f} s after the last")


if __name__ == "__main__":
    main()
