"""Where each generated page lives, and relative links between pages.

Generated pages link to each other inside raw HTML, which MkDocs does not
rewrite, so the generator computes the final relative URLs itself. Relative
URLs keep the site working from a shared drive (``file://``) as well as from
a web server.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

HOME = "index.md"
ROLES_INDEX = "roles/index.md"
REVIEW_SCHEDULE = "review.md"
LEGISLATION = "legislation.md"
GLOSSARY = "glossary.md"


def policy_page(policy_id: str) -> str:
    return f"policies/{policy_id}.md"


def version_page(policy_id: str, version: str) -> str:
    return f"policies/{policy_id}/v{version}.md"


def comparison_page(policy_id: str, old: str, new: str) -> str:
    return f"policies/{policy_id}/compare-v{old}-v{new}.md"


def role_page(role_id: str) -> str:
    return f"roles/{role_id}.md"


@dataclass(frozen=True, slots=True)
class Linker:
    """Builds relative URLs from one page to others.

    Attributes:
        here: the source path of the page being written, e.g. ``roles/dsl.md``.
        directory_urls: MkDocs' ``use_directory_urls``.
    """

    here: str
    directory_urls: bool = False

    def __call__(self, target: str, anchor: str | None = None) -> str:
        if anchor and target == self.here:
            return f"#{anchor}"
        here_dir = posixpath.dirname(self._output(self.here)) or "."
        url = posixpath.relpath(self._output(target), here_dir)
        if self.directory_urls:
            url = url.removesuffix("index.html") or "./"
        return f"{url}#{anchor}" if anchor else url

    def _output(self, source: str) -> str:
        stem = source[: -len(".md")]
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem + ".html"
        return stem + "/index.html"
