"""A comparison as terminal text, Markdown, a standalone HTML file or JSON.

Markdown and HTML come from the same ``compare.md.j2`` the site uses, so the
CLI and the site never disagree. The terminal form marks changes with
``[-deleted-]`` and ``{+inserted+}`` as well as colour, so it still reads
when piped or printed.
"""

from __future__ import annotations

import json

import click
import markdown
from markupsafe import escape

from .. import urls
from ..model import Handbook
from ..views.compare import MOVED, Comparison, comparison_data
from . import Renderer, asset_text

FORMATS = ("text", "markdown", "html", "json")


def render_comparison(comparison: Comparison, handbook: Handbook, fmt: str) -> str:
    """``comparison`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        return _terminal(comparison)
    page = _markdown(comparison, handbook)
    if fmt == "markdown":
        return page
    return _html(comparison, page)


def _markdown(comparison: Comparison, handbook: Handbook) -> str:
    path = urls.comparison_page(comparison.new.policy_id, comparison.old.version, comparison.new.version)
    return Renderer().render(
        "compare.md.j2", path, comparison=comparison,
        roles={role.id: role for role in handbook.roles}, role_pages=set(),
    )


def _html(comparison: Comparison, page: str) -> str:
    body = markdown.markdown(page, extensions=["attr_list", "tables"])
    css = asset_text("policybook.css")
    title = escape(f"{comparison.new.title}: version {comparison.old.version} to {comparison.new.version}")
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f"<style>\nbody {{ font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }}\n{css}</style>\n"
        f'</head>\n<body class="md-typeset">\n{body}\n</body>\n</html>\n'
    )


def _terminal(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    lines = [click.style(f"{new.title}: version {old.version} ({old.status.value}) -> {new.version} ({new.status.value})", bold=True)]
    lines.append(f"{len(comparison.material)} material, {len(comparison.editorial)} editorial only, {comparison.unchanged} unchanged.")
    for row in comparison.summary:
        numbers = ", ".join((c.new or c.old).number for c in row.changes)
        lines.append(f"  {row.kind:24} {len(row.changes):3}  {numbers}")
    if new.changes:
        lines += ["", click.style("Author's summary: ", bold=True) + " ".join(new.changes.split())]
    if comparison.fields:
        lines += ["", click.style("Policy details", bold=True)]
        for change in comparison.fields:
            lines.append(f"  {change.label}: {_value(change.old)} -> {_value(change.new)}")
    if comparison.roles:
        lines += ["", click.style("By role (added / removed / strengthened / weakened / reworded duties)", bold=True)]
        for impact in comparison.roles:
            counts = " / ".join(str(len(getattr(impact, name))) for name in ("added", "removed", "strengthened", "weakened", "reworded"))
            lines.append(f"  {impact.role.name}: {counts}")
    for heading, changes in (("Material changes", comparison.material), ("Editorial changes", comparison.editorial)):
        if not changes:
            continue
        lines += ["", click.style(heading, bold=True, underline=True)]
        for change in changes:
            similar = "  (matched by similarity: please check)" if change.matched_by == "similarity" else ""
            if change.id_reused:
                similar += f"  (replaced: id '{(change.new or change.old).id}' names a different clause in each version)"
            lines += ["", click.style(f"{change.number} [{', '.join(change.kinds)}]", bold=True) + similar]
            if change.old and change.new and change.old.obligation != change.new.obligation:
                was = change.old.obligation.label if change.old.obligation else "information"
                now = change.new.obligation.label if change.new.obligation else "information"
                lines.append(f"  obligation: {was} -> {now}")
            if change.partner_numbers:
                lines.append(f"  together with {', '.join(change.partner_numbers)}")
            lines.append(_redline(change))
    if not comparison.changed:
        lines += ["", "No clause changed."]
    return "\n".join(lines) + "\n"


def _redline(change) -> str:
    moved = MOVED in change.kinds
    text = ""
    for segment in change.segments:
        if segment.op == "insert":
            text += click.style(f"{{+{segment.text}+}}", fg="green", underline=True)
        elif segment.op == "delete":
            text += click.style(f"[-{segment.text}-]", fg="red", strikethrough=True)
        else:
            text += click.style(segment.text, fg="cyan") if moved else segment.text
    return text


def _value(value) -> str:
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value) or "(none)"
    return "(none)" if value in (None, "") else str(value)
