"""Parsed and schema-checked files, reused while they are unchanged on disk.

``mkdocs serve`` rebuilds the whole handbook after every save. Parsing and
schema-checking a file is most of the cost of loading it, and the result
depends only on the file's bytes, so a :class:`ParseCache` keeps each file's
result keyed by its path, modification time and size. Cross-file checks and
the model are always rebuilt: they are cheap and depend on every file.

The cache is an ordinary object, not module state: whoever owns a build (the
MkDocs plugin, kept alive across serve rebuilds by its ``on_startup`` method;
``policybook build``, which validates and then builds) creates one and passes
it to :func:`~policybook.load.load_handbook`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from ..errors import Problem
from ..mapping import MapItems, serial_map
from .schema import Schemas, schema_problems
from .yaml_source import EMPTY_POLICY, YamlFile, read_yaml


class WorkAhead(Protocol):
    """What a load works out from each freshly parsed file where it is parsed, so on both cores.

    :meth:`ParseCache.read_all` stores each result as :meth:`ParseCache.derive`
    would have: the load's own ``derive`` calls then find it, and a file that
    was not parsed afresh (a serve rebuild) is worked out there as before.
    """

    def work_out(self, path: Path, doc: YamlFile, problems: list[Problem]) -> dict[str, object]:
        """In the process that parsed ``doc`` (maybe the forked child): ``derive``'s name -> result, small and picklable.

        ``problems`` are the file's parse and schema problems. A result it
        cannot make (an error) is left out: the load makes it later, where
        the error surfaces as it would without this.
        """

    def inputs(self, what: str, path: Path) -> object:
        """In this process: the ``inputs`` the load passes to ``derive`` for ``what`` of the file at ``path``."""

    def meanwhile(self, path: Path, doc: YamlFile, problems: list[Problem], worked_out: dict[str, object]) -> None:
        """In this process, as each file's result arrives while the rest are parsed (only when the parse is shared)."""


@dataclass
class ParseCache:
    """Per-file results of parsing and the schema check.

    Attributes:
        schemas: the compiled validators, built on first use.
        entries: path -> (key, document, parse problems, schema problems).
        hits: files served from the cache since it was made (for tests and benchmarks).
        misses: files parsed since it was made.
    """

    schemas: Schemas | None = None
    entries: dict = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    last_load: tuple | None = None
    """(what was loaded, its result): a load of the same unchanged files returns that result."""
    map_items: MapItems = serial_map
    """How files not in the cache are parsed: ``speed.parallel.fork_map`` puts part of them on a second core."""
    made: dict = field(default_factory=dict)
    """(what, file) -> (document, inputs, result): see :meth:`derive`."""

    def clear(self) -> None:
        """Forget every file and the last result (a one-off build is done with them); keep the validators."""
        self.entries.clear()
        self.made.clear()
        self.last_load = None

    def derive(self, what: str, doc: YamlFile, inputs, make: Callable[[], object]):
        """``make()``, or what it gave last time for the very same document and equal ``inputs``.

        A file's checks and its part of the model depend only on its document
        (the cached parse, the same object while the file is unchanged) and on
        what ``inputs`` names (handbook.yaml's document, the policy ids): a
        serve rebuild after a save checks and assembles that one file again.
        """
        key = (what, doc.path)
        stored = self.made.get(key)
        if stored is not None and stored[0] is doc and stored[1] == inputs:
            return stored[2]
        result = make()
        self.made[key] = (doc, inputs, result)
        return result

    def remember(self, what: str, doc: YamlFile, inputs, result) -> None:
        """What ``derive(what, doc, inputs, make)`` is to return: ``make()`` was worked out elsewhere."""
        self.made[(what, doc.path)] = (doc, inputs, result)

    def validators(self) -> Schemas:
        if self.schemas is None:
            self.schemas = Schemas.load()
        return self.schemas

    def read(self, path: Path, shown_as: str, validator, *, empty: str = EMPTY_POLICY) -> tuple[YamlFile | None, list[Problem], list[Problem]]:
        """``read_yaml`` then ``schema_problems``, or the stored result if the file is unchanged.

        Returns:
            The document (``None`` if it could not be parsed), the parse
            problems and the schema problems.
        """
        return self.read_all([path], lambda _: shown_as, validator, empty=empty)[0]

    def read_all(self, paths: list[Path], shown: Callable[[Path], str], validator, *, empty: str = EMPTY_POLICY,
                 ahead: WorkAhead | None = None) -> list[tuple[YamlFile | None, list[Problem], list[Problem]]]:
        """:meth:`read` for every path; the files not in the cache are parsed with :attr:`map_items`.

        Args:
            ahead: what else to work out from each file parsed afresh, beside its parse.
        """
        keys: list = []
        missing: list[int] = []
        results: list = [None] * len(paths)
        for index, path in enumerate(paths):
            try:
                stat = os.stat(path)
                key = (stat.st_mtime_ns, stat.st_size, shown(path), id(validator))
            except OSError:
                key = None
            keys.append(key)
            entry = self.entries.get(os.path.abspath(path))  # the CLI passes relative paths, the plugin absolute ones
            if key is not None and entry is not None and entry[0] == key:
                self.hits += 1
                results[index] = (entry[1], list(entry[2]), list(entry[3]))
            else:
                missing.append(index)
        self.misses += len(missing)

        def parse(index: int):
            doc, parse_problems = read_yaml(paths[index], shown(paths[index]), empty=empty)
            schema = schema_problems(doc, validator) if doc is not None else []
            worked_out = ahead.work_out(paths[index], doc, [*parse_problems, *schema]) if ahead and doc is not None else {}
            return doc, parse_problems, schema, worked_out

        def meanwhile(index: int, result) -> None:
            doc, parse_problems, schema, worked_out = result
            if doc is not None:
                ahead.meanwhile(paths[index], doc, [*parse_problems, *schema], worked_out)

        for index, (doc, parse_problems, schema, worked_out) in zip(
                missing, self.map_items(parse, missing, meanwhile=meanwhile if ahead else None)):
            results[index] = doc, parse_problems, schema
            for what, result in worked_out.items():
                self.remember(what, doc, ahead.inputs(what, paths[index]), result)
            if keys[index] is not None:
                self.entries[os.path.abspath(paths[index])] = (keys[index], doc, tuple(parse_problems), tuple(schema))
        return results
