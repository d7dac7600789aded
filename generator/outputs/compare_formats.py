"""A comparison as terminal text, Markdown, a standalone HTML file or JSON.

Markdown and HTML come from the same ``compare.md.j2`` the site uses, so the
CLI and the site never disagree. The terminal form marks changes with
``[-deleted-]`` and ``{+inserted+}`` as well as colour, so it still reads
when piped or printed; author text in it is shown printable (see
``policybook.terminal``), and JSON escapes every control character.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import urljoin, urlsplit

from .. import urls
from ..clock import build_date
from ..model import Handbook
from ..pages import template_context
from ..render import Renderer, display_value
from ..terminal import TerminalText, json_text, styled
from ..views.compare import MOVED, Comparison, comparison_data
from .printing import document_html

FORMATS = ("text", "markdown", "html", "json")


def render_comparison(comparison: Comparison, handbook: Handbook, fmt: str, *, site_url: str | None = None,
                      directory_urls: bool = False) -> str:
    """``comparison`` in ``fmt`` (one of :data:`FORMATS`).

    Args:
        site_url: where the handbook's site is published (``site_url`` in
            ``mkdocs.yml``). A standalone HTML file links into the site there;
            without it, its links to other pages are left out (they would
            point at files that are not beside it), and only links within it
            and to the web stay.
        directory_urls: the site's ``use_directory_urls``, for those links.
    """
    if fmt == "json":
        return json_text(comparison_data(comparison), indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        return _terminal(comparison)
    path = urls.comparison_page(comparison.new.policy_id, comparison.old.version, comparison.new.version)
    page = _markdown(comparison, handbook, path, directory_urls=directory_urls if fmt == "html" else False)
    if fmt == "markdown":
        return page
    base = urljoin(site_url.rstrip("/") + "/", urls.output_path(path, directory_urls)) if site_url else None
    title = f"{comparison.new.title}: version {comparison.old.version} to {comparison.new.version}"
    return document_html(Renderer(), page, path, title=title, links=lambda body: _standalone_links(body, base))


def _markdown(comparison: Comparison, handbook: Handbook, path: str, *, directory_urls: bool = False) -> str:
    # A file of its own: no checklist pages beside it for role names to link to.
    context = template_context(handbook, today=build_date(), checklists=())
    return Renderer(directory_urls=directory_urls).render("compare.md.j2", path, comparison=comparison, **context)


# Links the templates write: the href is escaped (autoescape) and an <a> never holds another.
_LINK = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)


def _standalone_links(html: str, base: str | None) -> str:
    """Links to the site's other pages made absolute to ``base``, or dropped (their text kept) without one."""

    def relink(match: re.Match) -> str:
        href, rest, text = match.groups()
        if href.startswith("#") or urlsplit(href).scheme:
            return match.group()
        return f'<a href="{urljoin(base, href)}"{rest}>{text}</a>' if base else text

    return _LINK.sub(relink, html)


def _terminal(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    out = TerminalText()
    out.line(styled(f"{new.title}: version {old.version} ({old.status.value}) -> {new.version} ({new.status.value})", bold=True))
    out.line(f"{len(comparison.material)} material, {len(comparison.editorial)} editorial only, {comparison.unchanged} unchanged.")
    for row in comparison.summary:
        numbers = ", ".join((c.new or c.old).label for c in row.changes)
        out.line(f"  {row.kind:24} {len(row.changes):3}  {numbers}")
    if new.changes:
        out.blank()
        out.line(styled("Author's summary: ", bold=True), " ".join(new.changes.split()))
    if comparison.fields:
        out.blank()
        out.line(styled("Policy details", bold=True))
        for change in comparison.fields:
            out.line(f"  {change.label}: {display_value(change.old)} -> {display_value(change.new)}")
    if comparison.sections:
        out.blank()
        out.line(styled("Sections added and removed", bold=True))
        for section in comparison.sections:
            what = "new section" if section.kind == "added" else "section removed"
            numbers = ", ".join((c.new or c.old).label for c in section.changes)
            out.line(f"  {what}: {' '.join(filter(None, (section.section.number, section.section.title)))} ({len(section.changes)} clause{'s' if len(section.changes) != 1 else ''}: {numbers or 'none'})")
    if comparison.commitments:
        out.blank()
        out.line(styled("The organisation's own commitments changed: ", bold=True), ", ".join((c.new or c.old).label for c in comparison.commitments))
    if comparison.roles:
        out.blank()
        out.line(styled("By role (added / removed / strengthened / weakened / reworded duties)", bold=True))
        for impact in comparison.roles:
            counts = " / ".join(str(len(getattr(impact, name))) for name in ("added", "removed", "strengthened", "weakened", "reworded"))
            out.line(f"  {impact.role.name}: {counts}")
    for heading, changes in (("Material changes", comparison.material), ("Editorial changes", comparison.editorial)):
        if not changes:
            continue
        out.blank()
        out.line(styled(heading, bold=True, underline=True))
        for change in changes:
            similar = "  (matched by similarity: please check)" if change.matched_by == "similarity" else ""
            if change.id_reused:
                similar += f"  (replaced: id '{(change.new or change.old).id}' names a different clause in each version)"
            out.blank()
            out.line(styled(f"{change.number} [{', '.join(change.kinds)}]", bold=True), similar)
            if change.old and change.new and change.old.obligation != change.new.obligation:
                was = change.old.obligation.label if change.old.obligation else "information"
                now = change.new.obligation.label if change.new.obligation else "information"
                out.line(f"  obligation: {was} -> {now}")
            if change.partner_numbers:
                out.line(f"  together with {', '.join(change.partner_numbers)}")
            out.line(*_redline(change))
    if not comparison.changed:
        out.blank()
        out.line("No clause changed.")
    return str(out)


def _redline(change) -> list:
    """The redline with each list item under its printed number or bullet (display only, as on the page)."""
    moved = MOVED in change.kinds
    pieces = []
    # A label is a piece of its own: join it to the run of the same op around it.
    for op, run in itertools.groupby(change.pieces, key=lambda piece: piece.op):
        text = "".join(piece.text for piece in run)
        if op == "insert":
            pieces.append(styled(f"{{+{text}+}}", fg="green", underline=True))
        elif op == "delete":
            pieces.append(styled(f"[-{text}-]", fg="red", strikethrough=True))
        else:
            pieces.append(styled(text, fg="cyan") if moved else text)
    return pieces
