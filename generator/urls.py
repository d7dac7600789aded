"""Where each generated page lives, and relative links between pages.

Generated pages link to each other inside raw HTML, which MkDocs does not
rewrite, so the generator computes the final relative URLs itself. Relative
URLs keep the site working from a shared drive (``file://``) as well as from
a web server.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

HOME = "index.md"
ROLES_INDEX = "roles/index.md"
REVIEW_SCHEDULE = "review.md"
LEGISLATION = "legislation.md"
GLOSSARY = "glossary.md"


def slug(text: str) -> str:
    """Lower-case letters and digits joined by single hyphens: ``"E-Safety & you"`` -> ``"e-safety-you"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def policy_page(policy_id: str) -> str:
    return f"policies/{policy_id}.md"


def version_page(policy_id: str, version: str) -> str:
    return f"policies/{policy_id}/v{version}.md"


def version_link(version) -> str:
    """The page to link for one version: the policy page while that version is the one in force.

    The adopted version's own address stays valid (a redirect to the policy
    page, see ``pages.site.version_redirects``), so a citation of "version 3" keeps
    working before and after version 4 replaces it.
    """
    if version.status.value == "adopted":
        return policy_page(version.policy_id)
    return version_page(version.policy_id, version.version)


def comparison_page(policy_id: str, old: str, new: str) -> str:
    return f"policies/{policy_id}/compare-v{old}-v{new}.md"


def pack_page(policy_id: str, old: str, new: str) -> str:
    """The governors' pack for a comparison: a print-ready page of its own."""
    return f"policies/{policy_id}/pack-v{old}-v{new}.md"


def category_page(category_id: str) -> str:
    return f"categories/{category_id}.md"


def role_page(role_id: str) -> str:
    return f"roles/{role_id}.md"


@dataclass(frozen=True, slots=True)
class Linker:
    """Builds relative URLs from one page to others.

    Attributes:
        here: the source path of the page being written, e.g. ``roles/dsl.md``.
        directory_urls: the site's directory URLs setting (``page/`` for ``page.md``; MkDocs' ``use_directory_urls``).
    """

    here: str
    directory_urls: bool = False
    urls: dict | None = field(default=None, compare=False, repr=False)
    """A memo of (folder, target) -> URL, shared by the pages of one build (a renderer's), or ``None``."""
    folder: str = field(init=False, compare=False)
    """The folder the page is written to: links to other pages depend only on it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "folder", posixpath.dirname(output_path(self.here, self.directory_urls)))

    def __call__(self, target: str, anchor: str | None = None) -> str:
        if anchor and target == self.here:
            return f"#{anchor}"
        # A role's checklist links each duty's policy page, a policy page the same roles on every clause.
        key = (self.folder, target)
        url = self.urls.get(key) if self.urls is not None else None
        if url is None:
            url = _relative(output_path(target, self.directory_urls), self.folder)
            if self.directory_urls:
                url = url.removesuffix("index.html") or "./"
            if self.urls is not None:
                self.urls[key] = url
        return f"{url}#{anchor}" if anchor else url



def output_path(source: str, directory_urls: bool = False) -> str:
    """Where the page whose source path is ``source`` is published, relative to the site's root.

    ``page.md`` becomes ``page.html``, or ``page/index.html`` with directory
    URLs: the layout of MkDocs and most static site engines. Every link
    between pages depends on it, so the engine adapter stops a build whose
    engine writes a generated page anywhere else.
    """
    stem = source[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def _relative(target: str, start: str) -> str:
    """``posixpath.relpath`` for the clean relative paths used here, without its
    ``abspath`` calls (a profile of a 1,000-page build showed them)."""
    target_parts = target.split("/")
    start_parts = start.split("/") if start else []
    common = 0
    for a, b in zip(start_parts, target_parts):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + target_parts[common:]
    return "/".join(parts) or "."
