"""Time the first search query in Chromium: ``python3 -m benchmarks.search_query SITE_DIR``.

Serves the built site over HTTP, opens the home page in the system
Chromium (Playwright) and, as soon as the page has loaded, types a query and
waits for the first result. The time runs from the first keystroke to the
first rendered result, so it includes Material's search worker loading and
indexing ``search_index.json`` when that is not done yet: the worst case a
reader meets. Prints one line per run and the median.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
import time
from pathlib import Path

from generator.printing import CHROMIUM_ARGS, find_chromium


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def first_query_seconds(site: Path, query: str, runs: int) -> list[float]:
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
                page.goto(url, wait_until="load")
                started = time.perf_counter()
                page.keyboard.press("/")
                page.keyboard.type(query)
                page.wait_for_selector(".md-search-result__item", timeout=60_000)
                times.append(time.perf_counter() - started)
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
    print(f"search index: {index.stat().st_size / 2**20:.2f} MB")
    times = first_query_seconds(args.site, args.query, args.runs)
    for seconds in times:
        print(f"first result after {seconds:.2f} s")
    print(f"median: {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
