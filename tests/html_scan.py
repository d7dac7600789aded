"""Find live markup in built HTML that no author should be able to create.

The scan parses each page the way a browser tokenises it (``html.parser``)
and reports: scripts other than the theme's own, event-handler attributes,
links or sources with a scheme other than http, https or mailto, and
elements authors must never produce (iframe, object, embed, style, base,
form, meta refresh other than a redirect to another page of the site).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

SAFE_SCHEMES = {"", "http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc", "srcset"}
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "applet", "math", "mglyph", "link", "meta"}
#: The theme's own: its font stylesheet, the search form and the palette toggle's form.
THEME_STYLE = re.compile(r'^:root\{--md-text-font:"[\w ]+";--md-code-font:"[\w ]+"\}$')
THEME_FORMS = {("md-search__form", None), ("md-header__option", "palette")}
SITE_REDIRECT = re.compile(r"0; url=(\.\./)*[a-z0-9][a-z0-9/._-]*\.html")
HEAD_ONLY_TAGS = {"link", "meta"}
#: Scripts the Material theme writes on every page: its bundle, the search
#: worker (offline: its index and Policybook's vendored worker shim), and
#: small inline bootstrap scripts that set ``__md_*`` helpers.
THEME_SCRIPT_SRC = re.compile(
    r"^(/|(\.\./)*)(assets/javascripts/[\w.-]+\.js|search/[\w.-]+\.js|assets/policybook/iframe-worker-shim\.js)$")
THEME_INLINE_SCRIPT = re.compile(
    r"__md_(scope|get|set|hash)|^\s*$"
    r"|^var target=document\.getElementById\(location\.hash\.slice\(1\)\);target&&target\.name&&"
)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_CSS_STRING = re.compile(r'"(?:[^"\\\n]|\\[0-9a-fA-F]{1,6} ?|\\[^\n0-9a-fA-F])*"')


class _Scanner(HTMLParser):
    def __init__(self, name: str, document: bool = False):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.document = document
        self.findings: list[str] = []
        self._script: dict | None = None
        self._style: dict | None = None
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        line = self.getpos()[0]
        where = f"{self.name}:{line}"
        attributes = dict(attrs)
        for key, value in attrs:
            if key.startswith("on"):
                self.findings.append(f"{where}: <{tag}> has event handler {key}={value!r}")
            if key in URL_ATTRIBUTES and value is not None:
                cleaned = _CONTROL.sub("", html.unescape(value)).replace("\\", "/")
                scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/")[0] else ""
                if scheme not in SAFE_SCHEMES or cleaned.startswith("//"):
                    self.findings.append(f"{where}: <{tag} {key}={value!r}> has an unsafe target")
        if tag in HEAD_ONLY_TAGS:
            if self.in_body:
                self.findings.append(f"{where}: <{tag}> inside the body")
        elif tag in FORBIDDEN_TAGS:
            self.findings.append(f"{where}: forbidden element <{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            # Only the generator's own redirect (a version in force -> its policy page) may refresh.
            if not SITE_REDIRECT.fullmatch(attributes.get("content") or ""):
                self.findings.append(f"{where}: meta refresh")
        if tag == "body":
            self.in_body = True
        if tag == "form" and (attributes.get("class"), attributes.get("data-md-component")) not in THEME_FORMS:
            self.findings.append(f"{where}: forbidden element <form>")
        if tag == "style":
            self._style = {"line": line, "text": ""}
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            src = attributes.get("src")
            if src is not None:
                if not THEME_SCRIPT_SRC.match(src):
                    self.findings.append(f"{where}: script from {src!r}")
            elif kind != "application/json":
                self._script = {"line": line, "text": ""}

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data
        if self._style is not None:
            self._style["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if not THEME_INLINE_SCRIPT.search(self._script["text"]):
                self.findings.append(f"{self.name}:{self._script['line']}: inline script {self._script['text'][:80]!r}")
            self._script = None
        if tag == "style" and self._style is not None:
            if not (THEME_STYLE.match(self._style["text"]) or _is_print_style(self._style["text"])
                    or (self.document and not self.in_body and _is_own_stylesheet(self._style["text"]))):
                self.findings.append(f"{self.name}:{self._style['line']}: style element {self._style['text'][:80]!r}")
            self._style = None


def _is_print_style(css: str) -> bool:
    """Policybook's own print header (role checklists): author text in it is CSS-escaped."""
    if "<" in css or not css.strip().startswith("@media print { @page"):
        return False
    # Outside its quoted strings, the rule must hold nothing that loads or runs.
    outside = _CSS_STRING.sub('""', css).lower()
    return not any(bad in outside for bad in ("url(", "expression", "@import", "javascript", "behavior", "\\"))


def _is_own_stylesheet(css: str) -> bool:
    """A standalone document's stylesheet (diff and checklist HTML): it holds no author text."""
    return "policybook" in css.lower() and not any(bad in css for bad in ("<", "PB-PWNED", "alert(", "url(", "@import"))


def scan_html(text: str, name: str = "page", *, document: bool = False) -> list[str]:
    """Every unsafe construct in one HTML document.

    Args:
        document: a standalone document that carries Policybook's stylesheet in its head.
    """
    scanner = _Scanner(name, document)
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def scan_site(site: Path) -> list[str]:
    """Every unsafe construct in every HTML file under ``site``."""
    findings: list[str] = []
    for page in sorted(site.rglob("*.html")):
        findings += scan_html(page.read_text(encoding="utf-8"), page.relative_to(site).as_posix())
    return findings
