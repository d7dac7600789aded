"""Builds that cannot hurt: atomic, reproducible, and confined to their output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from policybook.build import build_site_atomically
from tests.conftest import ROOT
from tests.test_site_build import TODAY, copy_project, digest


def tree(folder: Path, *, skip: str | None = None) -> dict[str, bytes]:
    """Every path under ``folder`` with its bytes (folders as a marker)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if skip and (relative == skip or relative.startswith(skip + "/")):
            continue
        found[relative] = path.read_bytes() if path.is_file() else b"<dir>"
    return found


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return copy_project(folder)


def test_build_writes_only_its_output_folder(project):
    outside = tree(project.parent, skip="project")
    sources = tree(project, skip="site")
    site = build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert site == project / "site" and (site / "index.html").is_file()
    assert tree(project, skip="site") == sources, "docs/, policies/ or mkdocs.yml changed"
    assert tree(project.parent, skip="project") == outside, "something was written next to the project"
    # A second build replaces only what the first one wrote.
    build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert tree(project, skip="site") == sources
    assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "policies", "site"]


@pytest.mark.parametrize("site_dir", [".", "docs", "policies", "policies/demo-site", ".."])
def test_build_refuses_to_replace_its_sources(project, site_dir):
    before = tree(project.parent)
    with pytest.raises(Abort, match="refusing to build into"):
        build_site_atomically(project / "mkdocs.yml", site_dir=project / site_dir, today=TODAY)
    assert tree(project.parent) == before


def test_build_refuses_a_folder_that_is_not_a_site(project, tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "minutes.docx").write_bytes(b"governors' minutes")
    with pytest.raises(Abort, match="Policybook did not build it"):
        build_site_atomically(project / "mkdocs.yml", site_dir=documents, today=TODAY)
    assert tree(documents) == {"minutes.docx": b"governors' minutes"}


def test_hidden_entries_of_the_previous_site_are_kept(project):
    site = build_site_atomically(project / "mkdocs.yml", today=TODAY)
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert (site / ".nojekyll").exists()


def test_build_failing_inside_mkdocs_leaves_the_previous_site(project):
    site = build_site_atomically(project / "mkdocs.yml", today=TODAY)
    (site / ".git").mkdir()
    before = digest(site)
    # Valid policies, but a strict-mode warning (a broken link) fails the build late.
    (project / "docs" / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    with pytest.raises(Exception):
        build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert digest(site) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def _build_in_subprocess(project: Path, seed: str) -> Path:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600", "PYTHONHASHSEED": seed}
    result = subprocess.run([sys.executable, "-m", "policybook", "build"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_two_builds_are_byte_identical(tmp_path):
    """Different folders, different hash seeds, a second apart: the same bytes."""
    first = copy_project(_mkdir(tmp_path / "one"))
    second = copy_project(_mkdir(tmp_path / "elsewhere" / "two"))
    a = tree(_build_in_subprocess(first, "1"))
    b = tree(_build_in_subprocess(second, "2"))
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert not different, different[:10]
    assert "sitemap.xml.gz" in a


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def test_command_refuses_to_build_into_the_project(project, monkeypatch, capsys):
    from tests.test_bad_inputs import run_cli

    before = tree(project)
    code, output = run_cli(monkeypatch, capsys, project, "build", "-d", ".", "--today", TODAY)
    assert code == 1
    assert "refusing to build into <project>" in output and "Traceback" not in output
    assert tree(project) == before
