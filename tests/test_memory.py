"""What a one-off build lets go of, and when: the model before the pages are built, the pages before Pagefind."""

from __future__ import annotations

import ctypes
import gc
import os
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from policybook.mkdocs_adapter import pagefind_search
from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.load import ParseCache, load_handbook
from policybook.mkdocs_adapter.memory import return_freed_memory
from policybook.model import PolicyVersion
from tests.conftest import SAMPLE_POLICIES
from tests.test_site_build import TODAY, copy_project


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _has_malloc_trim() -> bool:
    try:
        return hasattr(ctypes.CDLL(None), "malloc_trim")
    except (OSError, TypeError):
        return False


@pytest.mark.skipif(not Path("/proc/self/statm").exists() or not _has_malloc_trim(),
                    reason="needs Linux's /proc and glibc's malloc_trim")
def test_freed_memory_goes_back_to_the_system():
    # Pages of 60 kB, every other one freed: holes in the heap that the
    # allocator keeps for reuse unless told to hand them back.
    pages = [("x" * 60_000) + str(i) for i in range(2_000)]
    del pages[::2]
    gc.collect()
    before = _rss_mb()
    return_freed_memory()
    assert before - _rss_mb() > 30, "about 60 MB of freed pages were given back"
    assert len(pages) == 1_000 and pages[-1].endswith("1999"), "what is still in use is untouched"


def test_clearing_the_cache_drops_the_files_and_the_model():
    cache = ParseCache()
    first = load_handbook(SAMPLE_POLICIES, cache=cache)
    cache.clear()
    assert cache.entries == {} and cache.last_load is None
    again = load_handbook(SAMPLE_POLICIES, cache=cache)
    assert cache.hits == 0 and again is not first and again.handbook == first.handbook
    assert cache.validators() is cache.schemas, "the compiled validators are kept"


PROBE = textwrap.dedent("""
    import gc
    from pathlib import Path
    from policybook.model import PolicyVersion

    def on_post_page(output, page, config):
        folder = Path(config.config_file_path).parent
        report = folder / "versions-alive.txt"
        if not report.exists():  # the first page MkDocs writes
            # Versions alive before the test began belong to other tests (a browser test's frames keep theirs).
            earlier = {int(line) for line in (folder / "versions-before.txt").read_text().split()}
            report.write_text(str(sum(isinstance(o, PolicyVersion) and id(o) not in earlier for o in gc.get_objects())))
        return output
""")


def test_a_one_off_build_holds_no_model_while_it_writes_pages(tmp_path):
    # `policybook build` validates first and hands its parse cache to the
    # build: the build must still let go of the model once the pages exist.
    project = copy_project(tmp_path)
    (project / "probe.py").write_text(PROBE, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - probe.py\n", encoding="utf-8")
    earlier = [id(o) for o in gc.get_objects() if isinstance(o, PolicyVersion)]
    (project / "versions-before.txt").write_text("\n".join(map(str, earlier)))
    cache = ParseCache()
    assert load_handbook(project / "policies", cache=cache).ok
    assert any(isinstance(o, PolicyVersion) and id(o) not in set(earlier) for o in gc.get_objects()), "the probe can see versions"
    build_site_atomically(config, today=TODAY, cache=cache)
    assert (project / "versions-alive.txt").read_text() == "0"
    assert cache.entries == {} and cache.last_load is None


def test_pages_drop_their_html_before_pagefind_runs(tmp_path, monkeypatch):
    from tests.test_pagefind_search import use_search

    project = copy_project(tmp_path)
    config = load_config(str(use_search(project, "pagefind")))
    plugin = config.plugins["policybook"]
    seen: dict = {}

    def index_pages(site_dir, pages, **options):
        seen["pages"] = list(pages)
        seen["generated"] = plugin.build.generated
        seen["html"] = [file.page.content for file in seen["generated"]]
        seen["written"] = all(Path(file.abs_dest_path).is_file() for file in seen["generated"])

    monkeypatch.setattr(pagefind_search, "index_pages", index_pages)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert seen["pages"] and len(seen["html"]) == len(seen["generated"]) > 40
    assert seen["written"] and seen["html"] == [None] * len(seen["generated"])
