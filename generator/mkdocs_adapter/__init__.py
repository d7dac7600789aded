"""The MkDocs adapter: the only package that knows MkDocs, Material or Python-Markdown internals."""

from importlib import resources


def asset_text(name: str) -> str:
    """A file the adapter ships for MkDocs and Material (scripts, theme overrides), as text."""
    return resources.files(__name__).joinpath("assets", name).read_text(encoding="utf-8")
