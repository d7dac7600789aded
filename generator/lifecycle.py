"""The version life cycle as commands: start a policy, start its next version, adopt a version.

Each operation works out the new text of every file it touches, loads the
handbook as it would then be (a copy of the policies folder, in a temporary
folder) and refuses, changing nothing, when that handbook would not load.
Only then are the files written, each to a temporary file beside it and
renamed over it, so no file is ever half written.

The files are edited as text, not loaded and dumped again: PyYAML's node
positions say where each key's entry starts, and only the entries that change
are rewritten; every other byte (comments, blank lines, quoting, folded
text, key order, line endings, a byte-order mark) stays as the author wrote
it. A round-trip library (ruamel.yaml) keeps comments too, but re-emits the
whole file in its own layout (indentation of lists, line width, spacing
after colons), which would show as a noisy diff in every file it touched.

Values given on the command line are author text: they are written as YAML
scalars by PyYAML's emitter (quoted wherever YAML would misread them), never
pasted into the file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .dates import DateOrder, PolicyDate, parse_date
from .errors import Problem
from .load import load_handbook
from .load.discover import YAML_SUFFIXES
from .model import Handbook, Policy, PolicyVersion, Status

__all__ = ["LifecycleError", "Refused", "adopt", "new_policy", "new_version", "write_files"]

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/policy.schema.json"
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
VERSION_PATTERN = re.compile(r"[0-9A-Za-z]+([.-][0-9A-Za-z]+)*")
# PyYAML counts these as line breaks and the loader reads them as newlines; a
# file holding one is left to the author's editor rather than edited here.
UNUSUAL_BREAKS = ("\x85", "\u2028", "\u2029")


class LifecycleError(Exception):
    """The command was refused before anything was written; the message says why and what to do."""


class Refused(Exception):
    """The handbook has problems, or would have after the change; nothing was written."""

    def __init__(self, message: str, problems: tuple[Problem, ...]):
        self.problems = problems
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Change:
    """The new text of one file (a new file, or one that exists)."""

    path: Path
    text: str


# -- The three operations ------------------------------------------------------


def new_version(policies: Path, policy_id: str, label: str | None = None) -> Change:
    """The next version of ``policy_id`` as a draft copy of the version in force.

    Clause ids stay, the approval and the effective date go (adoption sets
    them), and ``changes:`` is left as a commented-out line for the author.

    Raises:
        LifecycleError: no such policy, no version in force, a draft already
            waiting, an unusable label, or the file exists.
        Refused: the handbook would not load with the new file.
    """
    handbook = _loaded(policies)
    policy = _policy(handbook, policy_id)
    current = _in_force(policy)
    waiting = [v for v in policy.versions if v.status is Status.DRAFT]
    if waiting and label is None:
        raise LifecycleError(f"policy '{policy_id}' already has a draft, version \"{waiting[-1].version}\" "
                             f"({_file(policies, policy_id, waiting[-1].version)}): edit it, or adopt it first")
    label = label if label is not None else next_label(current.version)
    _check_label(label)
    source = _file(policies, policy_id, current.version)
    target = _file(policies, policy_id, label, source.suffix)
    if target.exists() or policy.version(label) is not None:
        raise LifecycleError(f"{target} already exists: choose another version with --version, or edit that file")
    text = YamlText.read(source)
    text.set_scalar(("version",), f'"{label}"')  # the label's pattern needs no escapes; quoted, as ever
    text.set_scalar(("status",), "draft")
    text.remove(("approval",))
    text.remove(("effective",))
    placeholder = ["# changes: >-", f"#   What changed since version {current.version}, in plain words."]
    if text.has(("changes",)):
        text.replace_entry(("changes",), placeholder)
    else:
        text.insert_after(_first(text, ("owner", "status")), placeholder)
    change = Change(target, str(text))
    _validated(policies, [change], f"starting version \"{label}\"")
    return change


def adopt(policies: Path, policy_id: str, label: str, *, body: str, date: dt.date | str, minute: str | None = None,
          effective: dt.date | str | None = None) -> list[Change]:
    """Record the approval of version ``label``: adopted, and the version it replaces superseded.

    Args:
        date: the day it was approved; text (06.05.18) is read by the
            handbook's ``date_order``, as its policies' dates are.
        effective: when it comes into force (default: the draft's own
            ``effective``, else the approval date).

    Raises:
        LifecycleError: no such policy or version, a version not a draft, a
            date before the previous version's approval.
        Refused: the handbook would not load after the change.
    """
    handbook = _loaded(policies)
    date = _day(date, "--date", handbook.date_order)
    effective = _day(effective, "--effective", handbook.date_order) if effective is not None else None
    policy = _policy(handbook, policy_id)
    version = policy.version(label)
    if version is None:
        raise LifecycleError(f"policy '{policy_id}' has no version \"{label}\"; versions are: "
                             f"{', '.join(v.version for v in policy.versions)}")
    if version.status is Status.ADOPTED:
        approval = version.approval
        when = f" (approved by {approval.body or approval.committee} on {approval.date})" if approval else ""
        raise LifecycleError(f"version \"{label}\" of '{policy_id}' is already adopted{when}: nothing to do")
    if version.status is not Status.DRAFT:
        raise LifecycleError(f"version \"{label}\" of '{policy_id}' is {version.status.value}: only a draft can be "
                             f"adopted; start a new one with `policybook new-version {policy_id}`")
    previous = next((v for v in policy.versions if v.status is Status.ADOPTED), None)
    # Dates may be a month or a term ("January 2018"): only a certain contradiction is refused.
    if previous is not None and previous.approval is not None and date < previous.approval.date.start:
        raise LifecycleError(f"--date {date.isoformat()} is before the approval of version \"{previous.version}\" "
                             f"({previous.approval.date}): check the date")
    effective = PolicyDate.of_day(effective) if effective else version.effective or PolicyDate.of_day(date)
    if previous is not None and previous.effective is not None and effective.end < previous.effective.start:
        raise LifecycleError(f"version \"{label}\" would take effect on {effective}, before version "
                             f"\"{previous.version}\" ({previous.effective}): give --effective")
    if effective.end < date:
        raise LifecycleError(f"version \"{label}\" would take effect on {effective}, before its approval on "
                             f"{date.isoformat()}: give --effective on or after --date")

    source = _file(policies, policy_id, label)
    text = YamlText.read(source)
    text.set_scalar(("status",), "adopted")
    if text.has(("effective",)):
        text.set_scalar(("effective",), effective.written)
    else:
        text.insert_after(_first(text, ("visibility", "status")), [f"effective: {effective.written}"])
    approval = [f"body: {scalar(body)}", f"date: {date.isoformat()}"] + ([f"minute: {scalar(minute)}"] if minute else [])
    indent = " " * text.indent()
    lines = ["approval:"] + [indent + line for line in approval]
    if text.has(("approval",)):
        text.replace_entry(("approval",), lines)
    else:
        text.insert_after(("effective",), lines)
    changes = [Change(source, str(text))]
    if previous is not None:
        old = _file(policies, policy_id, previous.version)
        old_text = YamlText.read(old)
        old_text.set_scalar(("status",), "superseded")
        changes.append(Change(old, str(old_text)))
    _validated(policies, changes, f"adopting version \"{label}\"")
    return changes


def new_policy(policies: Path, policy_id: str, *, title: str, category: str, owner: str | None = None,
               scope: tuple[str, ...] = ()) -> Change:
    """Version 1 of a new policy, as a draft that validates: one section, one clause to rewrite.

    Args:
        owner: the owning role (default: the role that owns most policies).
        scope: the roles it covers (default: the handbook's first role).

    Raises:
        LifecycleError: a bad or taken id.
        Refused: the handbook would not load with it (an unknown category, say).
    """
    if not ID_PATTERN.fullmatch(policy_id) or len(policy_id) > 100:
        raise LifecycleError(f"'{policy_id}' cannot be a policy id: use lower-case letters, digits and single "
                             "hyphens, e.g. lone-working")
    handbook = _loaded(policies)
    if handbook.policy(policy_id) is not None or (policies / policy_id).exists():
        raise LifecycleError(f"policy '{policy_id}' already exists ({policies / policy_id}): "
                             f"start its next version with `policybook new-version {policy_id}`")
    owners = Counter(v.owner for p in handbook.policies for v in p.versions if v.status is Status.ADOPTED)
    owner = owner or (owners.most_common(1)[0][0] if owners else handbook.roles[0].id)
    scope = scope or (handbook.roles[0].id,)
    lines = [
        _schema_line(policies),
        f"policy: {policy_id}",
        'version: "1"',
        f"title: {scalar(title)}",
        f"category: {scalar(category)}",
        "status: draft",
        "visibility: staff",
        f"owner: {scalar(owner)}",
        "scope:",
        f"  roles: [{', '.join(scalar(role) for role in scope)}]",
        "sections:",
        "  - id: purpose",
        "    title: Purpose",
        "    clauses:",
        "      - id: what-it-is-for",
        "        text: >-",
        "          Say in a sentence or two what this policy is for and whom it protects.",
    ]
    change = Change(_file(policies, policy_id, "1"), "\n".join(lines) + "\n")
    _validated(policies, [change], f"starting policy '{policy_id}'")
    return change


def write_files(changes: list[Change]) -> None:
    """Write every change: each to a temporary file beside its target, then all renamed into place."""
    made_folders = [c.path.parent for c in changes if not c.path.parent.exists()]
    written: list[tuple[Path, Path]] = []
    try:
        for change in changes:
            change.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(prefix=f".{change.path.name}.", suffix=".tmp",
                                                     dir=change.path.parent)
            written.append((Path(temporary), change.path))
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(change.text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            if change.path.exists():
                shutil.copymode(change.path, temporary)
            else:
                os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        for folder in made_folders:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    for temporary, target in written:
        os.replace(temporary, target)


# -- Version labels ------------------------------------------------------------


def _day(value: dt.date | str, option: str, order: DateOrder | None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    found, reason = parse_date(value, order)
    if found is None or not found.exact:
        raise LifecycleError(f"{option} '{value}' {reason or 'is not a day'}: use YYYY-MM-DD")
    return found.start


def next_label(label: str) -> str:
    """The label after ``label``: its last number plus one (``5`` -> ``6``, ``2.1`` -> ``2.2``)."""
    match = re.search(r"[0-9]+(?=[^0-9]*$)", label)
    if match is None:
        raise LifecycleError(f"version \"{label}\" has no number to count on from: give the new one with --version")
    number = str(int(match.group()) + 1).zfill(len(match.group()))
    return label[:match.start()] + number + label[match.end():]


def _check_label(label: str) -> None:
    if not VERSION_PATTERN.fullmatch(label) or len(label) > 40:
        raise LifecycleError(f"'{label}' cannot be a version: use digits and letters, with dots or hyphens between "
                             "them, e.g. 6 or 2.1")


# -- The handbook before and after --------------------------------------------


def _loaded(policies: Path) -> Handbook:
    result = load_handbook(policies)
    if not result.ok:
        raise Refused("the handbook has problems already: fix them first (nothing was changed)", result.problems)
    return result.handbook


def _validated(policies: Path, changes: list[Change], action: str) -> None:
    """Load the handbook as it would be with ``changes``, in a copy; raise :class:`Refused` on any problem."""
    root = policies.resolve()
    with tempfile.TemporaryDirectory(prefix="policybook-check-") as scratch:
        # The copy keeps the folder's name, so problems name the files as a load of the real one would.
        copy = Path(scratch) / root.name
        shutil.copytree(root, copy, symlinks=True)
        for change in changes:
            target = copy / change.path.resolve().relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(change.text.encode("utf-8"))
        result = load_handbook(copy)
    if not result.ok:
        problems = tuple(Problem(_real_path(p.path, root), p.line, p.column, p.message) for p in result.problems)
        raise Refused(f"{action} would leave the handbook with these problems, so nothing was changed", problems)


def _real_path(shown: str, root: Path) -> str:
    """A problem's path in the copy, as the real policies folder is shown."""
    from .errors import display_path

    return display_path(root.parent / shown, root.parent) if not Path(shown).is_absolute() else shown


def _policy(handbook: Handbook, policy_id: str) -> Policy:
    policy = handbook.policy(policy_id)
    if policy is None:
        raise LifecycleError(f"no policy '{policy_id}'; policies are: {', '.join(p.id for p in handbook.policies)}")
    return policy


def _in_force(policy: Policy) -> PolicyVersion:
    adopted = [v for v in policy.versions if v.status is Status.ADOPTED]
    if not adopted:
        raise LifecycleError(f"policy '{policy.id}' has no adopted version to copy: adopt its draft first "
                             f"(`policybook adopt {policy.id} VERSION ...`), or edit the draft")
    return adopted[0]


def _file(policies: Path, policy_id: str, label: str, suffix: str = ".yaml") -> Path:
    """The file of a version: the one there is (``.yaml`` or ``.yml``), else a new one with ``suffix``."""
    for candidate in YAML_SUFFIXES:
        path = policies / policy_id / f"v{label}{candidate}"
        if path.exists():
            return path
    return policies / policy_id / f"v{label}{suffix}"


def _schema_line(policies: Path) -> str:
    """The schema comment of the handbook's other policy files (its schema folder may live elsewhere)."""
    for path in sorted(policies.glob("*/v*.yaml")):
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline().rstrip("\r\n")
        if first.startswith("# yaml-language-server: $schema=") and "policy.schema.json" in first:
            return first
    return SCHEMA_LINE


def _first(text: "YamlText", keys: tuple[str, ...]) -> tuple[str, ...]:
    for key in keys:
        if text.has((key,)):
            return (key,)
    raise LifecycleError(f"{text.path} has none of {', '.join(keys)}: edit it by hand")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar that reads back as exactly that string."""
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"))
    if text.endswith("\n...\n"):
        text = text[:-len("\n...\n")]
    text = text.rstrip("\n")
    if "\n" in text or "\r" in text:  # a line break in the value: escaped in double quotes
        text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_style='"').rstrip("\n")
    return text


# -- Editing a YAML file as text ----------------------------------------------


class YamlText:
    """A YAML file of one block mapping, edited entry by entry; the rest of its text is kept byte for byte."""

    def __init__(self, text: str, path: Path):
        self.path = path
        self._bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text[len(self._bom):]
        if any(mark in text for mark in UNUSUAL_BREAKS):
            raise LifecycleError(f"{path} holds unusual line breaks (NEL, U+2028 or U+2029): edit it by hand")
        self._newline = "\r\n" if "\r\n" in text else "\n"
        # Lines as PyYAML counts them (the unusual breaks are refused above), each with its own ending.
        self._lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)

    @classmethod
    def read(cls, path: Path) -> "YamlText":
        """The file at ``path``, its line endings as they are (``read_text`` would make CRLF an LF)."""
        try:
            return cls(path.read_bytes().decode("utf-8"), path)
        except UnicodeDecodeError:
            raise LifecycleError(f"{path} is not UTF-8 text: run `policybook validate`") from None

    def __str__(self) -> str:
        return self._bom + "".join(self._lines)

    def has(self, path: tuple[str, ...]) -> bool:
        return self._entry(path) is not None

    def indent(self) -> int:
        """The file's indentation step: that of its first nested mapping, else two spaces."""
        for _, value, _, _ in self._entries(self._root(), len(self._lines)):
            if isinstance(value, yaml.MappingNode) and value.value and not value.flow_style:
                return value.value[0][0].start_mark.column
        return 2

    def set_scalar(self, path: tuple[str, ...], rendered: str) -> None:
        """Set the value of ``path`` to ``rendered`` (YAML text of one line), keeping a comment after it on the line."""
        found = self._entry(path)
        if found is None:
            raise LifecycleError(f"{self.path} has no '{'.'.join(path)}': edit it by hand")
        key, node, start, _ = found
        one_line = (isinstance(node, yaml.ScalarNode) and node.style not in ("|", ">")
                    and node.start_mark.line == node.end_mark.line == key.start_mark.line)
        if one_line:
            line = self._lines[start]
            self._lines[start] = line[:node.start_mark.column] + rendered + line[node.end_mark.column:]
        else:
            self.replace_entry(path, [f"{path[-1]}: {rendered}"])

    def remove(self, path: tuple[str, ...]) -> None:
        found = self._entry(path)
        if found is not None:
            _, _, start, end = found
            del self._lines[start:end]

    def replace_entry(self, path: tuple[str, ...], lines: list[str]) -> None:
        """Replace the whole entry of ``path`` (its key line and any lines of its value) with ``lines``."""
        _, _, start, end = self._entry(path)
        column = self._column(start)
        self._lines[start:end] = [" " * column + line + self._newline for line in lines]

    def insert_after(self, path: tuple[str, ...], lines: list[str]) -> None:
        """Insert ``lines`` (at the same indentation) after the entry of ``path``."""
        _, _, start, end = self._entry(path)
        column = self._column(start)
        if end > 0 and not self._lines[end - 1].endswith(("\n", "\r")):
            self._lines[end - 1] += self._newline
        self._lines[end:end] = [" " * column + line + self._newline for line in lines]

    def _column(self, line: int) -> int:
        text = self._lines[line]
        return len(text) - len(text.lstrip(" "))

    def _root(self) -> yaml.MappingNode:
        try:
            node = yaml.compose("".join(self._lines), Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            raise LifecycleError(f"{self.path} is not valid YAML ({error}): run `policybook validate`") from None
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            raise LifecycleError(f"{self.path} is not a block mapping of keys: edit it by hand")
        return node

    def _entry(self, path: tuple[str, ...]):
        """(key node, value node, first line, end line) of ``path``'s entry, or None."""
        mapping, end = self._root(), len(self._lines)
        found = None
        for depth, name in enumerate(path):
            found = next((entry for entry in self._entries(mapping, end) if entry[0].value == name), None)
            if found is None:
                return None
            key, value, _, end = found
            if depth < len(path) - 1:
                if not isinstance(value, yaml.MappingNode) or value.flow_style:
                    return None
                mapping = value
        return found

    def _entries(self, mapping: yaml.MappingNode, end: int):
        """Each entry of a block mapping with the lines it spans, comments after it left to the next entry."""
        pairs = mapping.value
        for index, (key, value) in enumerate(pairs):
            first = key.start_mark.line
            last = pairs[index + 1][0].start_mark.line if index + 1 < len(pairs) else end
            # Blank lines and comments no deeper than the key belong to what follows.
            while last > first + 1 and self._trailing(self._lines[last - 1], key.start_mark.column):
                last -= 1
            yield key, value, first, last

    @staticmethod
    def _trailing(line: str, column: int) -> bool:
        stripped = line.strip()
        return not stripped or (stripped.startswith("#") and len(line) - len(line.lstrip(" ")) <= column)
