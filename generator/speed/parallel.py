"""Use a second core for independent work: a share of it in a forked child process.

A big handbook's build is mostly per-file parsing and per-policy page
rendering, each item independent of the others. :func:`fork_map` computes
some of the items in a child process made with ``fork`` (so the child
already has the handbook, compiled templates and schemas in memory: nothing
is sent to it) and reads the child's results back from a temporary file.

It never changes a result, only when it is computed. Whenever forking is not
safe or not worth it (no ``fork``, one CPU, other threads running, as under
``mkdocs serve``, few items, or ``POLICYBOOK_JOBS=1``) it is a plain loop;
if the child fails in any way, this process computes the child's share
itself, so errors surface exactly as they would without it.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import tempfile
import threading
from typing import Callable, Generic, Iterator, Sequence, TypeVar

try:
    import fcntl
except ImportError:  # Windows: no fork either, so fork_map is a plain loop there
    fcntl = None

T = TypeVar("T")
R = TypeVar("R")

JOBS_VARIABLE = "POLICYBOOK_JOBS"
MIN_ITEMS = 16
"""Below this many items the fork costs more than it saves."""


def fork_map(function: Callable[[T], R], items: Sequence[T], *, min_items: int = MIN_ITEMS,
             meanwhile: Callable[[T, R], None] | None = None, **_hints) -> list[R]:
    """``[function(item) for item in items]``, the items shared with a forked child as each side gets free.

    The two processes take the items one at a time from a common queue (see
    :class:`Claims`), so neither waits for the other at the end: a share fixed
    in advance left one core idle for up to a second at 500 policies, as the
    cost of an item (a policy's pages, a file's parse) varies. The child writes
    each result to a file as soon as it is made, and this process reads them
    back between its own items, so little is left to read when the items run out.

    Args:
        function: may be a closure (the child inherits it); its results must pickle.
        min_items: fewer items are computed in this process alone.
        meanwhile: called here with each item and its result as soon as this
            process has it, before it takes its next item, while the child
            goes on with its own: work only this process can do on the
            results (it builds objects that would cost as much to pickle)
            overlaps the child's share instead of waiting for the end. A hint:
            a serial map and a map that does not fork ignore it, so it may
            only compute ahead what its caller would otherwise compute later.
    """
    spool = _spool_file() if can_fork(len(items), min_items) else None
    claims = Claims.of(len(items)) if spool is not None else None
    if claims is None:
        if spool is not None:
            spool.close()
        return [function(item) for item in items]
    results: list = [_PENDING] * len(items)
    arrived = _Arrived(items, results, meanwhile)
    with spool, claims:
        job = start_in_child(lambda: _spool_results(function, items, claims, spool.fileno()))
        received = _Received(spool.fileno())
        try:
            for index in claims:
                results[index] = function(items[index])
                arrived([index, *received.into(results)])
        except BaseException:
            job.cancel()
            raise
        job.result()  # the child is done (or failed): what it finished is in the file
        arrived(received.into(results))
    # What the child claimed and did not send back (it failed, or was killed) is computed here.
    for index, item in enumerate(items):
        if results[index] is _PENDING:
            results[index] = function(item)
            arrived([index])
    return results


_PENDING = object()


class _Arrived:
    """Hands each result this process has to ``meanwhile`` (see :func:`fork_map`), once."""

    def __init__(self, items: Sequence, results: list, meanwhile: Callable | None) -> None:
        self.items = items
        self.results = results
        self.meanwhile = meanwhile

    def __call__(self, indices: list[int]) -> None:
        if self.meanwhile is not None:
            for index in indices:
                self.meanwhile(self.items[index], self.results[index])
_RECORD = struct.Struct("<IQ")  # item index, length of its pickled result


class Claims:
    """Indices in a pipe that a process and its forked child both read: whoever reads one computes that item.

    Filled and closed for writing before the fork, so a read returns the next
    index or, once all are taken, the end of the pipe; each index is one
    4-byte read, which a pipe never splits between readers.
    """

    _INDEX = struct.Struct("<I")
    _HELD = 65536
    """What any pipe holds (POSIX): 16,384 indices, more than any map of a 500-policy handbook."""

    def __init__(self, read_end: int) -> None:
        self.read_end = read_end

    @classmethod
    def of(cls, count: int) -> Claims | None:
        """The indices ``0 .. count - 1`` in a pipe, or ``None`` when the pipe cannot hold them all."""
        data = b"".join(map(cls._INDEX.pack, range(count)))
        read_end, write_end = os.pipe()
        try:
            if len(data) > cls._HELD:  # written before anyone reads: a fuller pipe would block here for ever
                fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, len(data))  # Linux, up to its pipe-max-size
            os.write(write_end, data)
        except (OSError, AttributeError):
            os.close(read_end)
            return None
        finally:
            os.close(write_end)
        return cls(read_end)

    def __iter__(self) -> Iterator[int]:
        while True:
            data = os.read(self.read_end, self._INDEX.size)
            if not data:
                return
            yield self._INDEX.unpack(data)[0]

    def close(self) -> None:
        os.close(self.read_end)

    def __enter__(self) -> Claims:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _spool_results(function: Callable[[T], R], items: Sequence[T], claims: Claims, spool: int) -> int:
    """In the child: for each index it claims, append (index, pickled result) to ``spool`` as soon as it is made."""
    count = 0
    for index in claims:
        payload = pickle.dumps(function(items[index]), protocol=pickle.HIGHEST_PROTOCOL)
        for part in (_RECORD.pack(index, len(payload)), payload):  # the reader waits for a record's last byte
            view = memoryview(part)
            while view:
                view = view[os.write(spool, view):]
        count += 1
    return count


class _Received:
    """Reads the child's results from the spool file as they arrive, never past a record still being written.

    It reads with ``os.pread``: the child appends through the file position both
    processes share, and this side must not move it.
    """

    def __init__(self, spool: int) -> None:
        self.spool = spool
        self.offset = 0

    def into(self, results: list) -> list[int]:
        """Put the results that have arrived since the last call in ``results``; return their indices."""
        filled: list[int] = []
        while True:
            header = os.pread(self.spool, _RECORD.size, self.offset)
            if len(header) < _RECORD.size:
                return filled
            index, length = _RECORD.unpack(header)
            payload = os.pread(self.spool, length, self.offset + _RECORD.size)
            if len(payload) < length:
                return filled
            results[index] = pickle.loads(payload)
            filled.append(index)
            self.offset += _RECORD.size + length


def _spool_file():
    """A temporary file for the child's results, or ``None`` (work serially) when none can be made."""
    try:
        return tempfile.TemporaryFile()
    except OSError:  # no writable temporary folder: slower, not broken
        return None


class ChildJob(Generic[R]):
    """A computation running in a forked child; :meth:`result` waits for it."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self.read_end = read_end

    def result(self) -> R | None:
        """The child's result, or ``None`` if it failed in any way (an exception, a crash, a kill)."""
        with os.fdopen(self.read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        return pickle.loads(payload) if status == 0 and payload else None

    def cancel(self) -> None:
        """Stop the child and reap it; its result is dropped."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.read_end)
        os.waitpid(self.pid, 0)


def start_in_child(compute: Callable[[], R]) -> ChildJob[R]:
    """Run ``compute()`` in a forked child and return at once.

    Call only when :func:`can_fork` says so. ``compute`` may be a closure
    (the child inherits it); its result must pickle.
    """
    read_end, write_end = os.pipe()
    # The child shares this process's memory until either writes to it; a
    # garbage collection in the child would write to every object it scans.
    # A build that keeps its long-lived objects frozen (``speed.collector.FrozenHeap``)
    # keeps them so, with what it holds now: that lives to the end of the build too.
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    pid = os.fork()
    if pid != 0 and not frozen_before:
        gc.unfreeze()
    if pid == 0:  # the child: compute, send, and leave without running any of the parent's exit code
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return ChildJob(pid, read_end)


def can_fork(count: int, min_items: int = MIN_ITEMS) -> bool:
    """Whether forking a child for ``count`` items is safe and worth it."""
    if count < max(min_items, 2) or not hasattr(os, "fork"):
        return False
    if os.environ.get(JOBS_VARIABLE, "").strip() == "1":
        return False
    # Forking a process with other threads copies their locks in whatever
    # state they are in; mkdocs serve runs a server thread, so it stays serial.
    if threading.active_count() > 1:
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cpus >= 2
