"""Printed documents: role checklists (Markdown, text, HTML, PDF) and the printer they share.

The HTML document is the site's role page with the Policybook stylesheet
inlined, so the PDF comes out of the same print CSS a reader gets with
Ctrl+P on the site. PDFs are printed by the system Chromium driven by
Playwright (``pip install 'policybook[pdf]'``); nothing downloads a browser.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import markdown
from markupsafe import Markup

from .. import urls
from ..model import Handbook
from ..pages.site import template_context
from ..render import Renderer, stylesheet
from ..terminal import TerminalText
from ..views.checklists import RoleChecklist
from ..words import counted, item_marker

__all__ = [
    "FORMATS", "ChecklistPrinter", "PrintError", "Printer", "checklist_html", "checklist_markdown", "checklist_text",
    "document_html", "find_chromium", "write_checklist",
]

FORMATS = {"text": "txt", "markdown": "md", "html": "html", "pdf": "pdf"}
"""Output formats and their file extensions."""

# Headless Chromium in containers and CI: no sandbox, no GPU, no network chatter.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


class PrintError(Exception):
    """Printing to PDF is not possible here (no browser, no Playwright)."""


def checklist_markdown(handbook: Handbook, checklist: RoleChecklist, *, today: dt.date, preview: bool = False,
                       renderer: Renderer | None = None) -> str:
    """The role page exactly as the site builds it (Markdown with HTML blocks).

    ``renderer`` may be shared by many checklists: it compiles the templates once.
    """
    path = urls.role_page(checklist.role.id)
    return (renderer or _renderer()).render(
        "role.md.j2", path, checklist=checklist, preview=preview, **template_context(handbook, today=today),
    )


def checklist_html(handbook: Handbook, checklist: RoleChecklist, *, today: dt.date, preview: bool = False,
                   renderer: Renderer | None = None) -> str:
    """A standalone HTML document: the role page with the stylesheet inlined.

    Links keep the site's relative form (``../policies/...``), so they work
    when the file sits in the built site's ``roles/`` folder; on paper the
    policy title and clause number beside each duty carry the reference.
    """
    renderer = renderer or _renderer()
    page = checklist_markdown(handbook, checklist, today=today, preview=preview, renderer=renderer)
    return document_html(renderer, page, urls.role_page(checklist.role.id),
                         title=f"{checklist.role.name}: checklist · {handbook.organisation.name}")


def document_html(renderer: Renderer, page: str, path: str, *, title: str,
                  links: Callable[[str], str] | None = None) -> str:
    """A page of the site (Markdown with HTML blocks) as a standalone document, the stylesheet inlined.

    Printed to PDF it comes out of the same print CSS (running header and
    footer included) that a reader gets with Ctrl+P on the site.

    Args:
        links: rewrites the links of the converted body (a file of its own has no site beside it).
    """
    body = markdown.markdown(page, extensions=["attr_list", "tables"])
    if links is not None:
        body = links(body)
    return renderer.render("print_document.html.j2", path, title=title, body=Markup(body), stylesheet=Markup(stylesheet()))


def checklist_text(handbook: Handbook, checklist: RoleChecklist, *, today: dt.date, preview: bool = False) -> str:
    """Plain text for a terminal or a text file: one ``[ ]`` line per duty, author text made printable."""
    out = TerminalText()
    out.line(f"{checklist.role.name}: checklist ({handbook.organisation.name}, handbook built {today.isoformat()})")
    out.line(f"{counted(checklist.count, 'duty')} from {counted(len(checklist.groups), 'policy')}"
             + (" (including drafts: preview)" if preview else "")
             + ("; short form: must and must-not duties only" if checklist.must_only else ""))
    if checklist.includes:
        out.line("Includes the duties of " + ", ".join(role.name for role in checklist.includes))
    for group in checklist.groups:
        version = group.version
        if version.status.value == "draft":
            stamp = f"DRAFT, not yet in force: version {version.version}"
        else:
            stamp = f"version {version.version}" + (f", effective from {version.effective.iso}" if version.effective else "")
        out.blank()
        out.line(f"{version.title} ({stamp})")
        for part in group.parts:
            out.line(f"  {part.title}")
            for duty in part.duties:
                deadline = f" [deadline: {duty.clause.deadline}]" if duty.clause.deadline else ""
                source = f"({version.title} {duty.clause.label}{' ' + duty.clause.title if duty.clause.title else ''})"
                if part.kind != "acts-on":
                    out.line(f"  [ ] {duty.badge.label.upper()}: {duty.wording}{deadline} {source}")
                else:
                    reporters = ", ".join(handbook.role(r).name for r in duty.clause.applies_to)
                    out.line(f"  [ ] RECEIVE reports from {reporters}: you are named as the person to tell. "
                             f"Their duty ({duty.badge.label}): {duty.wording}{deadline} {source}")
                if not duty.clause.checklist:
                    for position, item in enumerate(duty.clause.items, 1):
                        out.line(f"        {item_marker(duty.clause.item_style, position)} {item}")
    out.blank()
    out.line("I have read and understood the duties above.")
    out.line("Name: ____________  Signature: ____________  Date: ________")
    out.line(f"Covers the policy versions named above, from the handbook built on {today.isoformat()}. "
             f"Checklist fingerprint {checklist.fingerprint}.")
    out.blank()
    out.line("Printed copies are uncontrolled. " + (handbook.organisation.master_copy or ""))
    return str(out).rstrip() + "\n"


def write_checklist(handbook: Handbook, checklist: RoleChecklist, fmt: str, target: Path, *, today: dt.date,
                    preview: bool = False, printer: Printer | None = None,
                    renderer: Renderer | None = None) -> None:
    """Write one role's checklist to ``target`` in ``fmt`` (a key of :data:`FORMATS`).

    ``renderer`` may be shared by every file of an induction pack (``--all``).

    Raises:
        PrintError: ``fmt`` is ``pdf`` and ``printer`` is missing.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        if printer is None:
            raise PrintError("PDF output needs a started Printer")
        printer.print_pdf(checklist_html(handbook, checklist, today=today, preview=preview, renderer=renderer), target)
        return
    if fmt == "text":
        text = checklist_text(handbook, checklist, today=today, preview=preview)
    else:
        render = {"markdown": checklist_markdown, "html": checklist_html}[fmt]
        text = render(handbook, checklist, today=today, preview=preview, renderer=renderer)
    target.write_text(text, encoding="utf-8")


def find_chromium() -> str | None:
    """The path of a Chromium binary, from $CHROMIUM or the PATH."""
    configured = os.environ.get("CHROMIUM")
    if configured and os.path.exists(configured):
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Printer:
    """Prints HTML documents to A4 PDF with one headless Chromium.

    A context manager, so ``checklist --all`` starts the browser once for
    every role. The document's print CSS sets the page: margins, running
    header and footer (see the ``print_identity`` template macro).

    Raises:
        PrintError: on entry, when no Chromium or no Playwright is installed.
    """

    def __init__(self, executable: str | None = None):
        self.executable = executable or find_chromium()
        self._playwright = None
        self._browser = None

    def __enter__(self) -> Printer:
        if self.executable is None:
            raise PrintError(
                "PDF output needs Chromium, and none was found: install it (Debian: apt-get install chromium) "
                "or set $CHROMIUM to its path. --format html writes a file you can print from any browser."
            )
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError:
            raise PrintError("PDF output needs Playwright: pip install 'policybook[pdf]'") from None
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, args=list(CHROMIUM_ARGS), headless=True,
            )
        except Error as error:
            self._playwright.stop()
            raise PrintError(f"could not start Chromium at {self.executable}: {error.message.splitlines()[0]}") from None
        return self

    def __exit__(self, *exc_info) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def print_pdf(self, html: str, target: Path) -> None:
        """Write ``html`` as an A4 PDF, using the document's own print CSS."""
        page = self._browser.new_page()
        try:
            page.set_content(html, wait_until="load")
            page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            page.close()


ChecklistPrinter = Printer
"""The name the printer had when it printed role checklists only."""


def _renderer() -> Renderer:
    return Renderer(directory_urls=False)

