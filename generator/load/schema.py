"""Check parsed YAML against the JSON Schema and explain each error plainly.

jsonschema's own messages are written for programmers ("1.1 is not of type
'string'"). Authors need the fix, so each error is reworded by the keyword
that failed and located through the file's source map.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ..errors import Problem
from .assemble import section_numbers
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

    @property
    def compiled(self) -> bool:
        """Whether the compiled check runs (fastjsonschema is installed and compiled the schema)."""
        return self._fast is not None

    def passes(self, instance) -> bool:
        """The compiled check's answer: ``True`` only when ``instance`` is valid (``False`` without one)."""
        if self._fast is None:
            return False
        try:
            self._fast(instance)
            return True
        except Exception:  # noqa: BLE001 - any doubt goes to the full validator
            return False

    def iter_errors(self, instance):
        if self.passes(instance):
            return iter(())
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
        # Without the failing rule and its definition in each exception, the
        # generated code of the policy schema is a third as long (0.42 MB
        # against 1.26) and compiles in 0.05 s instead of 0.19, on every run:
        # this check only answers yes or no, and jsonschema explains.
        return fastjsonschema.compile(
            {"$schema": "http://json-schema.org/draft-07/schema#", **schema}, formats=formats, detailed_exceptions=False,
        )
    except Exception:  # noqa: BLE001 - an unsupported keyword: fall back to jsonschema alone
        return None


def _inline_refs(node, defs: dict):
    """Replace each local ``{"$ref": "#/$defs/x", ...}`` with the definition merged in.

    Our schemas are not recursive, so this terminates; validating then skips
    jsonschema's reference resolution, which profiling showed to be about
    half of the time spent checking a file.

    No ``$ref`` may be left: the compiled gate (see :class:`_Gated`) has no
    ``$defs`` to resolve it in, and a schema it cannot compile sends every
    file to jsonschema, which made validation half again as slow. Where the
    two set the same keyword (a title's ``maxLength`` of 120 beside the
    line's 5,000), JSON Schema 2020-12 applies both, and so does an
    ``allOf`` holding the definition, with the same errors.
    """
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and "/" not in ref[len("#/$defs/"):]:
        target = _inline_refs(defs[ref[len("#/$defs/"):]], defs)
        rest = {k: _inline_refs(v, defs) for k, v in node.items() if k != "$ref"}
        if any(k in target for k in rest if k not in ("description", "title")):
            return {**rest, "allOf": [*rest.get("allOf", ()), target]}
        return {**target, **rest}
    return {key: (value if key == "$defs" else _inline_refs(value, defs)) for key, value in node.items()}


def schema_problems(document: YamlFile, validator) -> list[Problem]:
    """Every schema error in ``document``, reworded and located."""
    problems: list[Problem] = []
    for error in validator.iter_errors(document.data):
        problems.extend(_explain(document, error))
    return problems


#: Words authors write for a field or value that is spelt differently here.
#: A synonym is suggested only where its target is allowed.
SYNONYMS = {
    "organization": "organisation", "org": "organisation", "school": "organisation",
    "audience": "scope", "applies": "applies_to", "appliesto": "applies_to", "roles": "applies_to",
    "responsibility": "responsible", "owned_by": "owner", "approved": "approval", "approved_by": "approval",
    "effective_date": "effective", "date_effective": "effective", "next_review": "review",
    "review_date": "review", "history": "changes", "change_log": "changes", "changelog": "changes",
    "version_history": "history", "amendment_record": "amendments", "date_format": "date_order", "dates": "date_order", "record_of_amendments": "amendments", "summary_of_changes": "changes", "laws": "legislation",
    "statutory_guidance": "legislation", "related_policies": "related", "tags": "keywords",
    "glossary": "definitions", "steps": "items", "list": "items", "bullets": "items",
    "shall": "must", "required": "must", "mandatory": "must", "optional": "may", "recommended": "should",
    "never": "must-not", "forbidden": "must-not", "prohibited": "must-not",
    "active": "adopted", "approved_status": "adopted", "in-force": "adopted", "current": "adopted",
    "archived": "superseded", "old": "superseded", "retired": "withdrawn",
}


def _folded(word: str) -> str:
    """A word with case, separators and British/American "s"/"z" set aside: "Organization" ~ "organisation"."""
    return "".join(char for char in word.casefold() if char.isalnum()).replace("z", "s")


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with swaps of two neighbours counted once ("dls" -> "dsl"); ``limit + 1`` once beyond ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (char != other))
            if before is not None and i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def did_you_mean(word: str, choices) -> str:
    """`` ; did you mean 'x'?`` when one choice is really close to ``word``, else ``''``.

    A wrong suggestion sends the author the wrong way ("version_history":
    did you mean "version"?), so a choice is suggested only when it is
    ``word`` spelt differently (case, separators, -ise/-ize), a known synonym
    of it, a typing slip (one or two letters wrong, missing, extra or
    swapped, fewer the shorter the word), or a word of the same stem
    ("governors" for "governing-board").
    """
    choices = sorted({str(choice) for choice in choices})
    word = str(word)
    folded = _folded(word)
    if not folded:
        return ""
    by_fold = {_folded(choice): choice for choice in choices}
    found = by_fold.get(folded)
    if found is None:
        synonym = SYNONYMS.get(word.casefold()) or SYNONYMS.get(word.casefold().replace("-", "_"))
        found = synonym if synonym in choices else None
    if found is None:
        limit = 1 if len(folded) <= 5 else 2 if len(folded) <= 12 else 3
        scored = sorted((_distance(folded, key, limit), key) for key in by_fold)
        if scored and scored[0][0] <= limit and (len(scored) == 1 or scored[1][0] > scored[0][0]):
            found = by_fold[scored[0][1]]
    if found is None:
        # The same stem: most of what was typed begins a choice's word.
        stems = [choice for choice in choices
                 if len(folded) >= 6 and _common_prefix(folded, _folded(choice)) >= max(5, round(len(folded) * 0.6))]
        found = stems[0] if len(stems) == 1 else None
    return f"; did you mean '{found}'?" if found is not None and found != word else ""


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def _explain(document: YamlFile, error) -> list[Problem]:
    path = tuple(error.absolute_path)
    field = field_name(path, document.data)
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
                f"unknown field '{key}'{_elsewhere(path, key, allowed) or did_you_mean(key, allowed)} "
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


#: What one item of each list is called in a message ("role 2 'Teacher'"); other lists' items are "<list> item 2".
_ITEM_NAMES = {"roles": "role", "categories": "category", "definitions": "definition", "sections": "section",
               "clauses": "clause", "legislation": "legislation entry", "signatories": "signatory"}


#: Top-level fields of one kind of file written in the other.
_HANDBOOK_FIELDS = {"organisation", "roles", "categories", "default_review_months"}
_POLICY_FIELDS = {"policy", "version", "sections", "status", "effective", "approval"}


def _elsewhere(path: tuple, key: str, allowed: list[str]) -> str:
    """``; it belongs in handbook.yaml`` for a handbook field written in a policy file, and the reverse."""
    if path or key in allowed:
        return ""
    if key in _HANDBOOK_FIELDS and "sections" in allowed:
        return ": it belongs in handbook.yaml, which every policy shares"
    if key in _POLICY_FIELDS and "roles" in allowed:
        return ": it belongs in a policy's own file, policies/<policy-id>/v<version>.yaml"
    return ""


def field_name(path: tuple, data) -> str:
    """A field named as the author sees it: ``section 7 'Monitoring', clause 2 (7.2), applies_to item 2``.

    Sections and clauses carry the numbers their page shows (counted from 1,
    guidance sections lettered), and a list item its title or name, so the
    author need not count list entries from 0 or from 1.
    """
    parts: list[str] = []
    keys: list[str] = []  # the field names since the last list item: "review.next"
    node, section_number = data, None
    for position, part in enumerate(path):
        if not isinstance(part, int):
            keys.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
            continue
        list_key = keys[-1] if keys else ""
        item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        if list_key == "sections":
            section_number = section_numbers(node)[part] if item is not None else str(part + 1)
            name = f"section {section_number}"
        elif list_key == "clauses":
            name = f"clause {part + 1}" + (f" ({section_number}.{part + 1})" if section_number else "")
        elif list_key in _ITEM_NAMES and isinstance(item, dict):
            name = f"{_ITEM_NAMES[list_key]} {part + 1}"
        else:
            name = f"{'.'.join(keys)} item {part + 1}"
            keys = []
        label_key = next((key for key in ("title", "name") if isinstance(item, dict) and isinstance(item.get(key), str)), None)
        label = item[label_key] if label_key else ""
        # Not quoted when it is the value at fault: the message names what is wrong with it.
        at_fault = label_key in path[position + 1:position + 2] or _CONTROL.search(label) or _BIDI.search(label)
        if list_key != "clauses" and label.strip() and not at_fault:
            name += f" '{_clip(' '.join(label.split()), 40)}'"
        if len(keys) > 1:
            parts.append(".".join(keys[:-1]))
        parts.append(name)
        keys, node = [], item
    if keys:
        parts.append(".".join(keys))
    return ", ".join(parts)


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


#: JSON Schema's name for each type YAML loads to; bool before int, as a bool is an int.
_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"), (dict, "object"))


def _json_type(value) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "null")


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


def is_line(value) -> bool:
    """One line of text as the schema's ``line`` allows it: not blank, no line break, control or bidi character."""
    return (isinstance(value, str) and 0 < len(value) <= 5000 and bool(value.strip())
            and not any(char in _LINE_BREAKS for char in value) and not _BIDI.search(value) and not _CONTROL.search(value))


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
