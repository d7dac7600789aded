"""How long ``policybook serve`` takes to show a broken save, and the fix, in the browser's terms (prints figures; not a test).

    python3 benchmarks/serve_bench.py [--runs 5] [--handbook sample|starter]

Serves a copy of the handbook on a free port, then, per run: saves a file
with a mistake and times until a page answers with the problems banner;
saves the fix and times until the page shows the fixed text without it.
Also counts the requests that went unanswered for 10 s while broken (issue
18's freeze: before the fix, every request waited until the file was fixed).
Issue 18 asks for the problems within 3 s.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANNER = "policybook-serve-problems"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--handbook", choices=("sample", "starter"), default="sample")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "handbook"
        if args.handbook == "sample":
            project.mkdir()
            for name in ("mkdocs.yml", "docs", "policies"):
                source = ROOT / name
                (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
            policy, page, old, new = project / "policies/social-media/v5.yaml", "policies/social-media.html", \
                "title: Social Media Policy", "title: Social Media and Online Conduct Policy"
        else:
            subprocess.run([sys.executable, "-m", "policybook", "new", str(project)], check=True, capture_output=True)
            policy, page, old, new = project / "policies/code-of-conduct/v1.yaml", "policies/code-of-conduct.html", \
                "title: Staff Code of Conduct", "title: Staff Code of Behaviour"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/{page}"
        child = subprocess.Popen([sys.executable, "-m", "policybook", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(lambda: _get(url, 5)[0] == 200)
            good = current = policy.read_text(encoding="utf-8")
            shown, fixed, unanswered = [], [], 0
            for run in range(args.runs):
                policy.write_text(current.replace("status: adopted", "status: adoptedd", 1), encoding="utf-8")
                start = time.monotonic()
                _wait(lambda: BANNER in _get(url, 10)[1])
                shown.append(time.monotonic() - start)
                unanswered += sum(_get(url, 10)[0] != 200 for _ in range(5))
                # The fix changes the title too, so the fixed page is told from the last good one.
                current, title = (good.replace(old, new), new) if run % 2 == 0 else (good, old)
                policy.write_text(current, encoding="utf-8")
                start = time.monotonic()
                _wait(lambda: _fixed(_get(url, 10)[1], title.split(": ", 1)[1]))
                fixed.append(time.monotonic() - start)
        finally:
            child.terminate()
            child.wait(timeout=30)
    print(f"{args.handbook} handbook, {args.runs} runs")
    print(f"broken save -> problems shown: median {statistics.median(shown):.2f} s, max {max(shown):.2f} s")
    print(f"fix saved -> fixed page shown: median {statistics.median(fixed):.2f} s, max {max(fixed):.2f} s")
    print(f"requests unanswered within 10 s while broken: {unanswered} of {5 * args.runs}")


def _fixed(html: str, title: str) -> bool:
    return "<h1" in html and title in html and BANNER not in html


def _get(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait(condition, limit: float = 300) -> None:
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("gave up after 300 s: the server never showed it")
        time.sleep(0.05)


if __name__ == "__main__":
    main()
