"""Check parsed YAML against the JSON Schema and explain each error plainly.

jsonschema's own messages are written for programmers ("1.1 is not of type
'string'"). Authors need the fix, so each error is reworded by the keyword
that failed and located through the file's source map.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ..errors import Problem
from .yaml_source import YamlFile

#: The installed schemas: ``schema/`` of the repository, shipped as ``policybook.schemas``.
SCHEMA_PACKAGE = f"{__package__.rpartition('.')[0]}.schemas"
_TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number",
    "boolean": "true or false", "array": "a list", "object": "a mapping of fields",
    "null": "empty",
}


@dataclass(frozen=True)
class Schemas:
    """The compiled validators, built once and reused for every file."""

    handbook: "_Gated"
    policy: "_Gated"

    @classmethod
    def load(cls, directory: Path | None = None) -> "Schemas":
        """Compile the schemas in ``directory`` (default: the installed ones)."""
        folder = directory if directory is not None else schema_folder()

        def compile_(name: str):
            schema = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
            return _Gated(_inline_refs(schema, schema.get("$defs", {})))
        return cls(compile_("handbook.schema.json"), compile_("policy.schema.json"))


def schema_folder():
    """The folder of the installed JSON Schemas (a ``Traversable``)."""
    return resources.files(SCHEMA_PACKAGE)


class _Gated:
    """A jsonschema validator behind a compiled yes/no check.

    Nearly every file is valid, and jsonschema takes tens of milliseconds per
    policy file: too slow for a thousand. fastjsonschema compiles the same
    schema to Python code that only answers "valid?"; jsonschema runs only
    for files that fail, to name and locate every error. Formats are checked
    with the same rule as jsonschema's, so both agree. jsonschema itself is
    imported and built only when a file fails (importing it is a measurable
    part of a small build). Without fastjsonschema installed, every file goes
    to jsonschema.
    """

    def __init__(self, schema: dict) -> None:
        self.schema = schema
        self._validator = None
        self._fast = _compile_fast(schema)

    def iter_errors(self, instance):
        if self._fast is not None:
            try:
                self._fast(instance)
                return iter(())
            except Exception:  # noqa: BLE001 - any doubt goes to the full validator
                pass
        return self.validator.iter_errors(instance)

    @property
    def validator(self):
        """The full jsonschema validator, built on first use."""
        if self._validator is None:
            import jsonschema

            validator_class = jsonschema.validators.validator_for(self.schema)
            schema = _end_anchored(self.schema)
            self._validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
        return self._validator


_DOLLAR = re.compile(r"(?<!\\)\$")


def _end_anchored(node):
    """The schema with each pattern's ``$`` read as the end of the text, as JSON Schema means it.

    JSON Schema patterns are ECMA-262 regexes, where ``$`` is the end of the
    text; jsonschema runs them with Python's ``re``, where ``$`` also matches
    before a final newline, so ``"teacher\\n"`` passed the id pattern.
    fastjsonschema already writes ``\\Z`` for ``$``; the full validator must
    agree with it, or a file it refuses is accepted with no message.
    """
    if isinstance(node, list):
        return [_end_anchored(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _DOLLAR.sub(r"\\Z", value) if key == "pattern" and isinstance(value, str) else _end_anchored(value)
        for key, value in node.items()
    }


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value) -> bool:
    """jsonschema's ``date`` format check (``jsonschema._format.is_date``)."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and dt.date.fromisoformat(value))
    except ValueError:
        return False


def _compile_fast(schema: dict):
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - optional speed-up
        return None
    schema = {k: v for k, v in schema.items() if k not in ("$schema", "$id", "$defs")}
    formats = {"date": _is_date}
    try:
        return fastjsonschema.compile({"$schema": "http://json-schema.org/draft-07/schema#", **schema}, formats=formats)
    except Exception:  # noqa: BLE001 - an unsupported keyword: fall back to jsonschema alone
        return None


def _inline_refs(node, defs: dict):
    """Replace each local ``{"$ref": "#/$defs/x", ...}`` with the definition merged in.

    Our schemas are not recursive, so this terminates; validating then skips
    jsonschema's reference resolution, which profiling showed to be about
    half of the time spent checking a file.
    """
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and "/" not in ref[len("#/$defs/"):]:
        target = _inline_refs(defs[ref[len("#/$defs/"):]], defs)
        merged = {**target, **{k: _inline_refs(v, defs) for k, v in node.items() if k != "$ref"}}
        if any(k in target and k in node for k in node if k not in ("$ref", "description", "title")):
            return {k: _inline_refs(v, defs) for k, v in node.items()}  # overlapping keywords: keep the $ref
        return merged
    return {key: (value if key == "$defs" else _inline_refs(value, defs)) for key, value in node.items()}


def schema_problems(document: YamlFile, validator) -> list[Problem]:
    """Every schema error in ``document``, reworded and located."""
    problems: list[Problem] = []
    for error in validator.iter_errors(document.data):
        problems.extend(_explain(document, error))
    return problems


def did_you_mean(word: str, choices) -> str:
    """`` ; did you mean 'x'?`` when a choice is close to ``word``, else ``''``."""
    choices = [str(choice) for choice in choices]
    matches = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    if not matches:
        lowered = {choice.lower(): choice for choice in choices}
        matches = [lowered[w] for w in difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=0.6)]
    return f"; did you mean '{matches[0]}'?" if matches else ""


def _explain(document: YamlFile, error) -> list[Problem]:
    path = tuple(error.absolute_path)
    field = _field_name(path)
    keyword = error.validator
    instance = error.instance

    if keyword == "anyOf" and error.context:
        # One of several shapes (a related policy: an id or {title: ...}): explain
        # the failure of the shape this value was written in.
        kind = _json_type(instance)
        written = [e for e in error.context if e.schema.get("type") == kind and e.validator != "type"]
        if written:
            problems = _explain(document, written[0])
            if isinstance(instance, str) and any("title" in (o.get("required") or ()) for o in error.validator_value):
                # A title where an id is due: most likely a policy that is not in the handbook.
                problems = [replace(p, message=f"{p.message}; or, for a policy not in the handbook, write {{title: {_clip(instance)}}}") for p in problems]
            return problems
    if keyword == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = [key for key in instance if key not in allowed]
        return [
            document.problem(
                (*path, key),
                f"unknown field '{key}'{did_you_mean(key, allowed) or ''} "
                f"(allowed here: {', '.join(allowed)})",
                key=True,
            )
            for key in extras
        ]
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        where = f" in {field}" if field else ""
        return [document.problem(path, f"missing required field '{missing}'{where}")]
    if keyword == "type":
        return [document.problem(path, _type_message(document, path, field, error))]
    if keyword == "format" and error.validator_value == "date":
        return [document.problem(path, f"{field}: '{_clip(instance)}' is not a real date: write it as YYYY-MM-DD, e.g. 2025-09-01")]
    if keyword == "enum":
        allowed = [str(v) for v in error.validator_value]
        return [document.problem(
            path,
            f"{field}: '{_shown(document, path, instance)}' is not allowed{did_you_mean(instance, allowed)} "
            f"(choose one of: {', '.join(allowed)})",
        )]
    if keyword == "pattern":
        return [document.problem(path, _pattern_message(field, instance, error.validator_value))]
    if keyword in ("minItems", "minLength"):
        return [document.problem(path, f"{field} must not be empty")]
    if keyword == "maxLength":
        return [document.problem(path, _length_message(field, instance, error.validator_value))]
    if keyword == "uniqueItems":
        seen, repeated = set(), []
        for value in instance:
            marker = json.dumps(value, sort_keys=True, default=str)
            if marker in seen:
                repeated.append(str(value))
            seen.add(marker)
        return [document.problem(path, f"{field} lists {', '.join(repr(r) for r in repeated)} more than once: remove the repeat")]
    if keyword in ("minimum", "maximum"):
        return [document.problem(path, f"{field}: {instance} is out of range ({keyword} {error.validator_value})")]
    return [document.problem(path, f"{field}: {error.message}" if field else error.message)]


def _field_name(path: tuple) -> str:
    """A readable name for a JSON path: ``sections[2].clauses[0].text``."""
    name = ""
    for part in path:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _shown(document: YamlFile, path: tuple, instance) -> str:
    return _clip(document.source.typed.get(path, str(instance)))


def _clip(value, limit: int = 60) -> str:
    """A value quoted in a message: long ones are cut, the line number finds the rest."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_message(document: YamlFile, path: tuple, field: str, error) -> str:
    expected = error.validator_value
    expected = expected if isinstance(expected, str) else expected[0]
    if not path:
        if error.instance is None:
            return "file has no fields: write them as 'name: value' lines, starting at the left margin"
        got = _TYPE_NAMES.get(_json_type(error.instance), "something else")
        return f"file holds {got}, but it must hold fields written as 'name: value' lines, starting at the left margin"
    typed = document.source.typed.get(path)
    wanted = _TYPE_NAMES.get(expected, expected)
    if expected == "string" and typed is not None:
        if isinstance(error.instance, bool):
            return (f"{field}: YAML reads {typed} as {str(error.instance).lower()}, but text is expected here: "
                    f"put it in quotes, \"{typed}\"")
        if isinstance(error.instance, (int, float)):
            reason = ""
            if isinstance(error.instance, float) and str(error.instance) != typed:
                reason = f" (YAML reads {typed} as the number {error.instance}, which would lose digits)"
            return f"{field}: write {typed} in quotes, \"{typed}\", so it is kept as text{reason}"
        if error.instance is None:
            return f"{field} is empty: write the value, or remove the field"
    if error.instance is None:
        return f"{field} is empty: expected {wanted}"
    if expected == "integer" and isinstance(error.instance, float):
        return f"{field}: {typed or error.instance} is not a whole number: write it without a fraction"
    got = _TYPE_NAMES.get(_json_type(error.instance), "something else")
    return f"{field}: expected {wanted}, got {got}"


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _length_message(field: str, instance: str, limit: int) -> str:
    # The limits (schema/*.json) are far beyond any real policy's: they bound
    # the work one value can cause, and the size of the site it is copied into.
    return f"{field} is {len(instance):,} characters long: shorten it to at most {limit:,} characters"


_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _line_message(field: str, instance: str) -> str:
    """Why a one-line field (a title, a name) was refused, naming the character."""
    if any(char in _LINE_BREAKS for char in instance):
        return f"{field} must be a single line of text: remove the line break"
    found = _BIDI.search(instance)
    if found:
        return (f"{field} holds an invisible text-direction control (U+{ord(found.group()):04X}), "
                "which makes text read differently from how it is stored: remove it")
    found = _CONTROL.search(instance)
    if found:
        return f"{field} holds the control character U+{ord(found.group()):04X}: remove it"
    return f"{field} must not be blank"


def _pattern_message(field: str, instance: str, pattern: str) -> str:
    if "[a-z0-9]" in pattern:
        suggestion = "-".join("".join(c if c.isalnum() else " " for c in instance.lower()).split())
        # No hint longer than an id may be (schema/*.json): it would be refused too.
        hint = f", e.g. '{suggestion}'" if suggestion and suggestion != instance and len(suggestion) <= 100 else ""
        return f"{field}: '{_clip(instance)}' is not a valid id: use lower-case letters, digits and single hyphens{hint}"
    if "\\u202a" in pattern:
        return _line_message(field, instance)
    if "https?" in pattern:
        return f"{field}: '{_clip(instance)}' is not a web address: it must start with https:// or http://"
    if "[0-9A-Za-z]" in pattern:
        return f"{field}: '{_clip(instance)}' is not a valid version label: use letters, digits, dots and hyphens, e.g. \"5\" or \"2.1\""
    if pattern == "\\S":
        return f"{field} must not be blank"
    return f"{field}: '{_clip(instance)}' does not match the expected form"
