"""Parse one YAML file into plain data plus the position of every value.

We build the data ourselves from libyaml's event stream instead of calling
``yaml.safe_load`` because the loader must:

* remember where each key and value came from, so every later check can
  report ``path:line:column``;
* report duplicate keys, which PyYAML silently resolves by keeping the last;
* refuse alias bombs and very deep nesting before they cost memory or crash
  the C composer (which recurses and segfaults around 100,000 levels);
* keep dates as the text the author wrote, so the schema checks them and
  ``2024-02-30`` is reported instead of raising inside PyYAML;
* give every later stage one kind of line break: each CR, CRLF, NEL, line or
  paragraph separator, vertical tab or form feed in a value becomes ``\n``.
  Markdown engines, browsers and terminals each count different characters
  as line ends (a CommonMark engine reads "\r\r" as a blank line, ending an
  HTML block), so no output may see any break but ``\n``.

Walking the events is iterative, so it is safe at any depth, and it is one
pass: the same walk yields the data and its source map.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from ..errors import Problem

try:  # libyaml is an order of magnitude faster; fall back when absent.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep: a policy never needs this; flatten the structure"
MAX_VALUES = 100_000

JsonPath = tuple  # of str | int

_TAG_PREFIX = "tag:yaml.org,2002:"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
#: Tags that say what a list or mapping already is: allowed, as ``!!str`` is on text.
_COLLECTION_TAGS = {"!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}

# Plain scalars are typed by the resolver's regexes, chosen by first character.
# A scalar whose first character starts no implicit type is text, and the
# letters start only booleans and nulls ("yes", "False", "NULL"), which are
# at most five characters: most text skips the regexes altogether.
_IMPLICIT = Resolver.yaml_implicit_resolvers


class _AnyCharacter:
    """Stands in for the first-character set if a resolver ever matches any first character."""

    def __contains__(self, first: str) -> bool:
        return True


_RESOLVED_FIRST = frozenset(_IMPLICIT) if None not in _IMPLICIT else _AnyCharacter()
_WORDS_ONLY = frozenset(
    first for first, resolvers in _IMPLICIT.items()
    if first and all(tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null") for tag, _ in resolvers)
)
_LONGEST_WORD = 5

# Every character Python's str.splitlines, CommonMark or YAML 1.1 reads as a line end.
_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# A value can hold such a break only if the file does, raw or as a double-quoted escape.
# Looked for one character at a time: ``str.__contains__`` scans a policy file
# twenty times faster than a regex's character class does.
_MAY_BREAK = ("\\", "\r", "\x85", "\u2028", "\u2029")


@dataclass(slots=True)
class SourceMap:
    """Where each value (and each mapping key) of a parsed file starts."""

    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    #: What the author typed for scalars YAML did not read as text.
    typed: dict[JsonPath, str] = field(default_factory=dict)

    def locate(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """The 1-based position of ``path``, or of its nearest located parent."""
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


class LazySourceMap:
    """The :class:`SourceMap` of a file that parsed with no problem, made only when a message needs it.

    Nearly every file parses cleanly and is then asked only where its lists
    and mappings start (each clause of the model records its line): the walk
    that reads it keeps just those, ``starts``. The position of every other
    value, of each key, and the text typed for a number or a boolean are only
    read to word a message, for a few files if any; the first such question
    walks the file's text again with every position kept (the same events give
    the same map). Keeping a position for each of a file's hundreds of values
    was half of the walk's time, and most of what a forked parse sent back.
    """

    __slots__ = ("starts", "_text", "_line_breaks", "_full")

    def __init__(self, starts: dict[JsonPath, tuple[int, int]], text: str, line_breaks: bool) -> None:
        self.starts = starts
        self._text = text
        self._line_breaks = line_breaks
        self._full: SourceMap | None = None

    def locate(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """As :meth:`SourceMap.locate`; where a list or mapping starts is answered without the whole map."""
        if not key:
            found = self.starts.get(tuple(path))
            if found is not None:
                return found
        return self.full.locate(path, key=key)

    @property
    def full(self) -> SourceMap:
        if self._full is None:
            builder = _Builder("", self._text, line_breaks=self._line_breaks)
            builder.run(_Loader(self._text))
            self._full = builder.source
        return self._full

    @property
    def values(self) -> dict[JsonPath, tuple[int, int]]:
        return self.full.values

    @property
    def keys(self) -> dict[JsonPath, tuple[int, int]]:
        return self.full.keys

    @property
    def typed(self) -> dict[JsonPath, str]:
        return self.full.typed


@dataclass(slots=True)
class YamlFile:
    """The data of one YAML file and where it came from."""

    path: str
    data: object
    source: SourceMap | LazySourceMap

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> Problem:
        """A problem located at ``path`` inside this file."""
        line, column = self.source.locate(path, key=key)
        return Problem(self.path, line, column, message)


class _Frame:
    """One open mapping or list while walking the events."""

    __slots__ = ("container", "is_list", "path", "anchor", "pending_key", "has_key", "key_mark", "key_lines", "values_before")

    def __init__(self, container: dict | list, path: JsonPath, anchor: str | None, values_before: int):
        self.container = container
        self.is_list = type(container) is list
        self.path = path
        self.anchor = anchor
        self.pending_key: object = None
        self.has_key = False
        self.key_mark: tuple[int, int] = (1, 1)
        self.key_lines: dict = {}
        self.values_before = values_before


EMPTY_POLICY = "file is empty: write the policy's fields, or delete the file"


def read_yaml(path: Path, shown_as: str, *, empty: str = EMPTY_POLICY) -> tuple[YamlFile | None, list[Problem]]:
    """Read and parse ``path``; ``shown_as`` is the name used in problems."""
    try:
        # Read one byte past the limit, never more: a huge file costs no memory.
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                size = max(path.stat().st_size, len(raw))
                return None, [_too_large(shown_as, size)]
    except OSError as error:
        return None, [Problem(shown_as, 1, 1, f"cannot read file: {error.strerror}")]
    return parse_yaml(raw, shown_as, empty=empty)


def parse_yaml(raw: bytes, shown_as: str, *, empty: str = EMPTY_POLICY) -> tuple[YamlFile | None, list[Problem]]:
    """Parse YAML bytes into a :class:`YamlFile`, or report why not.

    Args:
        raw: the file's bytes.
        shown_as: the file name used in problems.
        empty: the message for a file with no data (it names the fix).
    """
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(shown_as, len(raw))]
    text, problem = _decode(raw, shown_as)
    if problem:
        return None, [problem]
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip() for line in text.splitlines()):
        return None, [Problem(shown_as, 1, 1, empty)]
    line_breaks = any(char in text for char in _MAY_BREAK)
    builder = _Builder(shown_as, text, line_breaks=line_breaks, positions=False)
    try:
        try:
            builder.run(_Loader(text))
        except _Restart:  # a problem to report: walk again keeping every position, to word and place it
            builder = _Builder(shown_as, text, line_breaks=line_breaks)
            builder.run(_Loader(text))
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, text, shown_as)]
    except yaml.reader.ReaderError as error:
        return None, [_character_problem(error, text, shown_as)]
    except yaml.YAMLError as error:  # pragma: no cover - unmarked errors are rare
        return None, [Problem(shown_as, 1, 1, f"not valid YAML: {error}")]
    except _Stop:
        return None, builder.problems
    if builder.problems and builder.fatal:
        return None, builder.problems
    source = builder.source if builder.positions else LazySourceMap(builder.source.values, text, line_breaks)
    return YamlFile(shown_as, builder.root, source), builder.problems


def _too_large(shown_as: str, size: int) -> Problem:
    return Problem(shown_as, 1, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split the policy or shorten it")


def _decode(raw: bytes, shown_as: str) -> tuple[str, Problem | None]:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return "", Problem(
            shown_as, line, column,
            f"file is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as UTF-8 in your editor",
        )


def _character_problem(error: yaml.reader.ReaderError, text: str, shown_as: str) -> Problem:
    """A character YAML refuses (NUL, ESC...), at its own line and column.

    The reader reports a position in the text, not a line: without this the
    message pointed at 1:1 of a long file.
    """
    position = error.position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(
        shown_as, line, column,
        f"the control character U+{error.character:04X} is not allowed in a YAML file: remove it",
    )


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, shown_as: str) -> Problem:
    """A syntax error in words an author can act on, at the place to fix.

    libyaml reports where it gave up, which for an unclosed quote or list is
    the end of the file; the opening quote or bracket is the place to fix.
    """
    problem, context = error.problem or "", error.context or ""
    raw = " ".join(part for part in (problem, context) if part) or "not valid YAML"
    mark = error.problem_mark or error.context_mark
    if "maximum nesting depth" in problem:
        # libyaml 0.2.5+ has its own depth limit, which it can reach while
        # scanning ahead, before the builder sees the level past MAX_DEPTH.
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(shown_as, line, column, TOO_DEEP)
    lines = text.splitlines()
    found = indicator_hint(lines[mark.line], mark.column) if mark is not None and 0 <= mark.line < len(lines) else None
    if found is not None:
        return Problem(shown_as, mark.line + 1, found[0] + 1, f"YAML syntax error: {found[1]}")
    if mark is not None and 0 <= mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        hint = "a tab is used for indentation, and YAML allows only spaces: indent with spaces"
    elif "quoted scalar" in context and "escape" in problem:
        hint = ("in double quotes a backslash starts an escape such as \\n: write \\\\ for a backslash, "
                "or use single quotes")
    elif "quoted scalar" in context and error.context_mark is not None:
        mark = error.context_mark
        hint = "the quoted text that starts here is never closed: add the closing quote"
    elif "flow sequence" in context and error.context_mark is not None:
        mark = error.context_mark
        hint = "the list that opens with '[' here is never closed: add the closing ']'"
    elif "flow mapping" in context and error.context_mark is not None:
        mark = error.context_mark
        hint = "the mapping that opens with '{' here is never closed: add the closing '}'"
    elif "mapping values are not allowed" in problem:
        hint = "a colon followed by a space starts a new field: put the whole text in quotes, or fix the indentation"
    elif "expected <block end>" in problem or "expected key" in problem or "'-' indicator" in problem:
        hint = "this line is not indented like the lines above it: line it up with the field or list it belongs to"
    else:
        hint = ""
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"{hint} (YAML: {raw})" if hint else raw
    return Problem(shown_as, line, column, f"YAML syntax error: {message}")


class _Stop(Exception):
    """Raised inside the builder when going on would be unsafe."""


class _Restart(Exception):
    """Raised inside a builder that keeps only where lists and mappings start, at the first problem."""


class _Builder:
    """Walks libyaml's events into plain data and a :class:`SourceMap`.

    ``run`` is one loop with everything it touches bound to locals: it runs
    once per event (about 500 per policy version), so attribute look-ups and
    helper calls there are most of the cost of loading a handbook.

    With ``positions=False`` its source map holds only where each list and
    mapping starts (see :class:`LazySourceMap`), and the first problem raises
    :class:`_Restart` instead of being recorded: a problem's message may need
    any position (a duplicate key names the first one's line).
    """

    def __init__(self, shown_as: str, text: str = "", *, line_breaks: bool = True, positions: bool = True):
        self.shown_as = shown_as
        self.positions = positions
        self.text = text
        """The file's text, to quote a value in a message."""
        self.line_breaks = line_breaks
        """Whether values may hold line breaks other than ``\\n`` (then they are normalised)."""
        self.root: object = None
        self.source = SourceMap()
        self.problems: list[Problem] = []
        self.fatal = False
        self._stack: list[_Frame] = []
        self._anchors: dict[str, tuple[object, int]] = {}
        self._documents = 0
        self._resolver = Resolver()
        self._constructor = SafeConstructor()
        #: Tags of short plain scalars already resolved in this file ("true", "text", "id"...).
        self._short_tags: dict[str, str] = {}

    def run(self, loader) -> None:
        """Consume every event of ``loader`` (a libyaml parser), then dispose of it."""
        try:
            self._walk(loader.get_event)
        finally:
            loader.dispose()

    def _walk(self, next_event) -> None:
        stack = self._stack
        anchors = self._anchors
        values = self.source.values
        keys = self.source.keys
        typed = self.source.typed
        positions = self.positions
        scalar_value = self._scalar
        line_break = _LINE_BREAK if self.line_breaks else None
        resolved_first, words_only = _RESOLVED_FIRST, _WORDS_ONLY
        Scalar, Alias = yaml.ScalarEvent, yaml.AliasEvent
        MapStart, SeqStart = yaml.MappingStartEvent, yaml.SequenceStartEvent
        MapEnd, SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
        DocStart, StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent
        count = 0
        start = None  # a scalar's position is left unset without ``positions`` (a problem then restarts the walk)
        while True:
            event = next_event()
            kind = type(event)
            path = None  # the value's path, worked out below when needed
            if kind is Scalar:
                value = event.value
                # Most scalars are text: skip the resolver when no implicit type could match.
                if event.tag is not None or (event.implicit[0] and value[:1] in resolved_first
                                             and (len(value) <= _LONGEST_WORD or value[:1] not in words_only)):
                    value = scalar_value(event)
                if line_break is not None and type(value) is str:
                    value = line_break.sub("\n", value)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                count += 1
                if count > MAX_VALUES:
                    self._too_many(event)
                if positions:
                    mark = event.start_mark
                    start = (mark.line + 1, mark.column + 1)
            elif kind is MapEnd or kind is SeqEnd:
                frame = stack.pop()
                value = frame.container
                if frame.anchor:
                    anchors[frame.anchor] = (value, count - frame.values_before + 1)
                path = frame.path
                start = values[path]
            elif kind is MapStart or kind is SeqStart:
                if len(stack) >= MAX_DEPTH:
                    self._stop(event, TOO_DEEP)
                count += 1
                if count > MAX_VALUES:
                    self._too_many(event)
                mark = event.start_mark
                if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                    self._unsupported_tag(event, event.tag)
                path = self._child_path()
                values[path] = (mark.line + 1, mark.column + 1)
                stack.append(_Frame({} if kind is MapStart else [], path, event.anchor, count))
                continue
            elif kind is Alias:
                if event.anchor not in anchors:  # text such as "*Everyone includes..." with no '&Everyone' before it
                    line, column = _mark(event)
                    found = indicator_hint(_line(self.text, line - 1), column - 1)
                    self._stop(event, found[1] if found else f"unknown alias *{event.anchor}")
                value, size = anchors[event.anchor]
                count += size
                if count > MAX_VALUES:
                    self._too_many(event)
                mark = event.start_mark
                start = (mark.line + 1, mark.column + 1)
            elif kind is DocStart:
                self._documents += 1
                if self._documents > 1:
                    self._stop(event, "a file holds one YAML document: remove the '---' separator and the text after it")
                continue
            elif kind is StreamEnd or event is None:
                return
            else:
                continue

            # Attach the finished value to its parent.
            if not stack:
                self.root = value
                if positions:
                    values[()] = start
                continue
            frame = stack[-1]
            if frame.is_list:
                if positions:
                    if path is None:
                        path = (*frame.path, len(frame.container))
                    values.setdefault(path, start)
                    if kind is Scalar and type(value) is not str:
                        typed[path] = event.value
                frame.container.append(value)
            elif not frame.has_key:
                if kind is not Scalar:
                    self._problem_at(start, "a key must be plain text, not a list or mapping")
                    key = f"?{start[0]}:{start[1]}"
                else:
                    key = value if type(value) is str else event.value
                    if key == "<<" and event.tag is None and event.implicit[0]:
                        self._problem_at(start, "merge keys ('<<') are not supported: write the fields out in full")
                        key = _MERGE
                frame.pending_key = key
                frame.has_key = True
                if positions:
                    frame.key_mark = start
            else:
                key = frame.pending_key
                frame.has_key = False
                if key == _MERGE:
                    continue  # already reported; keeping it would only add "unknown field '<<'"
                container = frame.container
                if key in container:
                    if not positions:
                        raise _Restart
                    first = frame.key_lines[key]
                    self._problem_at(
                        frame.key_mark,
                        f"duplicate key '{key}' (first at line {first[0]}): YAML would keep only this "
                        "second value and silently drop the first; remove or rename one",
                    )
                    continue
                if positions:
                    key_path = (*frame.path, key)
                    frame.key_lines[key] = frame.key_mark
                    keys[key_path] = frame.key_mark
                    values[key_path] = start
                    if kind is Scalar and type(value) is not str:
                        typed[key_path] = event.value
                container[key] = value

    def _child_path(self) -> JsonPath:
        """The path of a mapping or list that starts now."""
        if not self._stack:
            return ()
        frame = self._stack[-1]
        if frame.is_list:
            return (*frame.path, len(frame.container))
        if not frame.has_key:
            # A mapping or list used as a key: reported when attached.
            return (*frame.path, "?")
        return (*frame.path, frame.pending_key)

    def _too_many(self, event) -> None:
        self._stop(
            event,
            f"file expands to more than {MAX_VALUES:,} values (aliases repeat data): "
            "write the data out, or remove the aliases",
        )

    # -- values --------------------------------------------------------

    def _scalar(self, event: yaml.ScalarEvent) -> object:
        tag = event.tag
        if tag is None or tag == "!":
            value = event.value
            short = len(value) <= _LONGEST_WORD
            tag = self._short_tags.get(value) if short else None
            if tag is None:
                tag = self._resolver.resolve(ScalarNode, value, event.implicit)
                if short:
                    self._short_tags[value] = tag
        if tag == _STR or tag == _TIMESTAMP:
            # Dates stay as written: the schema's "date" format checks them.
            return event.value
        if tag == _MERGE:
            return event.value  # reported where the key is attached
        if tag in _SCALAR_TAGS:
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark)
            try:
                value = self._constructor.yaml_constructors[tag](self._constructor, node)
            except (ValueError, yaml.YAMLError):  # pragma: no cover - resolver regexes guard this
                return event.value
            # JSON Schema counts 12.0 as an integer, so the schema accepts it
            # where a whole number is required; the model must then hold 12,
            # or date arithmetic fails in the build (``cycle_months: 12.0``).
            # The author's text stays in ``typed`` for messages.
            if type(value) is float and value.is_integer():
                return int(value)
            return value
        self._unsupported_tag(event, tag)
        return event.value

    def _unsupported_tag(self, event, tag: str) -> None:
        # Refused on lists and mappings as on scalars: dropping the tag
        # (``!!set``, ``!!omap``, ``!include``) would read other data than
        # the author meant, with no message.
        shown = "!!" + tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else tag
        line, column = _mark(event)
        found = indicator_hint(_line(self.text, line - 1), column - 1) if not tag.startswith(_TAG_PREFIX) else None
        if found and type(event) is yaml.ScalarEvent:  # "!important: read this" was meant as text
            self._problem(event, found[1])
            return
        what = "plain text" if type(event) is yaml.ScalarEvent else "a plain list or mapping"
        self._problem(event, f"the tag '{shown}' is not supported: remove it, and write the value as {what}")

    # -- problems ------------------------------------------------------

    def _problem(self, event, message: str) -> None:
        self._problem_at(_mark(event), message)

    def _problem_at(self, where: tuple[int, int], message: str) -> None:
        if not self.positions:
            raise _Restart
        self.problems.append(Problem(self.shown_as, where[0], where[1], message))

    def _stop(self, event, message: str):
        self._problem(event, message)
        self.fatal = True
        raise _Stop


def _line(text: str, index: int) -> str:
    """Line ``index`` (from 0) of ``text``, or "" past its end."""
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


# Where a value starts on its line: after the indent, list dashes and a "key: ".
_VALUE_START = re.compile(r"[ \t]*(?:-[ \t]+)*(?:[A-Za-z0-9_][^:#'\"]*:[ \t]+)?")

_RESERVED = "YAML does not allow '{c}' at the start of a value"
#: What YAML makes of a value that starts with one of its indicator characters, which text often does.
_INDICATORS = {
    "*": "text that starts with '*' is read as an alias (a reference to a value named with '&' elsewhere "
         "in the file), not as *emphasis*",
    "&": "text that starts with '&' is read as an anchor (a name YAML gives a value so that it can be repeated)",
    "!": "text that starts with '!' is read as a YAML tag (which says what kind of value follows)",
    "|": "'|' at the start of a value begins a block of text on the lines below (keeping its line breaks)",
    ">": "'>' at the start of a value begins a block of text on the lines below (folded into one paragraph)",
    "[": "text that starts with '[' is read as a list, [a, b], so the words after ']' are left over",
    "{": "text that starts with '{' is read as a mapping, {a: b}, so the words after '}' are left over",
    "\"": "text that starts with a quote ends at its closing quote, so the words after it are left over",
    "'": "text that starts with a quote ends at its closing quote, so the words after it are left over",
    "-": "'- ' at the start of a value begins a list, which cannot start on the same line as its field",
    "?": "'? ' at the start of a value marks a complex key",
    "@": _RESERVED, "`": _RESERVED, "%": _RESERVED, ",": _RESERVED,
}


def indicator_hint(line: str, column: int) -> tuple[int, str] | None:
    """(column, message) when the value on ``line`` starts with a YAML indicator and the error lies in it.

    Text such as "*Everyone* includes staff", "[Optional] ..." or "@admin"
    is ordinary in a policy, and YAML reads each as something else. The
    message explains what YAML made of it and shows the text in quotes,
    which is the fix; it points at the first character, where the fix goes.
    """
    start = _VALUE_START.match(line).end()
    value = line[start:].rstrip()
    if not value or value[0] not in _INDICATORS or column < start:
        return None
    first = value[0]
    if first in "-?" and value[1:2] not in ("", " ", "\t"):
        return None  # "-5" and "?x" are plain text
    if first in "|>" and len(value) == 1:
        return None  # a block of text on the lines below, as meant: the error is elsewhere
    closing = {"[": "]", "{": "}", "'": "'", '"': '"'}.get(first)
    if closing and not re.match(rf"{re.escape(first)}[^{re.escape(closing)}]*{re.escape(closing)}[ \t]*[^\s#]", value):
        return None  # unclosed, or closed with nothing after: not text that YAML cut short
    fix = "put the whole text in quotes"
    if first in "|>":
        fix = "start the text on the next line, indented, or put the whole text in quotes"
    elif first == "-":
        fix = "put the text in quotes, or start the list on the next line, indented"
    return start, f"{_INDICATORS[first].replace('{c}', first)}: {fix}: {_quoted(value)}"


def _quoted(text: str, limit: int = 60) -> str:
    """``text`` as a YAML quoted value to copy: single quotes, or double ones when it holds a single quote."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    if "'" in shown and '"' not in shown and "\\" not in shown:
        return f'"{shown}"'
    return "'" + shown.replace("'", "''") + "'"


def _mark(event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)
