"""The theme's templates compiled once per ``mkdocs serve``, not once per rebuild.

MkDocs makes a new Jinja environment for every build, so each rebuild under
``mkdocs serve`` compiled Material's templates again: about half a second,
half of a rebuild of the sample handbook. Jinja lets an environment load
compiled templates from a bytecode cache, which checks each template's
source and compiles again any template that changed. The plugin keeps one
:class:`CompiledTemplates` for the whole serve session.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Compiled templates in memory, kept across builds by whoever owns the instance."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        # A bucket whose template source changed discards this code itself.
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.code.clear()
