"""Text for the terminal, where author text must not give orders.

Author text may hold control characters: ``ESC[8m`` hides what follows (an
inserted duty in a redline), OSC sequences set the window title or write the
clipboard, C1 controls do the same in eight bits, backspaces overwrite what
was printed and bidi overrides reorder it. Terminals obey them whether the
output is coloured or piped through ``less -R``.

Everything Policybook prints is built here: :func:`printable` shows each such
character as a visible escape (``\\x1b``, ``\\u202e``), and
:class:`TerminalText` makes every piece printable before adding the
project's own colours, so those stay the only escape codes in the output.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import click

__all__ = ["TerminalText", "json_text", "printable", "styled"]

# C0 but tab and newline, DEL, C1, line and paragraph separators, bidi embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile(f"[\n{_CONTROL.pattern[1:-1]}]")


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = True) -> str:
    """``text`` with every control character shown as a visible escape.

    Args:
        newlines: keep line breaks; ``False`` shows them as ``\\x0a`` too,
            for a one-line message that must not forge a second line.
    """
    text = str(text)
    return (_CONTROL if newlines else _CONTROL_OR_NEWLINE).sub(_shown, text)


def json_text(data, **options) -> str:
    """``json.dumps`` whose output is safe on a terminal and reads back exactly.

    JSON escapes C0 controls itself; C1 controls and the bidi characters are
    written as ``\\uXXXX`` escapes too (they can only occur inside strings).
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, **options))


@dataclass(frozen=True, slots=True)
class Styled:
    """A piece of terminal text in the project's own colours (see :func:`styled`)."""

    text: str
    styles: dict = field(default_factory=dict)


def styled(text: str, **styles) -> Styled:
    """``text`` (made printable) in ``click.style``'s ``styles``: bold, fg, underline..."""
    return Styled(str(text), styles)


class TerminalText:
    """Output for the terminal, built line by line from plain and :func:`styled` pieces.

    Every piece is made :func:`printable` first, so the only escape codes in
    ``str(text)`` are the styles given here. ``click.echo`` drops those when
    the output is not a terminal.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []

    def line(self, *pieces: str | Styled) -> None:
        """Add one line; a piece may itself hold line breaks (a clause's list)."""
        self._lines.append("".join(
            click.style(printable(piece.text), **piece.styles) if isinstance(piece, Styled) else printable(piece)
            for piece in pieces
        ))

    def blank(self) -> None:
        self._lines.append("")

    def __str__(self) -> str:
        return "\n".join(self._lines) + "\n" if self._lines else ""
