"""fork_map: the same results as a loop, in order, whichever process computed them."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import pytest

from benchmarks.synth import Scale, write_handbook
from policybook.speed import parallel
from policybook.load import ParseCache, load_handbook
from policybook.speed.parallel import fork_map
from policybook.pages import SiteOptions, build_site
from tests.forking import require_fork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork_map needs os.fork (POSIX)")


def _slowly(function):
    """Items that take a while: else this process may take them all before the child has started."""
    def slow(item):
        time.sleep(0.005)
        return function(item)
    return slow


def test_results_come_back_in_order_from_both_processes():
    pids = fork_map(_slowly(lambda item: (item, os.getpid())), list(range(40)), min_items=2)
    assert [item for item, _ in pids] == list(range(40))
    if parallel.can_fork(40, 2):
        assert {pid for _, pid in pids} - {os.getpid()}, "the child computed some items"


@pytest.mark.parametrize("slow", ["child", "parent"])
def test_the_faster_side_takes_more_items_and_each_item_is_computed_once(slow, tmp_path):
    parent = os.getpid()
    computed = tmp_path / "computed"

    def square(item):
        with open(computed, "a") as log:  # one short append per item, from either process
            log.write(f"{item}\n")
        if (os.getpid() == parent) == (slow == "parent"):
            time.sleep(0.02)
        return item * item, os.getpid()

    results = fork_map(square, list(range(60)), min_items=2)
    assert [value for value, _ in results] == [i * i for i in range(60)]
    assert sorted(int(line) for line in computed.read_text().split()) == list(range(60))
    if parallel.can_fork(60, 2):
        by_parent = sum(pid == parent for _, pid in results)
        assert (by_parent < 30) if slow == "parent" else (by_parent > 30)


def test_more_items_than_a_pipe_holds():
    count = 20_000  # 80,000 bytes of indices: Linux enlarges the pipe, elsewhere the map is a loop
    assert fork_map(lambda item: item + 1, list(range(count)), min_items=2) == [i + 1 for i in range(count)]


def test_a_failure_in_the_child_is_raised_here_as_without_fork():
    parent = os.getpid()

    def only_fails_in_the_child(item):
        if os.getpid() != parent:
            os._exit(3)  # the child dies without a word, on the first item it takes
        if item == 7:
            raise ValueError("item 7")
        return item

    with pytest.raises(ValueError, match="item 7"):
        fork_map(_slowly(only_fails_in_the_child), list(range(20)), min_items=2)
    assert fork_map(_slowly(lambda i: only_fails_in_the_child(i) if i != 7 else 7), list(range(20)), min_items=2) == list(range(20))


def test_meanwhile_sees_each_result_once_here_as_it_arrives():
    require_fork(40, 2)  # meanwhile is called only beside a child
    parent = os.getpid()
    seen = []
    results = fork_map(_slowly(lambda item: (item * 3, os.getpid())), list(range(40)), min_items=2,
                       meanwhile=lambda item, result: seen.append((item, result, os.getpid())))
    assert sorted((item, result) for item, result, _ in seen) == list(zip(range(40), results))
    assert {pid for _, _, pid in seen} == {parent}
    assert {pid for _, pid in results} - {parent}, "the child's results are seen too"


def test_meanwhile_sees_what_the_child_left_unfinished():
    require_fork(30, 2)
    parent = os.getpid()

    def dies_in_the_child(item):
        if os.getpid() != parent:
            os._exit(3)
        return item + 1

    seen = {}
    results = fork_map(_slowly(dies_in_the_child), list(range(30)), min_items=2,
                       meanwhile=lambda item, result: seen.setdefault(item, result))
    assert results == [item + 1 for item in range(30)] and seen == dict(zip(range(30), results))


def test_without_a_fork_meanwhile_is_not_called(monkeypatch):
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    seen = []
    assert fork_map(lambda item: item, list(range(40)), min_items=2, meanwhile=lambda *pair: seen.append(pair)) == list(range(40))
    assert seen == []


def test_one_job_means_no_fork(monkeypatch):
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    assert {pid for pid in fork_map(lambda _: os.getpid(), list(range(40)), min_items=2)} == {os.getpid()}


def test_a_parallel_load_and_build_equal_serial_ones(tmp_path, monkeypatch):
    write_handbook(tmp_path, Scale(policies=20, versions=2, clauses=6, roles=6))
    cache = ParseCache()
    loaded = load_handbook(tmp_path / "policies", cache=cache)
    site = build_site(loaded.handbook, SiteOptions(today=dt.date(2026, 11, 1)))
    assert len(cache.entries) == 41, "files parsed by the child are cached here too"
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    serial = load_handbook(tmp_path / "policies")
    assert serial.handbook == loaded.handbook
    assert build_site(serial.handbook, SiteOptions(today=dt.date(2026, 11, 1))) == site


def test_without_a_temporary_folder_the_work_is_done_here(monkeypatch):
    def no_temporary_file(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(parallel.tempfile, "TemporaryFile", no_temporary_file)
    results = fork_map(lambda item: (item, os.getpid()), list(range(40)), min_items=2)
    assert results == [(item, os.getpid()) for item in range(40)]


def test_big_results_come_back_whole_from_the_childs_file():
    # Larger than any pipe or read buffer, and each one different.
    results = fork_map(lambda item: str(item) * 300_000, list(range(24)), min_items=2)
    assert [len(result) for result in results] == [len(str(item)) * 300_000 for item in range(24)]
    assert all(result == str(item) * 300_000 for item, result in zip(range(24), results))


def test_a_thread_left_running_fails_the_forked_tests_with_its_name():
    release = threading.Event()
    leftover = threading.Thread(target=release.wait, name="left-by-an-earlier-test")
    leftover.start()
    try:
        # On a machine that never forks, require_fork skips, and so does this test.
        with pytest.raises(pytest.fail.Exception, match="left-by-an-earlier-test"):
            require_fork(40, 2)
    finally:
        release.set()
        leftover.join()
    require_fork(40, 2)  # and forks again once it has stopped
