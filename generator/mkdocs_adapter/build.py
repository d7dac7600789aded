"""Build the site with MkDocs into a temporary folder and swap it in.

A failed build (bad YAML, a strict-mode warning, a crash) leaves the
previous site exactly as it was. Only a folder this generator built (its
``.policybook-site.json`` lists every file in it) is ever replaced, and one
build at a time (see :mod:`policybook.outputs.folders`).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from ..outputs.folders import (SITE_MANIFEST, FolderRefused, describe, output_lock, read_manifest, refuse_sources,
                               remove_leftovers, remove_tree, require_parent, visible_files, write_manifest)
from ..pages import STYLESHEET
from .config import offline_plugin
from .internals import check_offline_plugin

log = logging.getLogger("policybook")


def build_site_atomically(config_file: Path, *, site_dir: Path | None = None, strict: bool = True,
                          today: str | None = None, preview_drafts: bool = False,
                          edition: str | None = None, offline: bool = False, cache=None) -> Path:
    """Run ``mkdocs build`` into a fresh folder and swap it for ``site_dir``.

    Args:
        cache: a :class:`~policybook.load.ParseCache` of the files the caller
            already validated, handed to the plugin so nothing is parsed twice.
        edition: ``staff`` or ``public``; overrides the plugin's setting.
        offline: enable Material's offline plugin (added if mkdocs.yml lacks
            it), for a site opened from a shared drive over ``file://``.

    Returns:
        The path of the published site.

    Raises:
        mkdocs.exceptions.MkDocsException: the build failed; nothing changed.
        FolderRefused: ``site_dir`` is a folder the build must not replace.
    """
    config = load_config(str(config_file), strict=strict)
    target = Path(site_dir or config.site_dir).resolve()
    _refuse_unsafe_target(target, config)
    with output_lock(target):
        remove_leftovers(target)
        _refuse_foreign_site(target)
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
                if edition:
                    plugin.config.edition = edition
            if offline:
                _enable_offline(config)
            # As `mkdocs build` does: MkDocs keeps plugins that define these
            # events for the whole process, and they learn here that this is a build.
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
            write_manifest(staging, SITE_MANIFEST, visible_files(staging))
            _refuse_foreign_site(target)  # again: a build takes minutes, and someone may have saved a file there
            _swap(staging, target)
        except BaseException:
            remove_tree(staging)
            raise
    return target


def _refuse_unsafe_target(target: Path, config) -> None:
    """Refuse to replace a folder that holds sources, or a file, or to create missing folders.

    The swap replaces ``target`` wholesale, so ``-d .`` or ``-d docs`` would
    otherwise delete the project itself.
    """
    project = Path(config.config_file_path or ".").resolve().parent
    protected = [project, Path(config.docs_dir).resolve()]
    plugin = config.plugins.get("policybook")
    if plugin is not None:
        protected.append((project / plugin.config.policies_dir).resolve())
    refuse_sources(target, protected, project)
    if target.exists() and not target.is_dir():
        raise FolderRefused(f"refusing to build into {target}: it is a file; choose a folder")
    require_parent(target)


def _refuse_foreign_site(target: Path) -> None:
    """Refuse to replace a folder holding anything this generator did not build.

    Hidden top-level entries (``.git``) do not count: the swap keeps them.
    """
    present = visible_files(target) if target.is_dir() else set()
    if not present:
        return
    written = read_manifest(target, SITE_MANIFEST)
    if written is not None:
        foreign = present - written
        if foreign:
            raise FolderRefused(f"refusing to replace {target}: it holds files that Policybook did not write there "
                        f"({describe(foreign)}); move them out of the folder, or build into another one with -d")
    elif not _built_before_manifests(present):
        unlike = {name for name in present if not _site_like(name)}
        raise FolderRefused(f"refusing to replace {target}: Policybook did not build it (it has no {SITE_MANIFEST}) and it "
                    f"holds {describe(unlike or present)}; build into an empty or new folder with -d, or, if it is "
                    "a site an earlier Policybook built, delete it yourself and build again")


# Where a site of Policybook's (before it wrote a manifest) keeps anything but pages.
_GENERATED_FOLDERS = ("assets/", "search/", "pagefind/")


def _built_before_manifests(present: set[str]) -> bool:
    """Whether a folder without a manifest is a site an earlier Policybook built, to replace it once.

    Only when it has Policybook's stylesheet and holds nothing but pages,
    sitemaps and the generated asset folders: a Word document or a photo
    beside an ``index.html`` makes it someone's own folder.
    """
    return "index.html" in present and STYLESHEET in present and all(map(_site_like, present))


def _site_like(name: str) -> bool:
    return name.endswith(".html") or name in ("sitemap.xml", "sitemap.xml.gz") or name.startswith(_GENERATED_FOLDERS)


def _enable_offline(config) -> None:
    """Switch on Material's offline plugin before any build event runs.

    Constructs Material's ``OfflinePlugin`` and sets its ``enabled``, which
    no public API promises (``internals.check_offline_plugin``): when they
    changed, the build stops before anything is written, rather than
    publishing a site that is not offline.
    """
    if not check_offline_plugin():
        raise PluginError("policybook build --offline: this release of Material's offline plugin cannot be "
                          "switched on by Policybook; list `offline` under plugins in mkdocs.yml and build "
                          "without --offline")
    offline = offline_plugin(config)
    if offline is None:
        from material.plugins.offline.plugin import OfflinePlugin

        offline = OfflinePlugin()
        errors, _warnings = offline.load_config({"enabled": True})
        if errors:
            raise ValueError(f"offline plugin: {errors}")
        config.plugins["material/offline"] = offline
    offline.config.enabled = True
    # Offline pages must link to files, not folders (the plugin sets this too,
    # but only after other plugins have read it in their on_config).
    config.use_directory_urls = False


def _swap(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` using renames, so readers never see half a site.

    Hidden entries of the old site (``.git``, ``.nojekyll``...) are not ours:
    like ``mkdocs build``, we keep them, by moving them into the new site. On
    any failure they go back, so the caller may delete ``staging``.
    """
    kept: list[str] = []
    old = None
    try:
        if target.exists():
            for entry in sorted(target.iterdir()):
                if entry.name.startswith(".") and not (staging / entry.name).exists():
                    entry.rename(staging / entry.name)
                    kept.append(entry.name)
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            old.rmdir()
            target.rename(old)
        staging.rename(target)
    except BaseException:
        if old is not None and not target.exists():
            old.rename(target)
        for name in kept:
            (staging / name).rename(target / name)
        raise
    target.chmod(0o755)
    if old is not None:
        remove_tree(old)
