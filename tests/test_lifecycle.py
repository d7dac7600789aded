"""The version life cycle as commands: new-version, adopt, new-policy (issue 18, part 1).

Each command is run as an author would, on a copy of the sample handbook;
the files are compared before and after, byte for byte: only the entries the
command owns change, comments and layout stay, and a refusal changes nothing.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from policybook.lifecycle import YamlText, next_label, scalar
from policybook.load import load_handbook
from policybook.model import Status
from tests.hostile import PAYLOADS, TERMINAL
from tests.test_build_safety import tree
from tests.test_cli_arguments import _run, project  # noqa: F401 - the fixture: a copy of the sample handbook


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out of ``before`` and put into ``after``."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def _handbook(project: Path):
    result = load_handbook(project / "policies")
    assert result.ok, result.problems
    return result.handbook


def _commented(path: Path) -> str:
    """Put comments where authors do (above keys, after values, inside lists), and return the text."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nstatus:", "\n# Set by the clerk once the board has voted.\nstatus:", 1)
    text = text.replace("\nowner: governing-board\n", "\nowner: governing-board   # the board owns it\n", 1)
    text = text.replace("\nsections:\n", "\nsections:\n  # Sections in the order of the model policy.\n", 1)
    path.write_text(text, encoding="utf-8")
    return text


# -- new-version -----------------------------------------------------------------------------------------------


def test_new_version_copies_the_version_in_force_as_a_draft(monkeypatch, capsys, project):
    v5 = project / "policies" / "social-media" / "v5.yaml"
    before_v5 = _commented(v5)
    code, output = _run(monkeypatch, capsys, project, "new-version", "social-media")
    assert code == 0 and "policies/social-media/v6.yaml" in output
    v6 = (project / "policies" / "social-media" / "v6.yaml").read_text(encoding="utf-8")
    assert v5.read_text(encoding="utf-8") == before_v5, "the version in force is not touched"
    removed, added = _changed_lines(before_v5, v6)
    assert added == ['version: "6"\n', "status: draft\n", "# changes: >-\n",
                     "#   What changed since version 5, in plain words.\n"]
    assert removed[:2] == ['version: "5"\n', "status: adopted\n"]
    assert {"effective: 2026-01-05\n", "approval:\n", "  minute: FGB 2025/10 item 5\n", "changes: >-\n"} <= set(removed)
    assert "# Set by the clerk once the board has voted.\n" in v6 and "# the board owns it" in v6
    handbook = _handbook(project)
    policy = handbook.policy("social-media")
    draft, adopted = policy.version("6"), policy.version("5")
    assert draft.status is Status.DRAFT and draft.approval is None and draft.effective is None and draft.changes is None
    assert [c.id for c in draft.clauses] == [c.id for c in adopted.clauses], "clause ids carry on"
    assert [c.text for c in draft.clauses] == [c.text for c in adopted.clauses]


def test_new_version_and_adopt_keep_a_yml_suffix(monkeypatch, capsys, project):
    folder = project / "policies" / "social-media"
    (folder / "v5.yaml").rename(folder / "v5.yml")
    assert _run(monkeypatch, capsys, project, "new-version", "social-media")[0] == 0
    assert (folder / "v6.yml").is_file() and not (folder / "v6.yaml").exists()
    code, _ = _run(monkeypatch, capsys, project, "adopt", "social-media", "6", "--body", "Board", "--date", "2026-12-09")
    assert code == 0 and "status: superseded" in (folder / "v5.yml").read_text(encoding="utf-8")


def test_new_version_takes_a_label(monkeypatch, capsys, project):
    code, _ = _run(monkeypatch, capsys, project, "new-version", "social-media", "--version", "5.1")
    assert code == 0 and _handbook(project).policy("social-media").version("5.1").status is Status.DRAFT


@pytest.mark.parametrize(("args", "message"), [
    (["nope"], "no policy 'nope'; policies are: acceptable-use, "),
    (["acceptable-use"], 'policy \'acceptable-use\' already has a draft, version "2" (policies/acceptable-use/v2.yaml)'),
    (["social-media", "--version", "4"], "policies/social-media/v4.yaml already exists"),
    (["social-media", "--version", "../../x"], "'../../x' cannot be a version"),
    (["social-media", "--version", "0"], 'policies/social-media/v0.yaml:6:9: draft version "0" is older than the adopted'),
])
def test_new_version_refuses_and_changes_nothing(monkeypatch, capsys, project, args, message):
    before = tree(project)
    code, output = _run(monkeypatch, capsys, project, "new-version", *args)
    assert code == 1 and message in output, output
    assert tree(project) == before


def test_new_version_refuses_a_policy_with_nothing_in_force(monkeypatch, capsys, project):
    policy = project / "policies" / "acceptable-use"
    (policy / "v1.yaml").unlink()
    before = tree(project)
    code, output = _run(monkeypatch, capsys, project, "new-version", "acceptable-use", "--version", "3")
    assert code == 1 and "policy 'acceptable-use' has no adopted version to copy" in output
    assert tree(project) == before


# -- adopt -----------------------------------------------------------------------------------------------------

ADOPT = ["adopt", "acceptable-use", "2", "--body", "Full governing board", "--date", "2026-12-09",
         "--minute", "FGB 2026/11 item 4"]


def test_adopt_records_the_approval_and_supersedes_the_version_in_force(monkeypatch, capsys, project):
    draft, old = (project / "policies" / "acceptable-use" / name for name in ("v2.yaml", "v1.yaml"))
    before_draft, before_old = _commented(draft), _commented(old)
    code, output = _run(monkeypatch, capsys, project, *ADOPT)
    assert code == 0 and "Adopted version 2 of acceptable-use" in output
    removed, added = _changed_lines(before_draft, draft.read_text(encoding="utf-8"))
    assert removed == ["status: draft\n"]
    assert added == ["status: adopted\n", "approval:\n", "  body: Full governing board\n", "  date: 2026-12-09\n",
                     "  minute: FGB 2026/11 item 4\n"]
    assert _changed_lines(before_old, old.read_text(encoding="utf-8")) == (["status: adopted\n"], ["status: superseded\n"])
    policy = _handbook(project).policy("acceptable-use")
    adopted = policy.version("2")
    assert adopted.status is Status.ADOPTED and policy.version("1").status is Status.SUPERSEDED
    assert (adopted.approval.body, adopted.approval.date.iso, adopted.approval.minute) == (
        "Full governing board", "2026-12-09", "FGB 2026/11 item 4")
    assert adopted.effective.iso == "2027-01-04", "the draft's own effective date stays"


def test_adopt_reads_a_numbers_only_date_as_the_handbook_says(monkeypatch, capsys, project):
    settings = project / "policies" / "handbook.yaml"
    assert "date_order: day-first" in settings.read_text(encoding="utf-8")
    code, output = _run(monkeypatch, capsys, project, "adopt", "acceptable-use", "2", "--body", "Full governing board",
                        "--date", "09/12/26")
    assert code == 0, output
    assert _handbook(project).policy("acceptable-use").version("2").approval.date.iso == "2026-12-09"


def test_adopt_refuses_a_numbers_only_date_without_the_setting(monkeypatch, capsys, project):
    settings = project / "policies" / "handbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("date_order: day-first\n", ""), encoding="utf-8")
    # The sample's own numbers-only date is written out, so that the handbook still loads without the setting.
    amended = project / "policies" / "child-protection" / "v2.yaml"
    amended.write_text(amended.read_text(encoding="utf-8").replace("date: 12.10.26", "date: 2026-10-12"), encoding="utf-8")
    assert _handbook(project).date_order is None
    before = tree(project)
    code, output = _run(monkeypatch, capsys, project, "adopt", "acceptable-use", "2", "--body", "Full governing board",
                        "--date", "09/12/2026")
    assert code == 1 and "--date '09/12/2026' could be 9 December 2026 or 12 September 2026" in output
    assert "date_order: day-first" in output and "2026-12-09" in output
    assert tree(project) == before


def test_new_version_then_adopt_is_the_whole_cycle(monkeypatch, capsys, project):
    assert _run(monkeypatch, capsys, project, "new-version", "social-media")[0] == 0
    code, _ = _run(monkeypatch, capsys, project, "adopt", "social-media", "6", "--body", "Governing board",
                   "--date", "2026-12-09", "--effective", "2027-01-04")
    assert code == 0
    policy = _handbook(project).policy("social-media")
    v6 = policy.version("6")
    assert v6.status is Status.ADOPTED and v6.effective.iso == "2027-01-04" and v6.approval.minute is None
    assert policy.version("5").status is Status.SUPERSEDED
    text = (project / "policies" / "social-media" / "v6.yaml").read_text(encoding="utf-8")
    assert "effective: 2027-01-04\napproval:\n  body: Governing board\n  date: 2026-12-09\nowner:" in text


@pytest.mark.parametrize("encoding", ["crlf", "bom"])
def test_adopt_keeps_line_endings_and_byte_order_mark(monkeypatch, capsys, project, encoding):
    draft = project / "policies" / "acceptable-use" / "v2.yaml"
    text = draft.read_text(encoding="utf-8")
    raw = (text.replace("\n", "\r\n") if encoding == "crlf" else "\ufeff" + text).encode("utf-8")
    draft.write_bytes(raw)
    assert _run(monkeypatch, capsys, project, *ADOPT)[0] == 0
    after = draft.read_bytes()
    if encoding == "crlf":
        assert b"\n" not in after.replace(b"\r\n", b"") and b"approval:\r\n  body: Full governing board\r\n" in after
    else:
        assert after.startswith("\ufeff".encode("utf-8")) and after.count("\ufeff".encode("utf-8")) == 1
    assert _handbook(project).policy("acceptable-use").version("2").status is Status.ADOPTED


def test_adopt_replaces_a_planned_approval_and_keeps_a_comment_after_the_status(monkeypatch, capsys, project):
    draft = project / "policies" / "acceptable-use" / "v2.yaml"
    text = draft.read_text(encoding="utf-8").replace(
        "status: draft\n", "status: draft  # goes to the board in December\n").replace(
        "owner: governing-board\n", "approval:\n  body: Resources committee\n  date: 2026-11-30\nowner: governing-board\n")
    draft.write_text(text, encoding="utf-8")
    assert _run(monkeypatch, capsys, project, *ADOPT)[0] == 0
    after = draft.read_text(encoding="utf-8")
    assert "status: adopted  # goes to the board in December\n" in after
    assert "Resources committee" not in after and after.count("approval:") == 1


@pytest.mark.parametrize(("args", "message"), [
    (["social-media", "5"], 'version "5" of \'social-media\' is already adopted (approved by Full governing board on 2025-12-09)'),
    (["social-media", "3"], "version \"3\" of 'social-media' is superseded: only a draft can be adopted"),
    (["social-media", "9"], "policy 'social-media' has no version \"9\"; versions are: 1, 2, 3, 4, 5"),
    (["nope", "1"], "no policy 'nope'"),
    (["acceptable-use", "2", "--date", "2024-01-01"], '--date 2024-01-01 is before the approval of version "1"'),
    (["acceptable-use", "2", "--effective", "2026-12-01"], "would take effect on 2026-12-01, before its approval on 2026-12-09"),
    (["acceptable-use", "2", "--effective", "2024-01-01", "--date", "2024-12-01"], "before version \"1\""),
    (["acceptable-use", "2", "--date", "9-9-9"], "'9-9-9' is not a date: use YYYY-MM-DD"),
    # Valid on its own, but the handbook would not be: the next review would come before it is in force.
    (["acceptable-use", "2", "--effective", "2030-01-01"],
     "Refused: adopting version \"2\" would leave the handbook with these problems, so nothing was changed:\n"
     "policies/acceptable-use/v2.yaml:16:9: next review 2029-01-04 is not after the effective date 2030-01-01"),
])
def test_adopt_refuses_and_changes_nothing(monkeypatch, capsys, project, args, message):
    before = tree(project)
    defaults = {"--body": "Full governing board", "--date": "2026-12-09"}
    extra = [item for key, value in defaults.items() if key not in args for item in (key, value)]
    code, output = _run(monkeypatch, capsys, project, "adopt", *args, *extra)
    assert code == 1 and message in output, output
    assert tree(project) == before


def test_adopt_refuses_a_handbook_that_is_already_broken(monkeypatch, capsys, project):
    other = project / "policies" / "social-media" / "v5.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("status: adopted", "status: adoptd"), encoding="utf-8")
    before = tree(project)
    code, output = _run(monkeypatch, capsys, project, *ADOPT)
    assert code == 1 and "the handbook has problems already: fix them first" in output
    assert "policies/social-media/v5.yaml:6:9:" in output and tree(project) == before


# -- new-policy ------------------------------------------------------------------------------------------------


def test_new_policy_starts_a_draft_that_validates(monkeypatch, capsys, project):
    code, output = _run(monkeypatch, capsys, project, "new-policy", "visitors", "--title", "Visitors Policy",
                        "--category", "safeguarding")
    assert code == 0 and "policies/visitors/v1.yaml" in output
    text = (project / "policies" / "visitors" / "v1.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/policy.schema.json\npolicy: visitors\n")
    version = _handbook(project).policy("visitors").version("1")
    assert (version.title, version.category, version.status) == ("Visitors Policy", "safeguarding", Status.DRAFT)
    assert version.owner == "governing-board" and len(version.clauses) == 1
    code, _ = _run(monkeypatch, capsys, project, "new-policy", "trips", "--title", "Trips", "--category",
                   "safeguarding", "--owner", "headteacher", "--scope", "teacher", "--scope", "dsl")
    trips = _handbook(project).policy("trips").version("1")
    assert code == 0 and trips.owner == "headteacher" and trips.scope.roles == ("teacher", "dsl")


@pytest.mark.parametrize("title", [
    'Visitors: "signing in" #1', "yes", "*anchor", "&a b", "- dash", "'quoted'", "100", "Café, crèche & co",
    *PAYLOADS[:6], "null", "%TAG", "@home", "`tick`",
])
def test_new_policy_writes_a_title_that_reads_back_exactly(monkeypatch, capsys, project, title):
    code, output = _run(monkeypatch, capsys, project, "new-policy", "visitors", "--title", title,
                        "--category", "safeguarding")
    assert code == 0, output
    assert _handbook(project).policy("visitors").version("1").title == title


@pytest.mark.parametrize(("args", "message"), [
    (["social-media", "--title", "Another", "--category", "safeguarding"], "policy 'social-media' already exists"),
    (["../evil", "--title", "T", "--category", "safeguarding"], "'../evil' cannot be a policy id"),
    (["Visitors", "--title", "T", "--category", "safeguarding"], "'Visitors' cannot be a policy id"),
    (["visitors", "--title", "T", "--category", "nope"],
     "policies/visitors/v1.yaml:5:11: unknown category 'nope'"),
    (["visitors", "--title", "Social Media Policy", "--category", "safeguarding"], "is also the title of policy"),
    (["visitors", "--title", "Two\nlines", "--category", "safeguarding"], "title must be a single line"),
    (["visitors", "--title", "T", "--category", "safeguarding", "--owner", "nobody"], "nobody"),
])
def test_new_policy_refuses_and_changes_nothing(monkeypatch, capsys, project, args, message):
    before = tree(project)
    code, output = _run(monkeypatch, capsys, project, "new-policy", *args)
    assert code == 1 and message in output, output
    assert tree(project) == before


@pytest.mark.parametrize("command", [
    ["adopt", "{text}", "1", "--body", "x", "--date", "2026-12-09"],
    ["new-version", "{text}"],
    ["new-policy", "visitors", "--title", "{text}", "--category", "safeguarding"],
])
def test_command_line_text_never_drives_the_terminal(monkeypatch, capsys, project, command):
    for attack in TERMINAL:
        code, output = _run(monkeypatch, capsys, project, *[part.replace("{text}", attack) for part in command])
        assert code == 1 and "\x1b" not in output and "\x9b" not in output and "\u202e" not in output, output


# -- the pieces ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "expected"), [("5", "6"), ("9", "10"), ("2.1", "2.2"), ("2.9", "2.10"),
                                                 ("07", "08"), ("2024-1", "2024-2"), ("3a", "4a")])
def test_next_label_counts_on_from_the_last_number(label, expected):
    assert next_label(label) == expected


@pytest.mark.parametrize("value", ["plain", "yes", "no", "1.10", "2026-12-09", "a: b", "#x", "x #y", " lead", "tail ",
                                   "\x1b[2J", "\u202e", "a\nb", "", "~", "'", '"', "[a]", "{a}", "!tag", "|"])
def test_scalar_reads_back_as_the_same_string(value):
    import yaml

    rendered = scalar(value)
    assert "\n" not in rendered and yaml.safe_load(f"key: {rendered}\n") == {"key": value}


def test_yaml_text_edits_only_the_entries_it_is_asked_to():
    source = ("# head\nname: a   # keep me\nnested:\n  one: 1\n\n  # about two\n  two: |\n    x\n    y\n"
              "# about last\nlast: [1, 2]\n")
    text = YamlText(source, Path("f.yaml"))
    text.set_scalar(("name",), "b")
    text.remove(("nested", "one"))
    text.replace_entry(("nested", "two"), ["two: 2"])
    text.insert_after(("last",), ["after: 3"])
    assert str(text) == "# head\nname: b   # keep me\nnested:\n\n  # about two\n  two: 2\n# about last\nlast: [1, 2]\nafter: 3\n"


def test_the_cycle_on_the_hostile_handbook_keeps_every_text_exactly(monkeypatch, capsys, tmp_path):
    from tests.hostile import ALL, write_hostile_project

    project = tmp_path / "hostile"
    write_hostile_project(project)
    code, output = _run(monkeypatch, capsys, project, "adopt", "hostile", "3", "--body", ALL, "--date", "2024-09-01",
                        "--minute", ALL, "--effective", "2024-09-02")
    assert code == 0 and "\x1b" not in output, output
    policy = _handbook(project).policy("hostile")
    adopted = policy.version("3")
    assert (adopted.status, adopted.approval.body, adopted.approval.minute) == (Status.ADOPTED, ALL, ALL)
    assert policy.version("2").status is Status.SUPERSEDED
    code, output = _run(monkeypatch, capsys, project, "new-version", "hostile")
    assert code == 0 and "\x1b" not in output, output
    draft = _handbook(project).policy("hostile").version("4")
    assert [(c.id, c.text, c.items) for c in draft.clauses] == [(c.id, c.text, c.items) for c in adopted.clauses]
    assert draft.title == adopted.title and draft.approval is None
