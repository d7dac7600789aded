"""The folders Policybook writes into: which it may replace, and how it claims them.

``build`` replaces its site folder wholesale and ``export`` removes the pages
it no longer writes, so both must know what is theirs: each writes a manifest
of the files it wrote (``.policybook-site.json``, ``.policybook-export.json``)
and refuses a folder holding anything else. A lock file beside the folder
keeps two runs from writing the same folder at once; it is an ``flock``, so
it dies with a killed process and never blocks the next run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

import click

log = logging.getLogger("policybook")

SITE_MANIFEST = ".policybook-site.json"
EXPORT_MANIFEST = ".policybook-export.json"

# What file browsers drop into any folder they show: never worth refusing a build for.
_OS_LITTER = {".DS_Store", "Thumbs.db", "desktop.ini"}


class FolderRefused(click.ClickException):
    """A folder Policybook will not write into: the message says why and what to do.

    Shown as MkDocs shows a refused build, the message alone (no "Error:").
    """

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def refuse_sources(target: Path, sources: Iterable[Path], project: Path, *, verb: str = "build") -> None:
    """Refuse ``target`` if it is, holds or lies inside a source folder.

    Writing into the sources (``-d .``, ``export docs``) would overwrite or
    delete the handbook itself. A folder inside the project (``site``) is fine;
    one inside any other source folder is not.
    """
    for source in sources:
        contains_source = target == source or target in source.parents
        inside_source = source != project and source in target.parents
        if contains_source or inside_source:
            raise FolderRefused(f"refusing to {verb} into {target}: it holds or is inside the sources ({source}); "
                        "choose a separate folder such as 'site'")


def require_parent(target: Path) -> None:
    """Refuse unless the folder that is to hold ``target`` exists: a typo must not create folders."""
    if not target.parent.is_dir():
        raise FolderRefused(f"cannot write {target}: the folder {target.parent} does not exist; create it first")


def read_manifest(folder: Path, name: str) -> set[str] | None:
    """The files a manifest says we wrote into ``folder``, or None without a readable one."""
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(files, list):
        return None
    return {entry for entry in files if isinstance(entry, str) and _is_plain_relative(entry)}


def write_manifest(folder: Path, name: str, files: Iterable[str]) -> None:
    """Record the files we wrote into ``folder`` (sorted, so builds stay byte-identical)."""
    text = json.dumps({"generator": "policybook", "files": sorted(files)}, indent=0) + "\n"
    (folder / name).write_text(text, encoding="utf-8")


def visible_files(folder: Path) -> set[str]:
    """Every file under ``folder`` (relative, ``/``-separated) but top-level hidden entries and litter.

    Top-level hidden entries (``.git``, ``.nojekyll``) are never ours and are
    kept by a rebuild; what file browsers leave (``.DS_Store``, ``Thumbs.db``)
    may go. Symlinks count as files and are not followed.
    """
    found: set[str] = set()
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if (not prefix and entry.name.startswith(".")) or entry.name in _OS_LITTER or entry.name.startswith("._"):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
                else:
                    found.add(prefix + entry.name)
    return found


def describe(names: Iterable[str], limit: int = 3) -> str:
    """``a.docx, photos/1.jpg and 5 more``: enough to recognise the folder."""
    names = sorted(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


@contextlib.contextmanager
def output_lock(target: Path, *, run: str = "build") -> Iterator[None]:
    """Hold the lock on writing ``target``; refuse at once if another run holds it.

    The lock is ``.<name>.lock`` beside ``target``, removed on the way out. The
    run before us may remove it between our open and our lock, so we check that
    the file we locked is still the one on disk, and start again if not.
    """
    try:
        import fcntl
    except ImportError:  # not on Windows: runs there are not kept apart
        yield
        return
    path = target.parent / f".{target.name}.lock"
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise FolderRefused(f"cannot write into {target.parent}: {error.strerror}") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise FolderRefused(f"another {run} is running into {target} (it holds {path}); "
                        "wait for it to finish, then run this again") from None
        except OSError as error:  # a file system without locks (some network shares)
            log.warning("Cannot lock %s (%s): runs into %s at the same time are not kept apart", path, error.strerror, target)
            os.close(descriptor)
            yield
            return
        try:
            if os.path.samestat(os.fstat(descriptor), os.stat(path)):
                break
        except FileNotFoundError:
            pass
        os.close(descriptor)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(descriptor)


def leftover_pattern(target: Path) -> re.Pattern[str]:
    """The names of our staging and old folders for ``target`` (``tempfile.mkdtemp`` adds 8 characters)."""
    return re.compile(rf"\.{re.escape(target.name)}\.(building|old)-[a-z0-9_]{{8}}")


def remove_leftovers(target: Path) -> None:
    """Remove staging and old folders that killed or failed runs left beside ``target``.

    Call it holding :func:`output_lock`: no other run is using them then.
    """
    pattern = leftover_pattern(target)
    for entry in target.parent.iterdir():
        if pattern.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
            log.info("Removing %s, left by an earlier build that did not finish", entry)
            remove_tree(entry)


def remove_tree(folder: Path) -> None:
    """Delete a folder of ours, read-only parts included; warn about what cannot go."""

    def open_up_and_retry(function, path, _error):
        # A read-only folder or file (copied from read-only media, or made so
        # by hand) would keep a full copy of the old site for ever. Never chmod
        # through a link: it would change the file the link points to.
        for part in (os.path.dirname(path), path):
            if os.path.lexists(part) and not os.path.islink(part):
                with contextlib.suppress(OSError):
                    os.chmod(part, stat.S_IRWXU)
        with contextlib.suppress(OSError):
            if function in (os.rmdir, os.unlink, os.remove):
                function(path)
            else:  # a folder we could not list: start again below it
                shutil.rmtree(path, ignore_errors=True)

    keyword = "onexc" if sys.version_info >= (3, 12) else "onerror"
    shutil.rmtree(folder, **{keyword: open_up_and_retry})
    if folder.exists():
        log.warning("Could not remove %s completely; the next build tries again", folder)


def write_export(directory: Path, files: dict[str, str]) -> None:
    """Write exactly ``files`` into ``directory``, removing what an earlier export wrote and this one does not.

    Files someone else put into the folder after an export are left alone.

    Raises:
        FolderRefused: ``directory`` is not empty and no export wrote it.
    """
    if directory.exists() and not directory.is_dir():
        raise FolderRefused(f"refusing to export into {directory}: it is a file; choose a folder")
    directory.mkdir(exist_ok=True)
    before = read_manifest(directory, EXPORT_MANIFEST)
    if before is None:
        foreign = visible_files(directory)
        if foreign:
            raise FolderRefused(f"refusing to export into {directory}: it holds files that policybook export did not write "
                        f"({describe(foreign)}) and no {EXPORT_MANIFEST}; choose an empty or new folder")
        before = set()
    # Claim the new files before writing them: a run that dies part-way still
    # leaves a manifest covering everything in the folder that is ours.
    write_manifest(directory, EXPORT_MANIFEST, before | set(files))
    for stale in sorted(before - set(files)):
        _remove_file(directory, stale)
    for relative, content in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    write_manifest(directory, EXPORT_MANIFEST, files)


def _remove_file(directory: Path, relative: str) -> None:
    """Remove one file we wrote, then the folders it leaves empty; never anything outside ``directory``."""
    path = directory / relative
    root = directory.resolve()
    if path.parent.resolve() != root / PurePosixPath(relative).parent:
        return  # a folder on the way was replaced by a link: not ours to follow
    with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
        path.unlink()
    for parent in path.relative_to(directory).parents:
        if parent == Path("."):
            break
        with contextlib.suppress(OSError):
            (directory / parent).rmdir()  # only succeeds when empty


def _is_plain_relative(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and "\\" not in name and all(p not in ("", ".", "..") for p in parts)
