"""``policybook serve``: MkDocs' development server with live reload."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.serve import serve


def serve_handbook(config_file: Path, dev_addr: str) -> None:
    """Serve the site of ``config_file``; the plugin watches the policies folder (``on_serve``)."""
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
