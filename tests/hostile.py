"""A hostile handbook: every field an author can write carries attack text.

Each payload, if it ever became live markup, would either call ``alert()``
(a dialog the browser test catches), set ``window.__pbPwned``, log the
console marker ``PB-PWNED`` or load a frame. The scanner in
``test_safe_rendering.py`` and the browser test both look for them.

``TERMINAL`` payloads would drive a terminal (hide text, set the window
title, write the clipboard); ``BREAKS`` end a CommonMark HTML block with
line-break characters other than ``\n`` and follow it with a live link. The
policy is public, so the public edition shows every payload too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

MARKER = "PB-PWNED"
_RUN = f"window.__pbPwned=1;console.log('{MARKER}');alert(1)"

#: One-line payloads: raw HTML, entities, and Markdown link tricks.
PAYLOADS: tuple[str, ...] = (
    f"<script>{_RUN}</script>",
    f"<img src=x onerror=\"{_RUN}\">",
    f"<svg onload=\"{_RUN}\"></svg>",
    f"<svg><script>{_RUN}</script></svg>",
    f"<iframe src=\"javascript:{_RUN}\"></iframe>",
    f"<iframe srcdoc=\"<script>{_RUN}</script>\"></iframe>",
    "<style>body { display: none }</style>",
    f"<details open ontoggle=\"{_RUN}\">x</details>",
    f"<a href=\"javascript:{_RUN}\">raw anchor</a>",
    f"<object data=\"data:text/html,<script>{_RUN}</script>\"></object>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=\"{_RUN}\">",
    f"\"><script>{_RUN}</script>",
    f"'><img src=x onerror={_RUN}>",
    f"&lt;script&gt;{_RUN}&lt;/script&gt;",
    f"&#60;img src=x onerror=\"{_RUN}\"&#62;",
    "&#x3C;iframe src=javascript:alert(1)&#x3E;",
    f"[plain js](javascript:{_RUN})",
    "[mixed case](JaVaScRiPt:alert(1))",
    "[leading space]( javascript:alert(1))",
    "[tab inside](java\tscript:alert(1))",
    "[entity tab](java&#09;script:alert(1))",
    "[entity j](&#106;avascript:alert(1))",
    "[hex entity](&#x6A;avascript&#x3A;alert(1))",
    "[newline entity](java&#10;script:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[vbscript](vbscript:msgbox(1))",
    "[angle](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[ref link][evil] [evil]: javascript:alert(1)",
    "[nested [brackets](javascript:alert(1))](https://ok.example)",
    "![image](javascript:alert(1))",
    "![image](x \"title\" onerror=alert(1))",
    "[title quote](https://ok.example \"x\\\" onmouseover=\\\"alert(1)\")",
    "[protocol relative](//evil.example/x.js)",
    "[backslashes](/\\evil.example) [more](\\\\evil.example)",
    "{{ 7 * 7 }} {% raw %} ${alert(1)}",
)

#: Terminal control: conceal, window title (OSC 0), clipboard (OSC 52), an
#: 8-bit CSI, bell, backspace, delete. Single-line fields refuse control
#: characters (the loader's rule), so only texts carry them.
TERMINAL: tuple[str, ...] = (
    "\x1b[8mconcealed\x1b[0m",
    f"\x1b]0;{MARKER}\x07",
    "\x1b]52;c;UEItUFdORUQ=\x1b\\",
    "\x9b31mc1-red",
    "bell\x07back\x08\x08del\x7f",
)
#: Bidi overrides and isolates, which reorder what a terminal or page shows.
BIDI = "\u202eesrever\u202c \u2066isolate\u2069 \u202aembed\u202b\u202d"
#: Every line-break character YAML, CommonMark or Python knows, doubled (a
#: blank line to CommonMark), then a live link if the HTML block ended.
BREAKS: tuple[str, ...] = tuple(
    f"end{brk}{brk}[x](javascript:{_RUN}) <img src=x onerror=\"{_RUN}\">"
    for brk in ("\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\n", "\n \n")
)

#: Reference-style definitions need a line of their own.
MULTILINE = (
    "Reference [link][evil] and [other].\n\n"
    "[evil]: javascript:alert(1)\n"
    "[other]: data:text/html,<script>alert(1)</script>\n\n"
    "<script>\nalert(1)\n</script>\n\n"
    "<div onclick=\"alert(1)\">block html</div>\n\n"
    "- list item <img src=x onerror=alert(1)>\n"
    "- [js](javascript:alert(1))\n"
    + "".join(f"\n{b}\n" for b in BREAKS) + BIDI + "\n"
)

#: For one-line fields (titles, names, deadlines...).
ALL = " ".join(PAYLOADS)
#: For texts (clause text, descriptions, summaries), which may hold any character.
ALL_TEXT = " ".join(PAYLOADS + TERMINAL)

# Characters YAML will not read raw: written as escapes.
_NOT_YAML_PRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


#: Search synonyms: payloads as the words typed and as the terms they find (the schema's lengths).
_VOCABULARY = {payload[:60]: [other[:100] for other in PAYLOADS[:20]] for payload in PAYLOADS}


def _q(text: str) -> str:
    """A YAML scalar: JSON strings are valid YAML (characters YAML reads raw kept raw)."""
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def write_hostile_project(root: Path) -> Path:
    """Write mkdocs.yml, docs/ and a hostile policies/ under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "about.md").write_text("# About\n\nA page written by hand.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Hostile handbook\nuse_directory_urls: false\nstrict: true\n"
        "theme:\n  name: material\n  font: false\nmarkdown_extensions:\n  - attr_list\n  - toc:\n      permalink: true\n"
        "plugins:\n  - search\n  - policybook\n",
        encoding="utf-8",
    )
    policies = root / "policies"
    policies.mkdir(exist_ok=True)
    (policies / "handbook.yaml").write_text(f"""\
organisation:
  name: {_q("Hostile " + ALL)}
  address: {_q(ALL)}
  email: {_q(ALL)}
  phone: {_q(ALL)}
  website: {_q(ALL)}
  master_copy: {_q(ALL)}
roles:
  - id: all-staff
    name: {_q("Staff " + ALL)}
    description: {_q(MULTILINE + ALL_TEXT)}
    aliases: {_q(list(PAYLOADS))}
  - id: lead
    name: {_q("Lead " + ALL)}
    description: {_q(ALL_TEXT)}
    includes: [all-staff]
committees:
  - id: board
    name: {_q("Committee " + ALL)}
    description: {_q(ALL_TEXT)}
categories:
  - id: cat
    title: {_q("Category " + ALL)}
    description: {_q(ALL_TEXT)}
vocabulary: {_q(_VOCABULARY)}
legislation:
  - id: law
    title: {_q("Law " + ALL)}
    url: "https://law.example/\\"onmouseover=\\"alert(1)\\"<script>alert(1)</script>"
""", encoding="utf-8")
    for version, status in (("1", "superseded"), ("2", "adopted"), ("3", "draft")):
        _write_version(policies, version, status)
    return policies


def _added_section(version: str) -> str:
    """A section in version 3 only: the comparison shows it as one section change."""
    if version != "3":
        return ""
    return f"""
  - id: s-new
    title: {_q("New " + ALL)}
    clauses:
      - id: new-clause
        obligation: must
        applies_to: [everyone]
        text: {_q(ALL_TEXT)}"""


def _write_version(policies: Path, version: str, status: str) -> None:
    clauses = []
    for index, payload in enumerate((*PAYLOADS, MULTILINE, ALL_TEXT)):
        # The last clause has no checklist wording: checklists show its text, terminal payloads and all.
        line = ALL if payload in (MULTILINE, ALL_TEXT) else payload
        clauses.append(f"""\
      - id: c{index}
        obligation: {"must" if index % 2 else "should"}
        applies_to: [{"lead" if index % 3 else "all-staff"}]
        responsible: [lead]
        text: {_q(payload + f" (version {version})")}
        items: {_q([payload, ALL_TEXT])}
        item_style: {("bullet", "lettered", "roman", "steps")[index % 4]}
        deadline: {_q(line)}{"" if payload is ALL_TEXT else chr(10) + "        checklist: " + _q(line)}
        keywords: {_q([line])}{"" if index % 2 else chr(10) + "        title: " + _q(line[:120])}""")
    approval = "" if status == "draft" else f"""
effective: 2024-0{version}-02
approval:
  body: {_q(ALL)}
  date: 2024-0{version}-01
  minute: {_q(ALL)}"""
    (policies / "hostile").mkdir(exist_ok=True)
    (policies / "hostile" / f"v{version}.yaml").write_text(f"""\
policy: hostile
version: "{version}"
title: {_q(f"Title {version} 📱 " + ALL)}
category: cat
status: {status}
visibility: public{approval}
owner: {"lead" if version == "1" else "board"}
review:
  lead: lead
  next: {"2030-01-01" if version == "1" else "January 2030"}
  with_staff: Spring term 2024
  governors:
    {f"body: {_q('Governors ' + ALL)}" if version == "1" else "committee: board"}
    date: 2024-0{version}-01
signatories:
  - role: lead
    name: {_q(f"Signer {version} " + ALL)}
    date: 2024-0{version}-01
master_copy: {_q(f"Copy {version} " + ALL)}
history:
  - version: "0.{version}"
    description: {_q(f"Logged {version} " + ALL)}
scope:
  roles: [all-staff]
legislation: [law]
related: [{{title: {_q(ALL)}}}]
placeholders: {_q(["href", "amp", "class", "mark", ALL])}
summary: {_q(MULTILINE + ALL_TEXT)}
changes: {_q(MULTILINE + ALL_TEXT)}
keywords: {_q(list(PAYLOADS))}
based_on:
  publisher: {_q(ALL)}
  title: {_q(ALL)}
  version: "2024.1-beta"
  released: {"2023" if version == "1" else "March 2024"}
  changes: {_q(ALL)}
definitions:
  - term: {_q("Term " + ALL)}
    meaning: {_q(MULTILINE + ALL_TEXT)}
  - term: {_q("Group " + ALL)}
    id: everyone
    roles: [all-staff, lead]
    meaning: {_q("[" + ALL + "] href class amp")}
sections:
  - id: s1
    title: {_q(f"Section {version} " + ALL)}
    clauses:
{chr(10).join(clauses)}
    sections:
      - id: s1-sub
        title: {_q("Sub-section " + ALL)}
        clauses:
          - id: org
            holder: organisation
            obligation: may
            text: {_q("[" + ALL + "] href <a href=x class=mark>amp &amp; " + ALL_TEXT)}
            checklist: {_q(ALL)}
          - id: nobody
            holder: unnamed
            obligation: must
            text: {_q(ALL_TEXT)}
          - id: steps
            obligation: must
            applies_to: [lead]
            text: {_q(ALL_TEXT)}
            item_style: steps
            items:
              - {_q(ALL_TEXT)}
              - text: {_q("[" + ALL + "] " + ALL_TEXT)}
                obligation: {"must" if version == "1" else "should"}
                applies_to: [everyone]
                deadline: {_q(ALL)}
                checklist: {_q(ALL)}
          - id: either
            options:
              - text: {_q("[" + ALL + "] " + ALL_TEXT)}
                obligation: must
                items: {_q([ALL_TEXT])}
              - text: {_q(ALL_TEXT)}
            {"chosen: 2" if version == "2" else ""}{_added_section(version)}
  - id: s2
    title: {_q("Appendix " + ALL)}
    binding: false
    clauses:
      - id: guide
        text: {_q(ALL_TEXT)}
""", encoding="utf-8")


def record_payload_runs(page, ran: list[str], *, blank_frames: bool = False) -> None:
    """Append to ``ran`` every sign that a payload ran on a Playwright ``page``.

    A dialog, the console marker or a frame. ``blank_frames``: a blank frame
    is the theme's own (offline search runs in one), so it does not count.
    """
    page.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: MARKER in message.text and ran.append(f"console: {message.text}"))
    page.on("frameattached", lambda frame: (blank_frames and frame.url in ("", "about:blank"))
            or ran.append(f"frame: {frame.url}"))
