"""What ``policybook import`` does around the pipeline: arguments, where the draft goes, writing it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Handbook
from . import ImportRefused, ImportResult, import_document

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_VERSION = re.compile(r"^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$")


@dataclass(frozen=True)
class Imported:
    result: ImportResult
    target: Path
    warnings: tuple[str, ...]


def run_import(file: Path, handbook: Handbook, policies: Path, *, policy_id: str | None, version: str | None,
               into: str | None, output: Path | None) -> Imported:
    """Import ``file`` and write the draft: to ``output``, else ``policies/<policy>/v<version>.yaml``.

    Raises:
        ImportRefused: a bad argument, an existing file, or a file that cannot be read.
    """
    if policy_id is not None and not (_ID.match(policy_id) and len(policy_id) <= 100):
        raise ImportRefused(f"--policy {policy_id!r} is not an id: use lower-case letters, digits and single hyphens, e.g. social-media")
    if version is not None and not (_VERSION.match(version) and len(version) <= 40):
        raise ImportRefused(f"--version {version!r} is not a version label: use e.g. 6 or 2.1")
    existing = None
    if into is not None:
        existing = handbook.policy(into)
        if existing is None:
            raise ImportRefused(f"--into {into!r}: no such policy; policies are: {', '.join(p.id for p in handbook.policies)}")
        if policy_id is not None and policy_id != into:
            raise ImportRefused(f"--policy {policy_id} and --into {into} name different policies: give one of them")
        if version is not None and existing.version(version) is not None:
            raise ImportRefused(f"policy '{into}' already has version {version}: give a new --version")
    if output is not None and output.is_dir():
        raise ImportRefused(f"-o {output} is a folder: name the .yaml file to write")
    target_folder = output.parent if output is not None else None
    result = import_document(file, handbook, policy_id=policy_id, version=version, into=existing,
                             schema_path=_schema_path(policies, target_folder))
    meta = result.meta
    if existing is None and handbook.policy(meta.policy) is not None and output is None:
        raise ImportRefused(f"the handbook already has a policy '{meta.policy}': import a new version of it with "
                            f"--into {meta.policy}, or give another id with --policy")
    same_title = [p.id for p in handbook.policies if p.title.casefold() == result.draft.title.casefold() and p.id != meta.policy]
    if same_title and output is None:
        # Written into policies/, the draft would stop the handbook validating (two policies, one title).
        raise ImportRefused(f"the handbook already has a policy titled {result.draft.title!r} ('{same_title[0]}'): import the "
                            f"document as its new version with --into {same_title[0]}, or write the draft elsewhere with -o")
    target = output if output is not None else policies / meta.policy / f"v{meta.version}.yaml"
    if target.exists():
        raise ImportRefused(f"{target} exists: give another --version or -o, or move the file first")
    if not target.parent.is_dir():
        if output is not None:
            raise ImportRefused(f"cannot write {target}: the folder {target.parent} does not exist; create it first")
        target.parent.mkdir()
    warnings = []
    if same_title:
        warnings.append(f"policy '{same_title[0]}' has the same title: if this is its new version, import it with --into {same_title[0]}")
    try:
        target.write_text(result.yaml, encoding="utf-8")
    except OSError as error:
        raise ImportRefused(f"cannot write {target}: {error.strerror}") from None
    return Imported(result, target, tuple(warnings))


def _schema_path(policies: Path, folder: Path | None) -> str:
    """The schema comment line's path, from the draft's folder to the project's schema/ (as the samples have it)."""
    schema = policies.resolve().parent / "schema" / "policy.schema.json"
    if folder is None or not schema.is_file():
        return "../../schema/policy.schema.json"
    return Path(os.path.relpath(schema, folder.resolve())).as_posix()
