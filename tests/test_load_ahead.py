"""Each version's checks worked out where it is parsed, and its model built as its parse arrives (issue 21).

A load that shares its parse with a forked child must give exactly what a
serial load gives: the same problems and warnings, the same model, the same
errors; and serve's rebuild still checks again only what changed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import policybook.load as load_module
from benchmarks.synth import Scale, write_handbook
from policybook.load import ParseCache, load_handbook
from policybook.speed import parallel
from policybook.speed.parallel import fork_map

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the shared parse needs os.fork (POSIX)")

SCALE = Scale(policies=12, versions=2, clauses=5, roles=5)
"""24 version files: enough for fork_map to fork (at least 16)."""


def _forking(function, items, **hints):
    return fork_map(function, items, min_items=2, **hints)


def _shared_load(root: Path, cache: ParseCache | None = None):
    return load_handbook(root, cache=cache or ParseCache(map_items=_forking))


def _handbook(tmp_path: Path) -> Path:
    write_handbook(tmp_path, SCALE)
    return tmp_path / "policies"


def _versions(root: Path) -> list[Path]:
    return sorted(root.glob("*/v*.yaml"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_placeholders(root: Path) -> None:
    for path in _versions(root)[::5]:
        _edit(path, "    text: ", "    text: Ask [the head's name] first. ")


def _logged(tmp_path: Path, monkeypatch, name: str, fail=lambda path: None) -> Path:
    """Wrap the loader's ``name`` to append "pid path" to a log, in whichever process runs it (slowly, so both do)."""
    log = tmp_path / f"{name}.log"
    real = getattr(load_module, name)

    def logged(doc, *args):
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {doc.path}\n")
        fail(doc.path)
        time.sleep(0.003)
        return real(doc, *args)

    monkeypatch.setattr(load_module, name, logged)
    return log


def _name(path) -> str:
    """A version file as policy/file: the log holds the paths the messages show."""
    return "/".join(Path(path).parts[-2:])


def _calls(log: Path) -> list[tuple[int, str]]:
    if not log.exists():
        return []
    return [(int(pid), _name(path)) for pid, path in (line.split(" ", 1) for line in log.read_text().splitlines())]


def test_a_shared_load_gives_the_serial_model_and_warnings(tmp_path, monkeypatch):
    root = _handbook(tmp_path)
    _with_placeholders(root)
    shared = _shared_load(root)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    serial = load_handbook(root)
    assert serial.ok and serial.warnings, "the placeholders are warned about"
    assert shared.handbook == serial.handbook
    assert shared.warnings == serial.warnings and shared.problems == ()


def test_a_shared_load_gives_the_serial_problems(tmp_path, monkeypatch):
    root = _handbook(tmp_path)
    _with_placeholders(root)
    for path in _versions(root)[1::4]:
        _edit(path, "owner: ", "owner: no-such-role\nx_owner: ")  # an unknown role and a key the schema refuses
    _edit(_versions(root)[2], "scope:", "scope: [")  # a file that does not parse
    shared = _shared_load(root)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    serial = load_handbook(root)
    assert not serial.ok and any("unknown role 'no-such-role'" in problem.message for problem in serial.problems)
    assert shared.problems == serial.problems and shared.warnings == serial.warnings


def test_each_file_is_checked_once_and_the_child_checks_some(tmp_path, monkeypatch):
    root = _handbook(tmp_path)
    _with_placeholders(root)
    checks = _logged(tmp_path, monkeypatch, "check_version")
    structure = _logged(tmp_path, monkeypatch, "structure_warnings")
    models = _logged(tmp_path, monkeypatch, "build_version")
    assert _shared_load(root).ok
    files = sorted(map(_name, _versions(root)))
    for log in (checks, structure, models):
        assert sorted(path for _, path in _calls(log)) == files
    if parallel.can_fork(len(files), 2):
        assert {pid for pid, _ in _calls(checks)} - {os.getpid()}, "the child checked the files it parsed"
    assert {pid for pid, _ in _calls(models)} == {os.getpid()}, "the model is built here, never pickled back"


def test_files_the_child_did_not_finish_are_checked_here(tmp_path, monkeypatch):
    root = _handbook(tmp_path)
    _with_placeholders(root)
    parent = os.getpid()

    def die_in_the_child(_path):
        if os.getpid() != parent:
            os._exit(3)  # without a word, on the first file it checks

    _logged(tmp_path, monkeypatch, "check_version", fail=die_in_the_child)
    shared = _shared_load(root)
    monkeypatch.undo()
    serial = load_handbook(root)
    assert shared.handbook == serial.handbook and shared.warnings == serial.warnings


def test_an_error_in_a_check_surfaces_as_it_does_without_the_fork(tmp_path, monkeypatch):
    root = _handbook(tmp_path)
    broken = _name(_versions(root)[-3])

    def fail(path):
        if _name(path) == broken:
            raise ValueError(f"cannot check {path}")

    _logged(tmp_path, monkeypatch, "check_version", fail=fail)
    with pytest.raises(ValueError, match="cannot check") as shared:
        _shared_load(root)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    with pytest.raises(ValueError, match="cannot check") as serial:
        load_handbook(root)
    assert str(shared.value) == str(serial.value)


def test_a_rebuild_after_a_save_checks_and_builds_only_that_file_again(tmp_path, monkeypatch):
    root = _handbook(tmp_path)
    cache = ParseCache(map_items=_forking)
    first = _shared_load(root, cache)
    checks = _logged(tmp_path, monkeypatch, "check_version")
    models = _logged(tmp_path, monkeypatch, "build_version")
    edited = _versions(root)[4]
    before = edited.stat().st_mtime_ns
    _edit(edited, "    text: ", "    text: Reworded. ")
    os.utime(edited, ns=(before + 1000, before + 1000))
    again = _shared_load(root, cache)
    assert again.ok and again.handbook != first.handbook
    assert [path for _, path in _calls(checks)] == [_name(edited)]
    assert [path for _, path in _calls(models)] == [_name(edited)]


def test_a_load_whose_handbook_yaml_has_a_problem_builds_no_model(tmp_path, monkeypatch):
    root = _handbook(tmp_path)
    _edit(root / "handbook.yaml", "roles:", "x_unknown: 1\nroles:")
    models = _logged(tmp_path, monkeypatch, "build_version")
    result = _shared_load(root)
    assert not result.ok and any(problem.path.endswith("handbook.yaml") for problem in result.problems)
    assert _calls(models) == []
