"""A real package: the wheel installs, imports as ``policybook`` and starts a handbook.

The wheel is built from a copy of the checkout and installed into a new
virtual environment that runs from a folder outside it, so nothing can be
imported from the working copy. Its dependencies are not downloaded again:
the new environment sees the test environment's packages through a ``.pth``
file (their ``.pth`` files, the editable install's among them, are not run),
and ``pip check`` proves the wheel's own requirements are met by them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from policybook.starter import StarterError, write_starter
from tests.conftest import ROOT
from tests.test_bad_inputs import run_cli

_NOT_SOURCES = shutil.ignore_patterns(".git", "site", ".site.*", "build", "dist", "*.egg-info", "__pycache__",
                                      ".pytest_cache", ".hypothesis", ".node", "out")


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def _assert_requirements_met(python: Path, cwd: Path, env: dict[str, str]) -> None:
    # `pip check` judges the whole environment, and the test environment may
    # hold unrelated packages whose own requirements are broken (CI's system
    # Python does): only what it says of policybook concerns this test.
    result = subprocess.run([str(python), "-m", "pip", "check"], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=600)
    ours = [line for line in result.stdout.splitlines() if line.lower().startswith("policybook ")]
    assert not ours, "\n".join(ours)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "policybook"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCES)
    out = tmp_path_factory.mktemp("wheel")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)], out, env)
    (found,) = out.glob("policybook-*.whl")
    return found


def test_wheel_holds_one_package_with_its_schemas_and_starter(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"policybook"}
    for needed in ("policybook/schemas/policy.schema.json", "policybook/schemas/handbook.schema.json",
                   "policybook/starter/handbook/mkdocs.yml", "policybook/starter/handbook/gitignore",
                   "policybook/starter/handbook/policies/handbook.yaml", "policybook/render/policybook.css"):
        assert needed in names


def test_installed_wheel_starts_validates_and_builds_a_handbook(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        tmp_path, dict(os.environ)).strip())
    outer = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "outer-environment.pth").write_text("\n".join(sorted(outer)) + "\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PIP_DISABLE_PIP_VERSION_CHECK="1")
    work = tmp_path / "elsewhere"
    work.mkdir()

    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], work, env)
    _assert_requirements_met(python, work, env)
    where = _run([str(python), "-c", "import policybook; print(policybook.__file__)"], work, env).strip()
    assert Path(where).is_relative_to(venv), where
    assert "policybook, version" in _run(["policybook", "--version"], work, env)

    _run(["policybook", "new", "school-handbook", "--name", "Oakfield Primary School"], work, env)
    handbook = work / "school-handbook"
    assert "OK: 3 policies" in _run(["policybook", "validate"], handbook, env)
    _run(["policybook", "build"], handbook, env)
    home = (handbook / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Oakfield Primary School staff handbook - Oakfield Primary School</title>" in home
    assert (handbook / "site" / "roles").is_dir()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "handbook"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(b"governors' minutes")
    code, output = run_cli(monkeypatch, capsys, tmp_path, "new", "handbook")
    assert code == 1
    assert "handbook is not empty (it holds minutes.docx)" in output
    assert [p.name for p in folder.iterdir()] == ["minutes.docx"]
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StarterError, match="is a file"):
        write_starter(tmp_path / "a-file", organisation="X", today=dt.date(2026, 12, 1))


def test_new_accepts_an_empty_clone(tmp_path):
    folder = tmp_path / "handbook"
    (folder / ".git").mkdir(parents=True)
    written = write_starter(folder, organisation="X", today=dt.date(2026, 12, 1))
    assert folder / "mkdocs.yml" in written and (folder / ".gitignore").is_file()


def test_starter_is_in_force_on_the_day_it_is_made(tmp_path):
    from policybook.load import load_handbook
    from policybook.views.schedule import build_schedule

    write_starter(tmp_path / "h", organisation='St Anne\'s "Primary": a test', today=dt.date(2028, 2, 29))
    result = load_handbook(tmp_path / "h" / "policies")
    assert result.ok, result.problems
    handbook = result.handbook
    assert handbook.organisation.name == 'St Anne\'s "Primary": a test'
    assert 2 <= len(handbook.policies) <= 3 and len(handbook.roles) <= 8
    schedule = build_schedule(handbook, dt.date(2028, 2, 29))
    assert not schedule.overdue
    # Every YAML file points its editor at the copied schema.
    for path in (tmp_path / "h" / "policies").rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = first.removeprefix("# yaml-language-server: $schema=")
        assert (path.parent / schema).resolve().is_file(), path


@pytest.mark.parametrize("today", [dt.date(2028, 2, 29), dt.date(2026, 8, 31), dt.date(2027, 1, 1), dt.date(2026, 12, 31)])
def test_starter_shows_the_governance_record_and_structure_a_school_keeps(tmp_path, today):
    from policybook.dates import Precision
    from policybook.load import load_handbook
    from policybook.model import Holder
    from policybook.views.schedule import build_schedule

    write_starter(tmp_path / "h", organisation="Test School", today=today)
    result = load_handbook(tmp_path / "h" / "policies")
    assert result.ok, result.problems
    assert not result.warnings, result.warnings
    handbook = result.handbook
    assert not build_schedule(handbook, today).overdue
    version = handbook.policy("safeguarding").current
    assert [c.id for c in handbook.committees] == ["pupils-committee"]
    assert version.review.governors.committee == "pupils-committee" and version.review.governors.date.start == today
    assert version.review.with_staff.precision is Precision.MONTH and version.review.with_staff.start.month == today.month
    assert [(s.role, s.date.start) for s in version.signatories] == [("headteacher", today)]
    (logged,) = handbook.policy("safeguarding").log
    assert logged.version == "1.1" and logged.date.precision is Precision.MONTH
    assert handbook.policy("safeguarding").versions[0].effective.start < logged.date.start <= today
    nested = next(s for s in version.sections if s.id == "the-school")
    assert not nested.clauses and [s.title for s in nested.sections] == ["Training", "Checks on adults"]
    assert {c.id for c in version.commitments} == {"train-every-adult", "check-before-starting"}
    assert all(c.holder is Holder.ORGANISATION for c in version.commitments)

