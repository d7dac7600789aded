"""Bad command-line arguments get a clear message and exit 1, before any work (issue 14, class 12)."""

from __future__ import annotations

import os

import pytest

from tests.test_bad_inputs import run_cli
from tests.test_build_safety import tree
from tests.test_site_build import TODAY, copy_project


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    return copy_project(folder)


def _run(monkeypatch, capsys, project, *args):
    code, output = run_cli(monkeypatch, capsys, project, *args)
    assert "Traceback" not in output and "Internal error" not in output, output
    return code, output


# Every command that writes a file with -o, and how to make it write one.
FILE_COMMANDS = {
    "diff": ["diff", "social-media", "2", "3", "--format", "json"],
    "checklist": ["checklist", "dsl", "--format", "markdown"],
}
# Every command that writes into a folder, and its option (None: an argument).
FOLDER_COMMANDS = {
    "export": ["export"],
    "build": ["build", "-d"],
    "checklist --all": ["checklist", "--all", "--format", "markdown", "-o"],
}


@pytest.mark.parametrize("command", FILE_COMMANDS)
@pytest.mark.parametrize("output, message", [
    ("", "is empty: name a file or folder to write"),
    ("docs", "docs is a folder: name a file to write"),
    (".", ". is a folder: name a file to write"),
    ("no/such/dir/x.json", "cannot write no/such/dir/x.json: the folder <project>/no/such/dir does not exist; create it first"),
    ("mkdocs.yml/x.json", "cannot write mkdocs.yml/x.json: the folder <project>/mkdocs.yml does not exist"),
])
def test_bad_output_files_are_refused(project, monkeypatch, capsys, command, output, message):
    before = tree(project)
    code, text = _run(monkeypatch, capsys, project, *FILE_COMMANDS[command], "-o", output)
    assert code == 1 and message in text
    assert tree(project) == before, "nothing written, no folder created"


@pytest.mark.parametrize("command", FOLDER_COMMANDS)
@pytest.mark.parametrize("output, message", [
    ("", "is empty: name a file or folder to write"),
    ("mkdocs.yml", "is a file"),
    ("no/such/folder", "the folder <project>/no/such does not exist; create it first"),
])
def test_bad_output_folders_are_refused(project, monkeypatch, capsys, command, output, message):
    before = tree(project)
    code, text = _run(monkeypatch, capsys, project, *FOLDER_COMMANDS[command], output, "--today", TODAY)
    assert code == 1 and message in text
    assert tree(project) == before


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_file_that_cannot_be_written_is_a_clean_error(project, monkeypatch, capsys, command):
    # /proc takes no new files, even from root (who may write where permissions say no).
    code, text = _run(monkeypatch, capsys, project, *FILE_COMMANDS[command], "-o", "/proc/policybook-out.json")
    assert code == 1 and "cannot write /proc/policybook-out.json" in text


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_folder_is_refused(project, monkeypatch, capsys):
    locked = project / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, text = _run(monkeypatch, capsys, project, *FILE_COMMANDS["diff"], "-o", "locked/x.json")
    finally:
        locked.chmod(0o755)
    assert code == 1 and "cannot write locked/x.json: permission denied" in text


def test_output_in_an_existing_folder_is_written(project, monkeypatch, capsys):
    (project / "out").mkdir()
    code, text = _run(monkeypatch, capsys, project, *FILE_COMMANDS["diff"], "-o", "out/social-media.json")
    assert code == 0 and (project / "out" / "social-media.json").read_text(encoding="utf-8").startswith("{")
    code, text = _run(monkeypatch, capsys, project, "checklist", "--all", "--format", "markdown", "-o", "out/pack")
    assert code == 0 and (project / "out" / "pack" / "dsl.md").is_file()


# Every command that takes --today.
TODAY_COMMANDS = {
    "build": ["build"],
    "export": ["export", "exported"],
    "review": ["review"],
    "checklist": ["checklist", "dsl"],
}


@pytest.mark.parametrize("command", TODAY_COMMANDS)
@pytest.mark.parametrize("today, message", [
    ("", "'' is not a date: use YYYY-MM-DD"),
    ("21/11/2026", "'21/11/2026' is not a date: use YYYY-MM-DD"),
    ("2026-02-30", "'2026-02-30' is not a date"),
    ("20261121", "'20261121' is not a date"),        # ISO, but not the form we document
    ("2026-W47-6", "'2026-W47-6' is not a date"),
    ("２０２６-11-21", "is not a date"),                 # full-width digits
    ("9999-12-31", "9999-12-31 is not between 1900-01-01 and 2200-12-31"),
    ("1899-12-31", "1899-12-31 is not between 1900-01-01 and 2200-12-31"),
])
def test_bad_dates_are_refused(project, monkeypatch, capsys, command, today, message):
    before = tree(project)
    code, text = _run(monkeypatch, capsys, project, *TODAY_COMMANDS[command], "--today", today)
    assert code == 1 and "Invalid value for --today" in text and message in text
    assert tree(project) == before


@pytest.mark.parametrize("today", ["1900-01-01", "2200-12-31"])
def test_the_ends_of_the_date_range_work(project, monkeypatch, capsys, today):
    code, text = _run(monkeypatch, capsys, project, "review", "--today", today)
    assert code == 0 and f"Review schedule as of {today}" in text
    code, text = _run(monkeypatch, capsys, project, "export", "out", "--today", today)
    assert code == 0, text


@pytest.mark.parametrize("epoch", ["yesterday", "-1", "1.5", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_refused(project, monkeypatch, capsys, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    for command in TODAY_COMMANDS.values():
        code, text = _run(monkeypatch, capsys, project, *command)
        assert code == 1 and f"SOURCE_DATE_EPOCH={epoch!r} is not a date" in text
    # --today wins over it.
    code, text = _run(monkeypatch, capsys, project, "review", "--today", TODAY)
    assert code == 0


def test_a_bad_source_date_epoch_stops_every_dated_output_with_its_fix(project, monkeypatch, capsys, tmp_path, caplog):
    # Commands without --today read it too (a comparison dates its page), and so does a plain `mkdocs build`.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, text = _run(monkeypatch, capsys, project, "diff", "social-media", "2", "3", "--format", "html",
                      "-o", str(tmp_path / "diff.html"))
    assert code == 1 and "SOURCE_DATE_EPOCH='yesterday' is not a date" in text and "give --today" in text
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort):
        mkdocs_build(config)
    assert "SOURCE_DATE_EPOCH='yesterday' is not a date" in caplog.text


# Every command reads the policies folder that mkdocs.yml names; -p wins.

@pytest.fixture
def moved(project):
    """The sample with its policies in handbook/, as mkdocs.yml says."""
    (project / "policies").rename(project / "handbook")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("policies_dir: policies", "policies_dir: handbook"), encoding="utf-8")
    return project


READING_COMMANDS = {
    "validate": (["validate"], "OK: "),
    "diff": (["diff", "social-media", "2", "3", "--format", "json"], '"policy": "social-media"'),
    "checklist": (["checklist", "dsl"], "Designated safeguarding lead"),
    "review": (["review", "--today", TODAY], "Review schedule as of"),
    "export": (["export", "out", "--today", TODAY], "Exported "),
    "build": (["build", "--today", TODAY], "Built the configured edition"),
}


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_commands_read_the_policies_dir_of_mkdocs_yml(moved, monkeypatch, capsys, command):
    args, expected = READING_COMMANDS[command]
    code, text = _run(monkeypatch, capsys, moved, *args)
    assert code == 0 and expected in text, text


@pytest.mark.parametrize("command", [c for c in READING_COMMANDS if c != "build"])
def test_an_explicit_policies_folder_wins_over_mkdocs_yml(moved, monkeypatch, capsys, command):
    (moved / "empty").mkdir()
    args, _expected = READING_COMMANDS[command]
    args = [*args, "empty"] if command == "validate" else [*args, "-p", "empty"]
    code, text = _run(monkeypatch, capsys, moved, *args)
    assert code == 1 and "empty/handbook.yaml" in text, text


def test_without_mkdocs_yml_the_policies_folder_is_policies(project, monkeypatch, capsys):
    (project / "mkdocs.yml").unlink()
    code, text = _run(monkeypatch, capsys, project, "validate")
    assert code == 0 and text.startswith("OK: ")


@pytest.mark.parametrize("setting", ["policies_dir: 5", "policies_dir: [a, b]", "policies_dir:"])
def test_a_policies_dir_that_is_not_a_folder_name_falls_back(project, monkeypatch, capsys, setting):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("policies_dir: policies", setting), encoding="utf-8")
    code, text = _run(monkeypatch, capsys, project, "validate")
    assert code == 0 and text.startswith("OK: ")


def test_every_command_takes_the_global_options_after_its_name():
    """``policybook build -q`` as well as ``policybook -q build``: also for commands added later."""
    from click.testing import CliRunner

    from policybook.cli import cli

    for name in cli.commands:
        result = CliRunner().invoke(cli, [name, "-q", "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "-q, --quiet" in result.output, name


@pytest.mark.parametrize("args", [["-q", "build"], ["build", "-q"], ["build", "--quiet"]])
def test_quiet_works_before_and_after_the_command(project, monkeypatch, capsys, args):
    code, output = _run(monkeypatch, capsys, project, *args, "--today", TODAY)
    assert code == 0, output
    assert output == ""  # warnings and errors only: not even the summary line
    assert (project / "site" / "index.html").is_file()


# Each command twice, into a new folder each time where it writes one.
SUMMARISED = {
    "validate": (["validate"], ["validate"]),
    "export": (["export", "out-loud"], ["export", "out-quiet"]),
    "new": (["new", "starter-loud", "--today", TODAY], ["new", "starter-quiet", "--today", TODAY]),
}


@pytest.mark.parametrize("command", SUMMARISED)
def test_quiet_leaves_out_the_summary_line_of_every_command(project, monkeypatch, capsys, command):
    loud_args, quiet_args = SUMMARISED[command]
    code, loud = _run(monkeypatch, capsys, project, *loud_args)
    assert code == 0 and loud.strip(), loud
    code, quiet = _run(monkeypatch, capsys, project, "-q", *quiet_args)
    assert code == 0 and quiet == "", quiet


def test_without_quiet_the_build_reports_progress(project, monkeypatch, capsys):
    code, output = _run(monkeypatch, capsys, project, "build", "--today", TODAY)
    assert code == 0 and "INFO" in output
