"""Jinja rendering of view data into Markdown pages.

Templates own all markup. A page template marks its headings and HTML
blocks (see :mod:`.parts`), so :meth:`Renderer.render_body` returns the page
in parts (:mod:`.body`) and :meth:`Renderer.render` the same page as one
string. The environment autoescapes, and author text
reaches markup only through the filters defined here. Plain values are
escaped with their line breaks as character references (:func:`html_line`),
so author text can never end the HTML block it sits in: a CommonMark engine
ends a block at a blank line, and what follows would be read as Markdown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import operator
import re
import secrets
from importlib import resources

import jinja2
import jinja2.compiler
import jinja2.runtime
import markupsafe
from markupsafe import Markup, escape

from .. import urls
from ..dates import PolicyDate
from ..model import Clause
from ..urls import Linker
from ..words import counted
from .body import Heading, HtmlBlock, MarkdownText, PageBody
from .parts import BodyRecorder
from .text import ProseRenderer, is_safe_url, lead, literal

__all__ = ["FragmentCache", "Heading", "HtmlBlock", "MarkdownText", "PageBody", "Renderer", "UNSEARCHED", "asset_text",
           "stylesheet"]


UNSEARCHED = "data-search-exclude"
"""The attribute page templates put on blocks that answer no question (version pickers, history
tables, the role picker): search leaves them out. It is the mark Material's search reads, so its
index needs no rewriting; the engine adapter checks at startup that Material still reads it, and
maps it for Pagefind."""


def asset_text(name: str) -> str:
    """A file shipped beside the templates (stylesheet, scripts), as text."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def stylesheet() -> str:
    """Policybook's stylesheet: the site's, and inlined in every standalone document."""
    return asset_text("policybook.css")


class Renderer:
    """Renders page templates; one per build (it holds a Markdown converter)."""

    def __init__(self, *, directory_urls: bool = False, loader: jinja2.BaseLoader | None = None,
                 bytecode_cache: jinja2.BytecodeCache | None = None):
        self.directory_urls = directory_urls
        self._prose = ProseRenderer()
        env = _Environment(
            loader=loader or jinja2.PackageLoader(__name__, "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            # Markdown's attribute lists ({#anchor}) would open Jinja comments.
            comment_start_string="{##",
            comment_end_string="##}",
            finalize=html_line,
            # A renderer lives for one build: templates need not be checked
            # for changes on disk at every page (a stat per page and template).
            auto_reload=False,
            # Compiled code kept from an earlier run, if the caller keeps one (speed/compiled_templates.py).
            bytecode_cache=bytecode_cache,
        )
        env.filters.update(
            join=join,
            prose=self._prose.block,
            inline=self._prose.inline,
            # Section and policy titles repeat in every clause heading, clause texts on every version's page.
            literal=_remembered(literal),
            lead=_remembered(lead),
            long_date=long_date,
            safe_url=safe_url,
            display_value=display_value,
            css_string=css_string,
            unnumbered=unnumbered,
            placeholders=mark_placeholders,
            heading=_heading,
            html_block=_html_block,
            counted=counted,
            fragment=_fragment,
        )
        env.globals["urls"] = urls
        env.globals["badge"] = badge
        env.globals["unsearched"] = Markup(UNSEARCHED)
        self.env = env
        # Marks the parts in a rendered page (see BodyRecorder); never in author text.
        self._part_token = "pbpart" + secrets.token_hex(8)
        self._urls: dict = {}  # relative URLs, for every page's Linker (directory_urls is fixed per renderer)

    def render(self, template: str, page_path: str, **context) -> str:
        """Render ``template`` as the page at ``page_path``, as one string (Markdown, or HTML for HTML templates)."""
        return self.render_body(template, page_path, **context).markdown

    def render_body(self, template: str, page_path: str, **context) -> PageBody:
        """Render ``template`` as the page at ``page_path``, in the parts its template marked.

        Args:
            template: a template name, such as ``policy.md.j2``.
            page_path: the page's source path; links are made relative to it.
            **context: the template's variables.

        Returns:
            The body; a template that marks nothing gives one ``MarkdownText``.
        """
        link = Linker(page_path, self.directory_urls, self._urls)
        recorder = BodyRecorder(self._part_token, printed_text)
        output = self.env.get_template(template).render(link=link, page_parts=recorder, **context)
        return recorder.body(output)


class FragmentCache:
    """Rendered fragments that repeat across pages, keyed by everything they depend on.

    A clause usually reads the same in every version of its policy, and all
    versions' pages sit in one folder, so its HTML is rendered once. Keys
    hold the values a fragment is made from; what is fixed for a whole build
    (role names, which roles have pages) is not in them, so a cache lives for
    one build. Page templates use it through the ``fragment`` filter:
    ``{{ key|fragment(macro, *arguments) }}`` prints ``macro(*arguments)``,
    rendered the first time ``key`` is seen; other templates (the theme's
    navigation) as ``{% call fragments(key, ...) %}``.
    """

    def __init__(self) -> None:
        self._store: dict[tuple, Markup] = {}

    def __call__(self, *key, caller) -> Markup:
        return self.get(key, caller, ())

    def get(self, key: tuple, make, arguments: tuple) -> Markup:
        """The fragment under ``key``, made as ``make(*arguments)`` the first time."""
        try:
            return self._store[key]
        except KeyError:
            fragment = self._store[key] = make(*arguments)
            return fragment


@jinja2.pass_context
def _fragment(context, key: tuple, make, *arguments) -> Markup:
    """The ``fragment`` filter: ``make(*arguments)`` (a macro) from the build's :class:`FragmentCache`.

    A filter, not a ``{% call %}`` block: a call block makes a macro object
    for its body every time it runs, and Jinja calls a function through its
    context, where it calls a filter directly. At 100 policies 37,000 clause
    bodies were looked up this way.
    """
    return context["fragments"].get(key, make, arguments)


#: The fields clauses are compared by, but the display number.
_ALL_BUT_NUMBER = operator.attrgetter(*(f.name for f in dataclasses.fields(Clause) if f.compare and f.name != "number"))


def unnumbered(clause: Clause) -> tuple:
    """A key for fragments that do not show the clause's number: equal for clauses that differ only in it.

    A tuple of the clause's other compared fields, as equal as the clause with
    its number blanked would be, without building that clause (a tenth of the
    time of making a policy page's clauses).
    """
    return _ALL_BUT_NUMBER(clause)


_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")


def mark_placeholders(html, blanks) -> Markup:
    """``html`` with each unfilled blank (``[name of the agreement]``) marked ``<mark class="pb-placeholder">``.

    Only text between tags is searched, and never inside a character
    reference, so a blank that happens to read like markup ("href", "amp")
    cannot break the HTML it sits in.
    """
    html = Markup(html)
    if not blanks:
        return html
    pattern = re.compile("|".join(re.escape(str(escape(blank))) for blank in sorted(blanks, key=len, reverse=True)))
    pieces = _TAG_OR_ENTITY.split(str(html))
    for index in range(0, len(pieces), 2):  # even pieces are text, odd ones tags and references
        pieces[index] = pattern.sub(lambda m: f'<mark class="pb-placeholder" title="unfilled placeholder">{m.group(0)}</mark>', pieces[index])
    return Markup("".join(pieces))


def long_date(value: dt.date | PolicyDate | None) -> str:
    """``1 September 2025``: unambiguous for UK and US readers alike; a month, term or year as the policy gives it."""
    if isinstance(value, PolicyDate):
        return value.label
    return f"{value.day} {value:%B %Y}" if value else ""


def safe_url(url: str) -> str:
    return url if is_safe_url(url) else "#"


def html_line(value):
    """A printed value whose line breaks cannot end the HTML block it is printed in.

    The environment's ``finalize``: every ``{{ value }}`` passes through it.
    Text holding a line break comes back escaped, each break a character
    reference (CommonMark and Python-Markdown end lines only at LF and CR;
    the loader has made every other break an LF); anything else is left to
    autoescaping as before. Markup (a filter's output, a macro's) is kept: the
    filters that make it keep author text off blank lines themselves.
    """
    # Called for every printed value (650,000 at 100 policies): plain text, the common case, is tested first.
    if type(value) is str or (isinstance(value, str) and not isinstance(value, Markup)):
        if "\n" in value or "\r" in value:
            return Markup(str.replace(str.replace(escape(value), "\n", "&#10;"), "\r", "&#13;"))
    return value


@functools.cache
def badge(obligation) -> Markup:
    """The badge of a duty's strength (``<span class="pb-ob pb-ob--must">must</span>``), or of information.

    A function, not a template macro: every clause and checklist item has one,
    and a macro call costs several times a function call. There are six
    badges, so each is made once (21,000 calls at 100 policies).
    """
    if obligation:
        return Markup(f'<span class="pb-ob pb-ob--{escape(obligation.value)}">{escape(obligation.label)}</span>')
    return Markup('<span class="pb-ob pb-ob--info">information</span>')


@jinja2.pass_context
def _heading(context, text, level: int, id=None, classes: str = "", contents=None) -> Markup:
    """The ``heading`` filter: marks the filtered text as one of the page's headings (see ``parts``)."""
    return context["page_parts"].heading(text, level, id, classes, contents)


@jinja2.pass_context
def _html_block(context, text) -> Markup:
    """The ``html_block`` filter: marks the filtered text as one of the page's HTML blocks."""
    return context["page_parts"].html_block(text)


def _remembered(function):
    """``function`` of one text, computed once for each distinct text (one memo per renderer, so per build).

    Only for functions whose result depends on the text's characters alone:
    a Markup and a str of the same characters share an entry.
    """
    results: dict = {}

    def remembered(text):
        try:
            return results[text]
        except KeyError:
            result = results[text] = function(text)
            return result

    return remembered


# markupsafe's escaping of a plain str, without the Markup object escape() wraps it in.
_escape_text = getattr(markupsafe, "_escape_inner", None) or (lambda text: str(escape(text)))


def printed_text(value) -> str:
    """The text ``{{ value }}`` prints: :func:`html_line`, then autoescaping.

    Compiled templates call it for every printed value (see :class:`_CodeGenerator`). The
    result is joined into the output, never escaped again, so it need not be Markup:
    plain text (most values: numbers, titles, ids) is escaped straight to a str, and
    Markup (a filter's or a macro's output) is returned as it is.
    """
    if type(value) is str:
        if "\n" in value or "\r" in value:
            return str.replace(str.replace(_escape_text(value), "\n", "&#10;"), "\r", "&#13;")
        return _escape_text(value)
    if type(value) is Markup:
        return value
    return escape(html_line(value))


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles ``{{ value }}`` to ``environment.printed_text(value)``.

    Jinja compiles it to ``escape(environment.finalize(value))``: two calls of
    Python functions and a Markup object made for every printed value, 850,000
    of them at 100 policies. :func:`printed_text` does both steps in one call,
    and gives the same text. Only where autoescaping is on and fixed, and the
    finalize is :func:`html_line`, which it includes; anywhere else as Jinja does.
    """

    def _prints_text(self, frame) -> bool:
        return frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and self.environment.finalize is html_line

    def _output_child_pre(self, node, frame, finalize) -> None:
        if self._prints_text(frame):
            self.write("environment.printed_text(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if self._prints_text(frame):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


def _output_hooks_as_expected() -> bool:
    """Whether this Jinja's code generator has the two private hooks :class:`_CodeGenerator` overrides, as
    Jinja 3.1 defines them. A release that renames or changes them gets Jinja's own code: slower, the same pages."""
    return all(
        list(inspect.signature(getattr(jinja2.compiler.CodeGenerator, name, None) or (lambda: None)).parameters)
        == ["self", "node", "frame", "finalize"] for name in ("_output_child_pre", "_output_child_post"))


class _Context(jinja2.runtime.Context):
    """Jinja's context, calling a template's macros as Jinja would, without asking each call what it takes.

    Templates reach every function and macro through ``Context.call``, which
    first looks for a ``pass_context``-style mark on the callable and on its
    ``__call__``, to learn each time what a macro always takes: the evaluation
    context. Macros are most of the calls the page templates make (2.8% of a
    500-policy build's CPU was spent in ``Context.call`` itself).
    """

    def call(__self, __obj, *args, **kwargs):
        if type(__obj) is not jinja2.runtime.Macro:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(__self.eval_ctx, *args, **kwargs)
        except StopIteration:  # as Jinja's
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


def _macros_take_the_eval_context() -> bool:
    """Whether this Jinja's macros take the evaluation context, as Jinja 3.1's do, and nothing else: with a
    release whose macros take something else, every call goes through Jinja's ``Context.call``."""
    from jinja2.utils import _PassArg

    return (_PassArg.from_obj(jinja2.runtime.Macro.__call__) is _PassArg.eval_context
            and _PassArg.from_obj(jinja2.runtime.Macro) is None)


class _Environment(jinja2.Environment):
    """Jinja's environment, with ``{{ value }}`` compiled by :class:`_CodeGenerator` where this Jinja allows."""

    code_generator_class = _CodeGenerator if _output_hooks_as_expected() else jinja2.compiler.CodeGenerator
    context_class = _Context if _macros_take_the_eval_context() else jinja2.runtime.Context
    printed_text = staticmethod(printed_text)


def join(items, separator: str = "") -> Markup:
    """Jinja's ``join``, with each item printed as ``{{ item }}`` prints it (:func:`printed_text`)."""
    # str's join of printed texts: Markup's would escape each again (Markup objects made for nothing).
    return Markup(printed_text(separator).join([printed_text(item) for item in items]))


def display_value(value) -> str:
    if isinstance(value, (tuple, list)):
        return ", ".join(display_value(v) for v in value) if value else "(none)"
    if isinstance(value, PolicyDate):
        return value.label
    return "(none)" if value in (None, "") else str(value)


def css_string(value: str) -> Markup:
    """A quoted CSS string for ``content:``, safe inside a ``<style>`` element.

    Every character other than letters, digits and spaces becomes a six-digit
    CSS escape (its trailing space is part of the escape), so author text can neither close the string nor the element.
    """
    # Text joined with ``~`` in a template arrives escaped: print its characters, not its entities.
    text = value.unescape() if isinstance(value, Markup) else str(value)
    # By one substitution, not a step per character: every printed page has two such strings.
    return Markup(f'"{_CSS_UNSAFE.sub(_css_escape, text)}"')


_CSS_UNSAFE = re.compile(r"[^A-Za-z0-9 ]")
"""What :func:`css_string` escapes: all but ASCII letters, digits and spaces."""


def _css_escape(match: re.Match) -> str:
    return f"\\{ord(match.group()):06x} "
