"""Parsed and schema-checked files, reused while they are unchanged on disk.

``mkdocs serve`` rebuilds the whole handbook after every save. Parsing and
schema-checking a file is most of the cost of loading it, and the result
depends only on the file's bytes, so a :class:`ParseCache` keeps each file's
result keyed by its path, modification time and size. Cross-file checks and
the model are always rebuilt: they are cheap and depend on every file.

The cache is an ordinary object, not module state: whoever owns a build (the
MkDocs plugin, kept alive across serve rebuilds by its ``on_startup`` method;
``policybook build``, which validates and then builds) creates one and passes
it to :func:`~generator.load.load_handbook`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from .schema import Schemas, schema_problems
from .yaml_source import EMPTY_POLICY, YamlFile, read_yaml


@dataclass
class ParseCache:
    """Per-file results of parsing and the schema check.

    Attributes:
        schemas: the compiled validators, built on first use.
        entries: path -> (key, document, parse problems, schema problems).
        hits: files served from the cache since it was made (for tests and benchmarks).
    """

    schemas: Schemas | None = None
    entries: dict = field(default_factory=dict)
    hits: int = 0

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
        try:
            stat = os.stat(path)
            key = (stat.st_mtime_ns, stat.st_size, shown_as, id(validator))
        except OSError:
            key = None
        where = os.path.abspath(path)  # the CLI passes relative paths, the plugin absolute ones
        entry = self.entries.get(where)
        if key is not None and entry is not None and entry[0] == key:
            self.hits += 1
            return entry[1], list(entry[2]), list(entry[3])
        doc, parse = read_yaml(path, shown_as, empty=empty)
        schema = schema_problems(doc, validator) if doc is not None else []
        if key is not None:
            self.entries[where] = (key, doc, tuple(parse), tuple(schema))
        return doc, parse, schema
