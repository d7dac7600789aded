"""Build the site with MkDocs into a temporary folder and swap it in.

A failed build (bad YAML, a strict-mode warning, a crash) leaves the
previous site exactly as it was.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

log = logging.getLogger("policybook")


def build_site_atomically(config_file: Path, *, site_dir: Path | None = None, strict: bool = True,
                          today: str | None = None, preview_drafts: bool = False, cache=None) -> Path:
    """Run ``mkdocs build`` into a fresh folder and swap it for ``site_dir``.

    ``cache`` (a :class:`~generator.load.ParseCache`) hands the plugin the
    files already parsed when the caller validated first.

    Returns:
        The path of the published site.

    Raises:
        mkdocs.exceptions.MkDocsException: the build failed; nothing changed.
    """
    config = load_config(str(config_file), strict=strict)
    target = Path(site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        config.site_dir = str(staging)
        plugin = config.plugins.get("policybook")
        if plugin is not None:
            if today:
                plugin.config.today = today
            if preview_drafts:
                plugin.config.preview_drafts = True
            if cache is not None:
                plugin.cache = cache
        mkdocs_build(config)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _swap(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` using renames, so readers never see half a site."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    target.chmod(0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
