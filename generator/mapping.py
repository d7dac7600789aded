"""How the core maps a function over many items, and its default: one item after another.

The core never imports a speed device: callers that want a second core
(the MkDocs adapter, ``policybook build`` and ``export``) pass
``speed.parallel.fork_map``, which takes the same arguments.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: ``map_items(function, items, **hints) -> list``: the keywords are hints a serial map ignores.
MapItems = Callable[..., list]


def serial_map(function: Callable[[T], R], items: Sequence[T], **_hints) -> list[R]:
    """``[function(item) for item in items]``: the default, in this process."""
    return [function(item) for item in items]
