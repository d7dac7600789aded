"""Builds that cannot hurt: atomic, reproducible, and confined to their output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.outputs.folders import FolderRefused
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
    with pytest.raises(FolderRefused, match="refusing to build into"):
        build_site_atomically(project / "mkdocs.yml", site_dir=project / site_dir, today=TODAY)
    assert tree(project.parent) == before


def test_build_refuses_a_folder_that_is_not_a_site(project, tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "minutes.docx").write_bytes(b"governors' minutes")
    with pytest.raises(FolderRefused, match="Policybook did not build it"):
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


# The output folder: only a folder Policybook built is replaced (issue 14, class 2).

def _cli(monkeypatch, capsys, project: Path, *args: str) -> tuple[int, str]:
    from tests.test_bad_inputs import run_cli

    return run_cli(monkeypatch, capsys, project, *args)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample's site, built once: tests that only need a site to exist copy it."""
    project = copy_project(tmp_path_factory.mktemp("built"))
    return build_site_atomically(project / "mkdocs.yml", today=TODAY)


def _place(built: Path, project: Path) -> Path:
    """The project as if it had just been built."""
    import shutil

    return Path(shutil.copytree(built, project / "site"))


def test_a_folder_with_an_index_html_beside_other_files_is_not_a_site(project, monkeypatch, capsys):
    web = project.parent / "web"
    (web / "photos").mkdir(parents=True)
    (web / "index.html").write_text("<h1>Our school</h1>", encoding="utf-8")
    (web / "minutes.docx").write_bytes(b"governors' minutes")
    (web / "photos" / "sports-day.jpg").write_bytes(b"\xff\xd8photo")
    before = tree(web)
    code, output = _cli(monkeypatch, capsys, project, "build", "-d", str(web), "--today", TODAY)
    assert code == 1 and "Traceback" not in output
    assert f"refusing to replace {web}" in output and "Policybook did not build it" in output
    assert "minutes.docx" in output and "build into an empty or new folder with -d" in output
    assert tree(web) == before
    assert [p.name for p in project.parent.iterdir() if p.name.startswith(".web")] == []


def test_the_manifest_lists_every_file_of_the_site(built):
    site = built
    manifest = json.loads((site / ".policybook-site.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name != ".policybook-site.json")
    assert manifest["files"] == files and "index.html" in files


def test_a_built_site_holding_a_file_policybook_did_not_write_is_refused(project, built):
    site = _place(built, project)
    (site / "policies" / "signed-minutes.pdf").write_bytes(b"%PDF-1.4 signed")
    before = tree(site)
    with pytest.raises(FolderRefused, match=r"holds files that Policybook did not write there \(policies/signed-minutes.pdf\)"):
        build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert tree(site) == before
    # Moved out, the site builds again; litter of file browsers does not count.
    (site / "policies" / "signed-minutes.pdf").unlink()
    (site / "policies" / ".DS_Store").write_bytes(b"")
    (site / "Thumbs.db").write_bytes(b"")
    build_site_atomically(project / "mkdocs.yml", today=TODAY)


def _earlier_build(project: Path, built: Path) -> Path:
    """A site as Policybook built it before it wrote manifests."""
    site = _place(built, project)
    (site / ".policybook-site.json").unlink()
    return site


def test_a_site_an_earlier_version_built_is_replaced_once(project, built):
    site = _earlier_build(project, built)
    (site / "policies" / "withdrawn-policy.html").write_text("<p>old page</p>", encoding="utf-8")
    build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert (site / ".policybook-site.json").is_file()
    assert not (site / "policies" / "withdrawn-policy.html").exists()


@pytest.mark.parametrize("foreign", ["minutes.docx", "photos/sports-day.jpg", "assets.txt"])
def test_a_site_an_earlier_version_built_is_kept_when_it_holds_other_files(project, built, foreign):
    site = _earlier_build(project, built)
    (site / foreign).parent.mkdir(exist_ok=True)
    (site / foreign).write_bytes(b"someone's own file")
    before = tree(site)
    with pytest.raises(FolderRefused, match=rf"Policybook did not build it .* holds {foreign}; .*delete it yourself"):
        build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert tree(site) == before


def test_a_folder_without_policybooks_stylesheet_is_not_an_earlier_build(project, tmp_path):
    other = tmp_path / "other-site"
    (other / "assets").mkdir(parents=True)
    (other / "index.html").write_text("<h1>Another generator</h1>", encoding="utf-8")
    (other / "assets" / "main.css").write_text("body {}", encoding="utf-8")
    with pytest.raises(FolderRefused, match="Policybook did not build it"):
        build_site_atomically(project / "mkdocs.yml", site_dir=other, today=TODAY)
    assert (other / "index.html").is_file()


def test_a_second_build_into_the_same_site_is_refused_while_the_first_runs(project, built):
    from policybook.outputs.folders import output_lock

    site = _place(built, project)
    (site / ".git").mkdir()
    before = tree(site)
    with output_lock(site):  # what the first build holds while it runs
        with pytest.raises(FolderRefused, match="another build is running into"):
            build_site_atomically(project / "mkdocs.yml", today=TODAY)
        assert tree(site) == before
        with output_lock(project / "site-public"):  # another folder is another lock
            pass
    build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert (site / ".git").is_dir()
    assert not (project / ".site.lock").exists(), "the lock file is removed after the build"


def test_a_killed_build_does_not_hold_the_lock(project, monkeypatch, capsys):
    lock = project / ".site.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\nfcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\ntime.sleep(600)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        code, output = _cli(monkeypatch, capsys, project, "build", "--today", TODAY)
        assert code == 1 and "another build is running into <project>/site" in output and "Traceback" not in output
    finally:
        holder.kill()
        holder.wait()
    assert lock.exists(), "a killed process leaves its lock file behind"
    code, output = _cli(monkeypatch, capsys, project, "build", "--today", TODAY)
    assert code == 0, output
    assert not lock.exists()


def test_leftovers_of_killed_and_failed_builds_are_removed(project):
    import tempfile

    ours = []
    for kind in ("building", "old"):
        leftover = Path(tempfile.mkdtemp(prefix=f".site.{kind}-", dir=project))
        (leftover / "policies").mkdir()
        (leftover / "policies" / "page.html").write_text("half a site", encoding="utf-8")
        (leftover / "policies").chmod(0o555)  # a file that could not be deleted last time
        ours.append(leftover)
    others = [project / ".site.building-mine", project / ".site-public.old-abcdefgh", project / "site.old-abcdefgh"]
    for folder in others:
        folder.mkdir()
    build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert [folder for folder in ours if folder.exists()] == []
    assert [folder for folder in others if not folder.exists()] == []


def test_an_old_site_with_read_only_folders_is_removed_after_the_swap(project, built):
    site = _place(built, project)
    (site / "policies").chmod(0o555)
    build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []
    assert (site / "index.html").is_file()


def test_the_build_never_creates_missing_folders(project, monkeypatch, capsys):
    code, output = _cli(monkeypatch, capsys, project, "build", "-d", "no/such/site", "--today", TODAY)
    assert code == 1 and "the folder <project>/no/such does not exist; create it first" in output
    assert not (project / "no").exists()


# Export: never into the sources, exactly the current edition, never over someone's folder (classes 2 and 3).

@pytest.mark.parametrize("directory", [".", "docs", "policies", "policies/demo-site", "..", "docs/exported"])
def test_export_refuses_to_write_into_its_sources(project, monkeypatch, capsys, directory):
    before = tree(project.parent)
    code, output = _cli(monkeypatch, capsys, project, "export", directory, "--today", TODAY)
    assert code == 1 and "refusing to export into" in output and "it holds or is inside the sources" in output
    assert "Traceback" not in output
    assert tree(project.parent) == before


def test_export_refuses_the_sources_named_by_mkdocs_yml(project, monkeypatch, capsys):
    (project / "policies").rename(project / "handbook")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("policies_dir: policies", "policies_dir: handbook"), encoding="utf-8")
    code, output = _cli(monkeypatch, capsys, project, "export", "handbook", "--today", TODAY)
    assert code == 1 and "refusing to export into <project>/handbook" in output


def _export(monkeypatch, capsys, project: Path, folder: Path, *args: str) -> None:
    code, output = _cli(monkeypatch, capsys, project, "export", str(folder), "--today", TODAY, *args)
    assert code == 0, output


def test_export_leaves_exactly_the_current_editions_files(project, monkeypatch, capsys, tmp_path):
    mixed, fresh = tmp_path / "mixed", tmp_path / "fresh"
    _export(monkeypatch, capsys, project, mixed)
    staff = tree(mixed)
    assert "policies/code-of-conduct.md" in staff  # a staff-only policy
    _export(monkeypatch, capsys, project, mixed, "--edition", "public")
    _export(monkeypatch, capsys, project, fresh, "--edition", "public")
    assert tree(mixed) == tree(fresh)
    assert "policies/code-of-conduct.md" not in tree(mixed)
    # And back: the staff pages return, the folder as a fresh staff export.
    _export(monkeypatch, capsys, project, mixed)
    assert tree(mixed) == staff


def test_export_refuses_a_folder_it_did_not_write(project, monkeypatch, capsys, tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "index.md").write_text("# Our own page\n", encoding="utf-8")
    code, output = _cli(monkeypatch, capsys, project, "export", str(documents), "--today", TODAY)
    assert code == 1 and f"refusing to export into {documents}" in output
    assert "policybook export did not write (index.md)" in output and "choose an empty or new folder" in output
    assert tree(documents) == {"index.md": b"# Our own page\n"}


def test_export_keeps_files_added_since_and_hidden_entries(project, monkeypatch, capsys, tmp_path):
    folder = tmp_path / "hugo-content"
    (folder / ".git").mkdir(parents=True)  # hidden entries do not make a folder someone's
    _export(monkeypatch, capsys, project, folder)
    (folder / "extra.md").write_text("# Added by hand\n", encoding="utf-8")
    _export(monkeypatch, capsys, project, folder, "--edition", "public")
    assert (folder / "extra.md").is_file() and (folder / ".git").is_dir()


def test_export_never_removes_anything_outside_its_folder(project, monkeypatch, capsys, tmp_path):
    folder = tmp_path / "export"
    _export(monkeypatch, capsys, project, folder)
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    manifest = folder / ".policybook-export.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["files"] += ["../precious.txt", str(outside), "policies/../../precious.txt"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    _export(monkeypatch, capsys, project, folder)
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_an_export_that_dies_part_way_can_be_run_again(project, monkeypatch, capsys, tmp_path):
    import errno

    folder, fresh = tmp_path / "export", tmp_path / "fresh"
    _export(monkeypatch, capsys, project, folder)
    real_write_text, written = Path.write_text, []

    def disk_fills_up(path, *args, **kwargs):
        written.append(path)
        if len(written) > 6:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", disk_fills_up)
    code, output = _cli(monkeypatch, capsys, project, "export", str(folder), "--today", TODAY, "--edition", "public")
    monkeypatch.setattr(Path, "write_text", real_write_text)
    assert code == 1 and "cannot write " in output and "No space left on device" in output
    _export(monkeypatch, capsys, project, folder, "--edition", "public")
    _export(monkeypatch, capsys, project, fresh, "--edition", "public")
    assert tree(folder) == tree(fresh)


def test_a_second_export_into_the_same_folder_is_refused_while_the_first_runs(project, monkeypatch, capsys, tmp_path):
    from policybook.outputs.folders import output_lock

    with output_lock(tmp_path / "export"):
        code, output = _cli(monkeypatch, capsys, project, "export", str(tmp_path / "export"), "--today", TODAY)
    assert code == 1 and "another export is running into" in output


def test_a_file_saved_into_the_site_during_the_build_is_not_lost(project, built, monkeypatch):
    import policybook.mkdocs_adapter.build as atomic_build

    site = _place(built, project)
    real_build = atomic_build.mkdocs_build

    def someone_saves_a_file(config):
        real_build(config)
        (site / "notes.docx").write_bytes(b"saved while the build ran")

    monkeypatch.setattr(atomic_build, "mkdocs_build", someone_saves_a_file)
    with pytest.raises(FolderRefused, match=r"did not write there \(notes.docx\)"):
        build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert (site / "notes.docx").read_bytes() == b"saved while the build ran"
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []
