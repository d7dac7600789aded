"""``policybook serve``: MkDocs' development server with live reload, kept answering through broken saves.

MkDocs' ``LiveReloadServer`` makes every request wait until the rebuild it
started has succeeded (``_serve_request`` waits for ``_visible_epoch ==
_wanted_epoch``, which only a build that returns advances). A saved YAML file
with a mistake makes the plugin's ``on_config`` raise, so until the author
fixed it every page, and every reload, hung.

:func:`keep_serving` (called from the plugin's ``on_serve``) puts two small
pieces around that server:

- its ``builder`` is wrapped so that a failed rebuild returns: the server
  moves on, browsers reload, and the folder still holds the last good site
  (the plugin fails in ``on_config``, before MkDocs cleans the site folder);
- its WSGI application is wrapped so that, while the last rebuild failed,
  every HTML page it serves carries a banner listing the problems
  (``path:line:column: message``, escaped by the template). The next good
  rebuild clears it, and live reload shows the fixed page.

The wrapped builder first asks ``rebuild_changed`` (the plugin's
``incremental`` rebuild) to render only the pages a save changed; MkDocs'
full build runs only when that cannot vouch for the result.

MkDocs finds a save by polling the watched folders every half second (a
native watcher misses changes on Docker and network mounts), so a save
waited 0-0.5 s before any rebuild: half of the sample's 0.5 s target
(issue 21). ``file_watch.watch_natively`` adds the platform's own watcher
(inotify, FSEvents, ...), which asks for the rebuild at once; the poll
stays as the backstop where no native event comes. The poll then reports
the same save again after the rebuild, so the wrapped builder skips a
rebuild that no native event asked for when no watched file changed
since the last one started (``file_watch.WatchedInputs``).

The MkDocs internals used are listed in ``internals`` and checked by
``internals.check_internals`` at the start of each build under serve:
``server.builder`` (it is how ``_build_loop`` calls the build; without it,
the plugin does not call :func:`keep_serving`, and serving goes on as MkDocs
does, with a warning), the epochs :func:`reload_browsers` advances
(without them, Pagefind indexes a save before the rebuild returns, and
MkDocs reloads the browsers after it), and how a watched change asks for a
rebuild (``_want_rebuild``, ``_rebuild_cond``, ``_watched_paths``; without
them, saves show after MkDocs' poll).
"""

from __future__ import annotations

import errno
import logging
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.serve import serve
from mkdocs.exceptions import BuildError

from ..errors import Problem
from ..render import Renderer
from .file_watch import WatchedInputs

log = logging.getLogger("policybook")

BANNER_TEMPLATE = "serve_problems.html.j2"


class PortInUse(Exception):
    """The address to serve on is taken (by another ``policybook serve``, often)."""


def serve_handbook(config_file: Path, dev_addr: str) -> None:
    """Serve the site of ``config_file``; the plugin watches the policies folder (``on_serve``)."""
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


def check_port(dev_addr: str) -> None:
    """Refuse an address already in use, before minutes of building.

    Binds as MkDocs' server will (``SO_REUSEADDR``, as ``http.server`` sets
    it), so a port left in TIME_WAIT by a server just stopped counts as free.

    Raises:
        PortInUse: naming the next port to try.
    """
    host, _, port_text = dev_addr.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port_text.isdigit():
        return  # MkDocs' own check of dev_addr explains the mistake
    port = int(port_text)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                return  # an unknown host, say: MkDocs reports it
            shown = f"[{host}]" if family == socket.AF_INET6 else host
            raise PortInUse(f"port {port} is in use: try `policybook serve -a {shown}:{port + 1}`") from None


@dataclass
class ServeStatus:
    """What the last rebuild left to show: nothing, or its problems."""

    problems: tuple[str, ...] = ()
    """Each as ``path:line:column: message`` (or the error of a build that failed elsewhere)."""


def keep_serving(server, problems_of, rebuild_changed=None, inputs: WatchedInputs | None = None) -> ServeStatus:
    """Let ``server`` answer through failed rebuilds and show their problems on every page.

    Args:
        server: MkDocs' ``LiveReloadServer`` (as ``on_serve`` receives it).
        problems_of: exception -> the :class:`~policybook.errors.Problem` list it
            carries, or ``None`` when it is not the handbook's.
        rebuild_changed: () -> True when it brought the site up to date
            without a full build; False to let MkDocs rebuild everything.
        inputs: with ``file_watch.watch_natively``, what tells a rebuild that has
            nothing to read again (the site stays, and so do the browsers).

    Returns:
        The status the wrapped server shows (for tests and callers).
    """
    status = ServeStatus()
    build = getattr(server, "builder", None)
    if not callable(build):
        log.warning("policybook: MkDocs' LiveReloadServer.builder changed in this release: a broken file makes "
                    "the preview wait until it is fixed")
        return status

    def rebuild(*args, **kwargs):
        if inputs is not None and not args and not kwargs and inputs.unchanged():
            with server._epoch_cond:
                if inputs.reload_asked:  # the new search index is in place: MkDocs' reload after this shows it
                    inputs.reload_asked = False
                else:  # MkDocs' reload after this returns reloads nothing
                    server._wanted_epoch = server._visible_epoch
            return
        try:
            if args or kwargs or rebuild_changed is None or not rebuild_changed():
                build(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - any failure: keep the last good site and say why
            status.problems = _describe(error, problems_of)
            if not _reported(error):  # MkDocs printed a BuildError's message; anything else is said here
                log.error(status.problems[0])
            log.error("The preview keeps the last good site, with the problems at the top of every page, "
                      "until you fix them.")
        else:
            status.problems = ()
        finally:
            if inputs is not None:
                inputs.reload_asked = False  # MkDocs reloads the browsers as this returns

    server.builder = rebuild
    server.set_app(_with_banner(server.get_app(), status, Renderer()))
    return status


def _describe(error: BaseException, problems_of) -> tuple[str, ...]:
    """The problems a failed build reports: the handbook's, one by one, else the error's message."""
    seen: BaseException | None = error
    while seen is not None:
        problems = problems_of(seen)
        if problems:
            return tuple(_line(problem) for problem in problems)
        seen = seen.__cause__ or seen.__context__
    # MkDocs turns a BuildError into "Aborted with a BuildError!": its cause says more.
    cause = error.__cause__ or error.__context__ or error
    return (f"the site could not be built: {type(cause).__name__}: {cause}",)


def _reported(error: BaseException) -> bool:
    """Whether MkDocs' build has already logged this failure (it logs a BuildError, then aborts)."""
    return isinstance(error, BuildError) or isinstance(error.__context__, BuildError)


def _line(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}:{problem.column}: {problem.message}"


def _with_banner(app, status: ServeStatus, renderer: Renderer):
    """A WSGI application that adds the problems banner to the HTML pages ``app`` serves."""

    def banner_app(environ, start_response):
        problems = status.problems  # one read: the build thread replaces the tuple, never edits it
        if not problems:
            return app(environ, start_response)
        started: list = []
        body = app(environ, lambda status_line, headers, exc_info=None: started.append((status_line, headers)))
        status_line, headers = started[0]
        if not any(name.lower() == "content-type" and value.startswith("text/html") for name, value in headers):
            start_response(status_line, headers)
            return body
        try:
            page = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        banner = renderer.render(BANNER_TEMPLATE, "index.html", problems=problems).encode("utf-8")
        page = _insert_after_body_tag(page, banner)
        headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        start_response(status_line, [*headers, ("Content-Length", str(len(page)))])
        return [page]

    return banner_app


def _insert_after_body_tag(page: bytes, banner: bytes) -> bytes:
    start = page.find(b"<body")
    end = page.find(b">", start) + 1 if start >= 0 else 0
    return page[:end] + banner + page[end:]


def reload_browsers(server, inputs: WatchedInputs | None = None) -> None:
    """Make the pages open in browsers reload, as MkDocs' server does after a build.

    Uses the server's epoch (``_visible_epoch``, which live-reload requests
    wait on; ``internals.RELOAD_ATTRIBUTES``): while a build is running (it
    reloads them when it ends), nothing happens but a note to ``inputs``,
    in case that build is skipped. Without those attributes (``check_internals``
    warned), nothing is ever called here to do.
    """
    condition = getattr(server, "_epoch_cond", None)
    if condition is None or not hasattr(server, "_wanted_epoch"):
        log.warning("policybook: MkDocs' LiveReloadServer epochs changed in this release: reload the page "
                    "to search the new index")
        return
    with condition:
        if server._visible_epoch != server._wanted_epoch:
            if inputs is not None:
                inputs.reload_asked = True
        else:
            # MkDocs' own clock for epochs (milliseconds of time.monotonic), always moving on.
            epoch = max(round(time.monotonic() * 1000), server._visible_epoch + 1)
            server._visible_epoch = server._wanted_epoch = epoch
            condition.notify_all()
