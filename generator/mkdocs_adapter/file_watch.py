"""A save seen at its file event: the platform's watcher beside MkDocs' half-second poll (``policybook serve``).

MkDocs' ``LiveReloadServer`` polls what it watches (native watchers miss
changes on Docker and network mounts), so a save waited up to 0.5 s for its
rebuild. :func:`watch_natively` asks the server for the rebuild as soon as
the platform reports the change, as the server's own watch callback does
(``internals.REBUILD_REQUEST``); :class:`WatchedInputs` then tells
``serve.keep_serving`` when the poll's later report of the same save has
nothing new to read.
"""

from __future__ import annotations

import logging
import os

# MkDocs' livereload imports them already (serve.py imports it): nothing more to load.
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("policybook")


class WatchedInputs:
    """Whether anything the server watches changed since the last rebuild began, or a native event came.

    A rebuild that no native event asked for, over the same files, is the
    poll reporting a save the last rebuild already read. Both are needed:
    on a file system that keeps modification times to the second, a second
    save within that second changes no stat, and only its event tells.
    """

    def __init__(self, server) -> None:
        self._server = server
        self._events = 0  # counted by the watcher's thread alone
        self._last: tuple | None = None  # (events, files) when the last rebuild began; None: rebuild
        self.reload_asked = False
        """``serve.reload_browsers`` came while a rebuild was starting: a skipped one must reload them."""

    def event(self) -> None:
        self._events += 1

    def unchanged(self) -> bool:
        """Called as a rebuild begins: True when it would read exactly what the last one read."""
        seen = (self._events, _stat_all(list(self._server._watched_paths)))
        unchanged, self._last = seen == self._last, seen
        return unchanged


def _stat_all(paths: list[str]) -> frozenset:
    """(path, modified, size, device, inode) of every file under ``paths``, symbolic links followed.

    That is more than MkDocs' poll reads. The device and inode, as the poll
    compares: a file saved by renaming a new one over it may keep its time
    (to the second) and its size.
    """
    found = set()
    for path in paths:
        for folder, _, names in os.walk(path, followlinks=True) if os.path.isdir(path) else [("", (), (path,))]:
            for name in names:
                file = os.path.join(folder, name)
                try:
                    info = os.stat(file)
                except OSError:
                    continue  # gone since it was listed: the next rebuild reads what is there
                found.add((file, info.st_mtime_ns, info.st_size, info.st_dev, info.st_ino))
    return frozenset(found)


_CHANGES = frozenset({"created", "deleted", "modified", "moved"})


def _is_watched(path: str, files: frozenset[str], folders: tuple[str, ...]) -> bool:
    """Whether a change to ``path`` is one the server watches: a watched file, or anything in a watched folder.

    A watched file's folder is watched for it, and also reports its other
    files (an editor's swap file beside ``mkdocs.yml``, say): those are not.
    """
    return path in files or path.startswith(folders)


def watch_natively(server, extra_paths=()) -> WatchedInputs | None:
    """Ask ``server`` for a rebuild as soon as the platform reports a change to what it watches.

    Args:
        server: MkDocs' ``LiveReloadServer``, watching its paths already.
        extra_paths: paths MkDocs will watch after ``on_serve`` (``config.watch``).

    Returns:
        What the wrapped builder asks whether a rebuild has anything new to
        read (``serve.keep_serving``); ``None`` (MkDocs' poll alone) where the
        platform has no native watcher or a path cannot be watched. The
        watcher stops with the server.
    """
    paths = [os.path.abspath(path) for path in (*getattr(server, "_watched_paths", ()), *extra_paths)]
    if not paths or Observer is PollingObserver:
        return None  # no native watcher here: a second poll would add nothing
    inputs = WatchedInputs(server)
    files = frozenset(path for path in paths if not os.path.isdir(path))
    folders = tuple(os.path.join(path, "") for path in paths if os.path.isdir(path))

    class AskForRebuild(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            # Only what MkDocs' poll would see: a build opening and closing files is no change.
            if event.is_directory or event.event_type not in _CHANGES:
                return
            changed = (os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or ""))
            if not any(_is_watched(path, files, folders) for path in changed if path):
                return
            inputs.event()
            with server._rebuild_cond:  # as MkDocs' own watch callback does
                server._want_rebuild = True
                server._rebuild_cond.notify_all()

    observer = Observer()
    handler = AskForRebuild()
    try:
        for path in paths:
            folder = path if os.path.isdir(path) else os.path.dirname(path)
            observer.schedule(handler, folder, recursive=os.path.isdir(path))
        observer.start()
    except OSError as error:  # out of inotify watches, say: the poll still sees every save
        log.info("policybook: saves show after MkDocs' next poll (%s)", error)
        observer.stop()
        return None
    shutdown = server.shutdown

    def shutdown_both(*args, **kwargs) -> None:
        try:
            observer.stop()
            observer.join()
        finally:
            shutdown(*args, **kwargs)

    server.shutdown = shutdown_both
    return inputs
