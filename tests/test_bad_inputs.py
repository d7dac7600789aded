"""The corpus of bad inputs: each case, its exact messages, and no harm done.

Every folder under ``tests/bad_inputs/`` is one case. Its ``policies/``
files are laid over a small valid handbook (the one in ``conftest.py``);
``generate.txt``, when present, makes inputs too big or too odd to keep in
git (an alias bomb, deep nesting, a huge file, symlinks). ``expected.txt``
holds the exact output of ``policybook build``. Cases named ``ok-*`` must
build (their progress output is MkDocs', so it is not compared).

Set ``PB_UPDATE_EXPECTED=1`` to rewrite the ``expected.txt`` files after a
deliberate change of wording, then read the diff.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from policybook.cli import main
from policybook.load.yaml_source import TOO_DEEP, parse_yaml
from tests.conftest import ROOT, version_text, write_handbook

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(path.name for path in CORPUS.iterdir() if path.is_dir())
TODAY = "2026-01-01"


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """The "billion laughs": each anchor repeats the one before ``width`` times."""
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def _generate(project: Path, instruction: str) -> None:
    kind, target, *rest = instruction.split()
    policies = project / "policies"
    path = policies / target
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "bomb":
        path.write_text(alias_bomb(), encoding="utf-8")
    elif kind == "deep":
        depth = int(rest[0])
        path.write_text(version_text() + "keywords: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    elif kind == "large":
        text = version_text()
        padding = "# " + "padding " * 12 + "\n"
        path.write_text(text + padding * (int(rest[0]) // len(padding) + 1), encoding="utf-8")
    elif kind == "sparse":
        # A file far bigger than memory, costing no disk: only its size is real.
        with path.open("wb") as handle:
            handle.truncate(int(rest[0]))
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        path.symlink_to(path.name)  # a link to itself
    elif kind == "symlink":
        outside = project.parent / f"{project.name}-outside"
        outside.mkdir(exist_ok=True)
        (outside / "v2.yaml").write_text(version_text(version="2", status="draft"), encoding="utf-8")
        path.symlink_to(outside / "v2.yaml" if path.suffix else outside)
    else:  # pragma: no cover - a typo in the corpus
        raise ValueError(f"unknown instruction {instruction!r}")


def make_project(case: str, project: Path) -> Path:
    """The base handbook, the case's files laid over it, and mkdocs.yml."""
    write_handbook(project)
    folder = CORPUS / case
    overlay = folder / "policies"
    if overlay.is_dir():
        for source in sorted(overlay.rglob("*")):
            if source.is_file():
                target = project / "policies" / source.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())
    instructions = folder / "generate.txt"
    if instructions.exists():
        for line in instructions.read_text(encoding="utf-8").splitlines():
            if line.strip():
                _generate(project, line)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", project / "docs")
    return project


def run_cli(monkeypatch, capsys, project: Path, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(project)
    monkeypatch.setattr(sys, "argv", ["policybook", *args])
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code or 0
    finally:
        # The command attaches a log handler to the stderr of the moment;
        # drop it, or the next test would log into this test's closed capture.
        for name in ("mkdocs", "policybook"):
            logger = logging.getLogger(name)
            for handler in [h for h in logger.handlers if getattr(h, "_policybook", False)]:
                logger.removeHandler(handler)
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).replace(str(project), "<project>")


def test_corpus_is_big_enough():
    bad = [case for case in CASES if not case.startswith("ok-")]
    assert len(bad) >= 40, len(bad)


@pytest.mark.parametrize("case", CASES)
def test_case(case, tmp_path, monkeypatch, capsys):
    project = make_project(case, tmp_path / "project")
    checksums = _checksums(project / "policies")
    code, output = run_cli(monkeypatch, capsys, project, "build", "--today", TODAY)

    assert "Traceback" not in output and "Internal error" not in output
    if not case.startswith("ok-"):
        expected_file = CORPUS / case / "expected.txt"
        if os.environ.get("PB_UPDATE_EXPECTED"):
            expected_file.write_text(output, encoding="utf-8")
        assert output == expected_file.read_text(encoding="utf-8")
    assert _checksums(project / "policies") == checksums, "the build changed the sources"
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")], "staging folder left behind"
    if case.startswith("ok-"):
        assert code == 0
        assert (project / "site" / "index.html").is_file()
    else:
        assert code == 1
        assert not (project / "site").exists(), "a failed build wrote a site"


@pytest.mark.parametrize("case", ["alias-bomb", "syntax-tab-indentation", "ok-bom-and-crlf"])
def test_case_through_the_real_command(case, tmp_path):
    """The same cases through ``python -m generator validate``, in a subprocess."""
    project = make_project(case, tmp_path / "project")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("POLICYBOOK_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "policybook", "validate"], cwd=project, env=env,
        capture_output=True, text=True, timeout=60,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    if case.startswith("ok-"):
        assert result.returncode == 0 and output.startswith("OK:")
    else:
        assert result.returncode == 1
        assert output == (CORPUS / case / "expected.txt").read_text(encoding="utf-8")


def test_alias_bomb_is_refused_in_little_memory():
    raw = alias_bomb(levels=12).encode()
    tracemalloc.start()
    try:
        document, problems = parse_yaml(raw, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert document is None and len(problems) == 1
    assert "more than 100,000 values" in problems[0].message
    assert peak < 20_000_000, f"peak {peak:,} bytes"


@pytest.mark.parametrize("depth", [41, 1_000, 200_000])
def test_deep_nesting_is_refused_at_any_depth(depth):
    for opener, closer in (("[", "]"), ("{a: ", "}")):
        raw = ("k: " + opener * depth + closer * depth + "\n").encode()
        document, problems = parse_yaml(raw[:1_000_000], "deep.yaml")
        assert document is None
        assert [p.message for p in problems] == [TOO_DEEP], problems


def _checksums(folder: Path) -> dict[str, object]:
    """Every entry's bytes; for huge files, their size and modification time."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if path.is_file() and info.st_size > 10_000_000:
            found[path.relative_to(folder).as_posix()] = (info.st_size, info.st_mtime_ns)
        else:
            found[path.relative_to(folder).as_posix()] = path.read_bytes() if path.is_file() else info.st_mode
    return found
