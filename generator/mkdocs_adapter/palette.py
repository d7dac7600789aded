"""Material's colour palette: a light and a dark scheme that follow the reader's system setting.

Staff read the handbook at night on a phone as much as on a staff-room
screen. A handbook whose ``mkdocs.yml`` gives one palette (or none) gets
Material's two-scheme palette with its toggle in the header: the reader's
system setting chooses first, the toggle overrides it (Material keeps that
choice in the browser). A ``palette`` list in ``mkdocs.yml`` is the
author's own choice of schemes and is left as it is.
"""

from __future__ import annotations

LIGHT = {"media": "(prefers-color-scheme: light)", "scheme": "default",
         "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"}}
DARK = {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
        "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"}}


def with_dark_scheme(palette) -> list[dict] | object:
    """The palette to use: ``palette`` itself when it is already a list of schemes, else light and dark.

    The colours of a single palette (``primary``, ``accent``) carry over to
    both schemes; its own ``scheme`` becomes the light one's.
    """
    if isinstance(palette, list):
        return palette
    colours = {key: value for key, value in dict(palette or {}).items() if key in ("primary", "accent")}
    light = {**LIGHT, **colours}
    if isinstance(palette, dict) and palette.get("scheme"):
        light["scheme"] = palette["scheme"]
    return [light, {**DARK, **colours}]


def add_dark_scheme(config) -> None:
    """Give a Material site the light and dark schemes (see :func:`with_dark_scheme`)."""
    if config.theme.name == "material":
        config.theme["palette"] = with_dark_scheme(config.theme["palette"] if "palette" in config.theme else None)
