"""Checks the schema cannot express: references, cycles, dates, versions.

Each check reads the raw data of files that passed the schema and returns
located problems; nothing here raises.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from ..errors import Problem
from ..model import role_key, version_key
from ..urls import comparison_page, slug
from .assemble import find_placeholders
from .schema import did_you_mean
from .yaml_source import YamlFile

ROLE_FIELDS = ("applies_to", "responsible")
#: Anchors of a policy page (policy.md.j2, _version_picker.html.j2) besides
#: its clauses' ids, the ``section-<id>`` of its sections and, when it has
#: definitions, ``definitions``.
PAGE_ANCHORS = {"version-history", "compare-versions", "commitments"}


class Registry:
    """The ids defined in handbook.yaml that policies may refer to."""

    def __init__(self, settings: dict | None):
        #: False when handbook.yaml could not be read: references are not checked.
        self.known = isinstance(settings, dict)
        settings = settings if isinstance(settings, dict) else {}
        self.roles = _ids(settings.get("roles"))
        self.categories = _ids(settings.get("categories"))
        self.legislation = _ids(settings.get("legislation"))
        # Authors often type a role's familiar name ("safeguarding-lead");
        # suggesting by alias turns that into a one-word fix.
        self.role_aliases = {}
        for role in settings.get("roles") or ():
            if isinstance(role, dict) and isinstance(role.get("id"), str):
                for name in [role.get("name"), *(role.get("aliases") or ())]:
                    if isinstance(name, str):
                        self.role_aliases[slug(name)] = role["id"]

    def suggest_role(self, word: str) -> str:
        if slug(word) in self.role_aliases:
            return f"; did you mean '{self.role_aliases[slug(word)]}'?"
        return did_you_mean(word, self.roles)


def check_settings(doc: YamlFile) -> list[Problem]:
    """Duplicate ids, unknown includes and inheritance cycles in handbook.yaml."""
    data = doc.data
    problems: list[Problem] = []
    for key, what in (("roles", "role"), ("categories", "category"), ("legislation", "legislation")):
        problems += _duplicate_ids(doc, (key,), data.get(key) or [], what)
    registry = Registry(data)
    roles = data.get("roles") or []
    for index, role in enumerate(roles):
        for position, included in enumerate(role.get("includes") or ()):
            if included not in registry.roles:
                problems.append(doc.problem(
                    ("roles", index, "includes", position),
                    f"role '{role['id']}' includes unknown role '{included}'{registry.suggest_role(included)}",
                ))
            elif included == role["id"]:
                problems.append(doc.problem(("roles", index, "includes", position), f"role '{included}' includes itself: remove it"))
    problems += _cycles(doc, roles)
    problems += _role_names(doc, roles)
    for index, role in enumerate(roles):
        if role["id"] in RESERVED_ROLE_IDS:
            problems.append(doc.problem(("roles", index, "id"), f"role id '{role['id']}' is taken by the page that lists every role: choose another id"))
    for key in ("roles", "categories"):
        for index, item in enumerate(data.get(key) or ()):
            if _device_name(item["id"]):
                problems.append(doc.problem((key, index, "id"), _device_message(item["id"])))
    return problems


#: Names Windows keeps for devices: no file may be called con.html, on a shared drive either.
_DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def _device_name(ident: str) -> bool:
    return ident in _DEVICE_NAMES


def _device_message(ident: str) -> str:
    return f"'{ident}' is a device name on Windows, where its page ({ident}.html) cannot be saved: choose another id"


#: Role pages are roles/<id>.html, beside the roles index, roles/index.html.
RESERVED_ROLE_IDS = {"index"}


def _role_entries(role: dict, index: int):
    """(kind, text, location) for the id, name and each alias of one role."""
    yield "id", role["id"], ("roles", index, "id")
    yield "name", role["name"], ("roles", index, "name")
    for position, alias in enumerate(role.get("aliases") or ()):
        yield "alias", alias, ("roles", index, "aliases", position)


def _role_names(doc: YamlFile, roles: list) -> list[Problem]:
    """A role's id, name and aliases must each name that role alone.

    ``policybook checklist DSL`` finds a role by any of them: an alias equal
    to another role's id or name, or two roles with one name, would print the
    wrong role's duties. The problem is reported at the name or alias to
    change, never at an id (policies refer to ids).
    """
    problems = []
    seen: dict[str, tuple[int, str, str, tuple]] = {}
    for index, role in enumerate(roles):
        for entry in _role_entries(role, index):
            first = seen.setdefault(role_key(entry[1]), (index, *entry))
            own_id = entry[0] != "id" and role_key(entry[1]) == role["id"]
            if first[0] == index or (entry[0] == "id" and first[1] == "id") or own_id:
                continue  # the role's own repeat, a duplicate id (reported as such), or its own id (reported at the other)
            if entry[0] == "id":  # point at the earlier name or alias: ids are what policies use
                at, (kind, text, location) = first[0], first[1:]
                other, other_kind, other_location = index, entry[0], entry[2]
            else:
                at, (kind, text, location) = index, entry
                other, other_kind, other_location = first[0], first[1], first[3]
            line = doc.source.locate(other_location)[0]
            fix = "give each role its own name" if kind == other_kind == "name" else f"change or remove this {kind}"
            problems.append(doc.problem(
                location,
                f"{kind} '{text}' of role '{roles[at]['id']}' also names role '{roles[other]['id']}' "
                f"(its {other_kind}, line {line}), so looking the role up by it would find the wrong one: {fix}",
            ))
    return problems


def role_lookalikes(doc: YamlFile) -> list[Problem]:
    """Warnings for role names and aliases that differ from another role's only in look-alike letters.

    "Tеacher" with a Cyrillic е is a different role from "Teacher" to the
    computer, and the same one to a reader. Not an error: a name in another
    script may be meant.
    """
    roles = doc.data.get("roles") or []
    warnings = []
    seen: dict[str, tuple[int, str, tuple]] = {}
    for index, role in enumerate(roles):
        for kind, text, location in _role_entries(role, index):
            first = seen.setdefault(_skeleton(text), (index, text, location))
            if first[0] != index and role_key(first[1]) != role_key(text):
                line = doc.source.locate(first[2])[0]
                warnings.append(doc.problem(
                    location,
                    f"warning: {kind} '{text}' of role '{role['id']}' looks like '{first[1]}' of role "
                    f"'{roles[first[0]]['id']}' (line {line}) but differs in a look-alike letter "
                    f"({_foreign_letters(text) or 'a letter from another alphabet'}): retype it if it is not meant",
                ))
    return warnings


# Letters of other alphabets that look like Latin ones, the common cases of
# Unicode's confusables list (UTS #39), and invisible characters.
_CONFUSABLES = str.maketrans({
    # Cyrillic а в е і ј к м н о р с ѕ т у х ԁ ԛ ԝ һ ӏ, Greek α ε ι κ ν ο ρ τ υ χ, Latin ɡ ı
    **dict(zip("\u0430\u0432\u0435\u0456\u0458\u043a\u043c\u043d\u043e\u0440\u0441\u0455\u0442\u0443\u0445\u0501\u051b\u051d\u04bb\u04cf\u03b1\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7\u0261\u0131",
               "abeijkmhopcstyxdqwhlaeikvoptuxgi")),
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})


def _skeleton(text: str) -> str:
    return unicodedata.normalize("NFKC", role_key(text)).casefold().translate(_CONFUSABLES)


def _foreign_letters(text: str) -> str:
    """The characters of ``text`` that are not plain Latin letters, named: "CYRILLIC SMALL LETTER IE"."""
    names = [unicodedata.name(char, f"U+{ord(char):04X}") for char in dict.fromkeys(text)
             if not char.isascii() and (not char.isalpha() or "LATIN" not in unicodedata.name(char, ""))]
    return ", ".join(names)


def _cycles(doc: YamlFile, roles: list) -> list[Problem]:
    """Include loops, found by one depth-first walk (linear in roles and includes).

    Walking every path instead would take exponential time on a lattice of
    roles that include one another in layers, and hang the build.
    """
    graph = {role["id"]: [r for r in role.get("includes") or () if r != role["id"]] for role in roles}
    where = {role["id"]: index for index, role in enumerate(roles)}
    state: dict[str, str] = {}  # "open" while on the current path, then "done"
    problems = []
    for start in graph:
        if start in state:
            continue
        path: list[str] = [start]
        state[start] = "open"
        branches = [iter(graph[start])]
        while branches:
            nxt = next(branches[-1], None)
            if nxt is None:
                state[path.pop()] = "done"
                branches.pop()
            elif nxt not in graph or state.get(nxt) == "done":
                continue
            elif state.get(nxt) == "open":
                loop = path[path.index(nxt):]
                problems.append(doc.problem(
                    ("roles", where[nxt], "includes"),
                    f"roles include each other in a loop ({' -> '.join([*loop, nxt])}): remove one of the includes",
                ))
            else:
                state[nxt] = "open"
                path.append(nxt)
                branches.append(iter(graph[nxt]))
    return problems


def check_version(doc: YamlFile, path: Path, registry: Registry, policy_ids: set[str]) -> list[Problem]:
    """References, ids and dates inside one policy version file."""
    data = doc.data
    problems: list[Problem] = []

    folder = path.parent.name
    if _device_name(data["policy"]):
        problems.append(doc.problem(("policy",), _device_message(data["policy"])))
    if data["policy"] != folder:
        problems.append(doc.problem(
            ("policy",),
            f"policy id '{data['policy']}' does not match its folder '{folder}': "
            f"every version of a policy lives in policies/<policy-id>/; fix the id or move the file",
        ))
    expected_name = f"v{data['version']}"
    if path.stem != expected_name:
        problems.append(doc.problem(
            ("version",),
            f"version \"{data['version']}\" is in a file named '{path.name}': rename the file to {expected_name}{path.suffix}",
        ))

    terms = _term_ids(doc, data, registry, problems)

    def role_ref(location, role_id, term_allowed=False):
        if term_allowed and role_id in terms:
            return
        if registry.known and role_id not in registry.roles:
            problems.append(doc.problem(location, f"unknown role '{role_id}'{registry.suggest_role(role_id)} (roles are defined in handbook.yaml)"))

    if registry.known and data["category"] not in registry.categories:
        problems.append(doc.problem(("category",), f"unknown category '{data['category']}'{did_you_mean(data['category'], registry.categories)} (categories are defined in handbook.yaml)"))
    role_ref(("owner",), data["owner"])
    if (data.get("review") or {}).get("lead"):
        role_ref(("review", "lead"), data["review"]["lead"])
    for index, role_id in enumerate(data["scope"]["roles"]):
        role_ref(("scope", "roles", index), role_id, term_allowed=True)
    for index, definition in enumerate(data.get("definitions") or ()):
        for position, role_id in enumerate(definition.get("roles") or ()):
            role_ref(("definitions", index, "roles", position), role_id)
    for index, policy_id in enumerate(data.get("related") or ()):
        if not isinstance(policy_id, str):
            continue  # {title: ...}: a policy not in the handbook, shown without a link
        if policy_id == data["policy"]:
            problems.append(doc.problem(("related", index), "a policy cannot be related to itself: remove it"))
        elif policy_id not in policy_ids:
            problems.append(doc.problem(
                ("related", index),
                f"unknown policy '{policy_id}'{did_you_mean(policy_id, policy_ids)} "
                f"(a policy id is the name of its folder: {', '.join(sorted(policy_ids))})",
            ))
    for index, law in enumerate(data.get("legislation") or ()):
        if registry.known and law not in registry.legislation:
            problems.append(doc.problem(("legislation", index), f"unknown legislation '{law}'{did_you_mean(law, registry.legislation)} (add it to the legislation register in handbook.yaml)"))

    sections = list(walk_sections(data))
    problems += _duplicate_section_ids(doc, sections)
    clauses = [
        ((*location, "clauses", c), clause)
        for location, section in sections
        for c, clause in enumerate(section.get("clauses") or ())
    ]
    problems += _structure_problems(doc, data, sections, clauses)
    seen: dict[str, tuple] = {}
    section_anchors = {f"section-{section['id']}" for _, section in sections}
    page_anchors = PAGE_ANCHORS | ({"definitions"} if data.get("definitions") else set())
    for location, clause in clauses:
        if clause["id"] in page_anchors or clause["id"] in section_anchors:
            problems.append(doc.problem(
                (*location, "id"),
                f"clause id '{clause['id']}' is taken by the policy page's own "
                f"{'section heading' if clause['id'] in section_anchors else 'heading'} "
                f"(each clause is linked as #{clause['id']}): choose another id",
            ))
        first = seen.setdefault(clause["id"], location)
        if first is not location:
            line = doc.source.locate((*first, "id"))[0]
            problems.append(doc.problem((*location, "id"), f"clause id '{clause['id']}' is used twice in this version (first at line {line}): give each clause its own id"))
        for field in ROLE_FIELDS:
            for index, role_id in enumerate(clause.get(field) or ()):
                role_ref((*location, field, index), role_id, term_allowed=True)
            for position, item in enumerate(clause.get("items") or ()):
                for index, role_id in enumerate(item.get(field) or () if isinstance(item, dict) else ()):
                    role_ref((*location, "items", position, field, index), role_id, term_allowed=True)
        if clause.get("item_style") and not clause.get("items"):
            problems.append(doc.problem((*location, "item_style"), "item_style is set but the clause has no items: add items or remove item_style"))

    terms: dict[str, int] = {}
    for index, definition in enumerate(data.get("definitions") or ()):
        term = definition["term"].strip().lower()
        if term in terms:
            problems.append(doc.problem(("definitions", index, "term"), f"'{definition['term']}' is defined twice: merge the definitions"))
        terms.setdefault(term, index)

    problems += _date_problems(doc, data)
    return problems


def walk_sections(data: dict):
    """``(location, section)`` for every section and sub-section, in reading order."""
    pending = [(("sections", index), section) for index, section in enumerate(data["sections"])][::-1]
    while pending:
        location, section = pending.pop()
        yield location, section
        subs = section.get("sections") or ()
        pending.extend([((*location, "sections", index), sub) for index, sub in enumerate(subs)][::-1])


def _duplicate_section_ids(doc: YamlFile, sections) -> list[Problem]:
    problems, seen = [], {}
    for location, section in sections:
        first = seen.setdefault(section["id"], location)
        if first is not location:
            first_line = doc.source.locate((*first, "id"))[0]
            problems.append(doc.problem((*location, "id"), f"section id '{section['id']}' is used twice (first at line {first_line}): ids must be unique"))
    return problems


def _term_ids(doc: YamlFile, data: dict, registry: Registry, problems: list[Problem]) -> set[str]:
    """Ids of the terms this policy defines as groups of roles; mistakes go to ``problems``."""
    terms = set()
    for index, definition in enumerate(data.get("definitions") or ()):
        ident, roles = definition.get("id"), definition.get("roles")
        if bool(ident) != bool(roles):
            missing = "roles" if ident else "id"
            problems.append(doc.problem(("definitions", index), f"term '{definition['term']}' has {'an id' if ident else 'roles'} but no {missing}: "
                                        f"a term that clauses name in applies_to needs both its id and the roles it covers"))
        elif ident in registry.roles:
            problems.append(doc.problem(("definitions", index, "id"), f"term id '{ident}' is also a role in handbook.yaml, so applies_to: [{ident}] "
                                        "would mean two things: give the term another id"))
        elif ident:
            terms.add(ident)
    return terms


def _structure_problems(doc: YamlFile, data: dict, sections, clauses) -> list[Problem]:
    """Empty sections, numbers, options and holders: what the schema cannot say."""
    problems = []
    numbering = data.get("numbering", "derived")
    numbers: dict[str, tuple] = {}
    for location, item in [*sections, *clauses]:
        number = item.get("number")
        if number is None:
            continue
        if numbering != "source":
            problems.append(doc.problem((*location, "number"), f"number '{number}' is only used with numbering: source (this policy's numbers are "
                                        f"{'derived from the order' if numbering == 'derived' else 'not shown'}): set numbering: source, or remove it"))
            continue
        kind = "sections" if location[-2] == "sections" else "clauses"
        first = numbers.setdefault(f"{kind}:{number}", location)
        if first is not location:
            problems.append(doc.problem((*location, "number"), f"number '{number}' is given twice (first at line {doc.source.locate((*first, 'number'))[0]}): "
                                        "each clause needs its own number to be cited by"))
    for location, section in sections:
        if not section.get("clauses") and not section.get("sections"):
            problems.append(doc.problem(location, f"section '{section['id']}' has no clauses: add clauses, or sub-sections under sections:"))
    for location, clause in clauses:
        options = clause.get("options")
        if options:
            for key in ("text", "obligation", "items"):
                if key in clause:
                    problems.append(doc.problem((*location, key), f"the clause has options, so {key} belongs in each option: move it into the options"))
            if clause.get("chosen") and clause["chosen"] > len(options):
                problems.append(doc.problem((*location, "chosen"), f"chosen: {clause['chosen']} but there are {len(options)} options: choose 1 to {len(options)}"))
        elif "text" not in clause:
            problems.append(doc.problem(location, f"missing required field 'text' in {_clause_field(location)}"))
        elif "chosen" in clause:
            problems.append(doc.problem((*location, "chosen"), "chosen is set but the clause has no options: remove chosen, or list the options"))
        if clause.get("holder"):
            if clause.get("applies_to"):
                problems.append(doc.problem((*location, "holder"), f"holder: {clause['holder']} and applies_to both say who the duty falls on: keep one"))
            has_obligation = clause.get("obligation") or any(o.get("obligation") for o in options or ())
            if not has_obligation:
                problems.append(doc.problem((*location, "holder"), "holder is set but the clause has no obligation: add one (must, may...), or remove holder"))
    return problems


def _clause_field(location: tuple) -> str:
    """``sections[2].clauses[3]``, counting from 1 as the schema's messages do."""
    return "".join(f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if index else part) for index, part in enumerate(location))


def structure_warnings(doc: YamlFile) -> list[Problem]:
    """Unresolved alternatives and unfilled placeholders: the build goes on, the page marks them."""
    data = doc.data
    declared = tuple(data.get("placeholders") or ())
    warnings = []
    for location, section in walk_sections(data):
        for index, clause in enumerate(section.get("clauses") or ()):
            options = clause.get("options") or ()
            if not (options or declared or "[" in clause.get("text", "") or any("[" in str(item) for item in clause.get("items") or ())):
                continue  # nearly every clause: no alternatives, and no bracket that could be a blank
            at = (*location, "clauses", index)
            if options and not clause.get("chosen"):
                warnings.append(doc.problem((*at, "options"), f"warning: clause '{clause['id']}' still offers {len(options)} alternative wordings: "
                                            "it is shown as unresolved and places no duty until you choose one with chosen: <option number>"))
            # The page marks the blanks of the wording in force, or of every option while none is chosen.
            chosen = clause.get("chosen")
            shown = [options[chosen - 1]] if options and chosen and chosen <= len(options) else options
            items = [item if isinstance(item, str) else item["text"] for item in clause.get("items") or ()]
            texts = [clause.get("text") or "", *items, *(o["text"] for o in shown), *(i for o in shown for i in o.get("items") or ())]
            for blank in find_placeholders(texts, declared):
                warnings.append(doc.problem(at, f"warning: clause '{clause['id']}' holds the unfilled placeholder '{blank}': "
                                            "replace it with the school's own wording (write \\[ to show a bracket that is not a blank)"))
    return warnings


FIRST_YEAR, LAST_YEAR = 1900, 2199
DATE_FIELDS = (("effective",), ("approval", "date"), ("review", "next"))


def _date_problems(doc: YamlFile, data: dict) -> list[Problem]:
    problems = []
    for location in DATE_FIELDS:
        value = data
        for part in location:
            value = value.get(part) if isinstance(value, dict) else None
        found = _date(value)
        if found and not FIRST_YEAR <= found.year <= LAST_YEAR:
            # Review dates are worked out from these; year 9999 would overflow.
            problems.append(doc.problem(location, f"{'.'.join(location)}: the year {found.year} cannot be right: check the date"))
    if problems:
        return problems
    effective = _date(data.get("effective"))
    approved = _date((data.get("approval") or {}).get("date"))
    next_review = _date((data.get("review") or {}).get("next"))
    status = data["status"]
    if status in ("adopted", "superseded") and effective is None:
        problems.append(doc.problem((), f"an {status} version needs an 'effective' date: when did it come into force?", key=False))
    if status == "adopted" and not data.get("approval"):
        problems.append(doc.problem(("status",), "an adopted version needs 'approval' (body and date): who approved it, and when?"))
    if approved and effective and approved > effective:
        problems.append(doc.problem(("approval", "date"), f"approved on {approved} but effective from {effective}: a version cannot come into force before it is approved"))
    if next_review and effective and next_review <= effective:
        problems.append(doc.problem(("review", "next"), f"next review {next_review} is not after the effective date {effective}"))
    return problems


def check_policy_history(docs: list[tuple[Path, YamlFile]]) -> list[Problem]:
    """Across the versions of one policy: duplicates, adoption, ordering."""
    problems: list[Problem] = []
    # Shortest label first among equals: "01" is reported beside "1".
    ordered = sorted(docs, key=lambda item: (version_key(item[1].data["version"].casefold()), len(item[1].data["version"]), item[1].data["version"]))
    by_version: dict[tuple, YamlFile] = {}
    for _, doc in ordered:
        version = doc.data["version"]
        # "01" and "1" sort as one number, and "2A" and "2a" are one file
        # name on Windows and macOS drives: each is the same version twice.
        same = by_version.setdefault(version_key(version.casefold()), doc)
        if same is not doc:
            shown = "" if same.data["version"] == version else f" (as \"{same.data['version']}\")"
            problems.append(doc.problem(("version",), f"version \"{version}\" also appears in {same.path}{shown}: each version needs its own number"))
    if problems:
        return problems  # the order of the versions below would be in doubt
    problems += _comparison_collisions([doc for _, doc in ordered])

    adopted = [doc for _, doc in ordered if doc.data["status"] == "adopted"]
    for extra in adopted[1:]:
        problems.append(extra.problem(
            ("status",),
            f"policy '{extra.data['policy']}' has more than one adopted version (also {adopted[0].path}): "
            "mark the older one superseded",
        ))
    if adopted:
        position = [doc for _, doc in ordered].index(adopted[0])
        for _, doc in ordered[position + 1:]:
            if doc.data["status"] == "superseded":
                problems.append(doc.problem(("status",), f"version \"{doc.data['version']}\" is superseded but comes after the adopted version \"{adopted[0].data['version']}\": check the version numbers"))
        for _, doc in ordered[:position]:
            if doc.data["status"] == "draft":
                problems.append(doc.problem(("status",), f"draft version \"{doc.data['version']}\" is older than the adopted version \"{adopted[0].data['version']}\": give the draft a higher version number, or mark it superseded"))

    previous = None
    for _, doc in ordered:
        effective = _date(doc.data.get("effective"))
        if effective is None:
            continue
        if previous and effective < previous[1]:
            problems.append(doc.problem(("effective",), f"version \"{doc.data['version']}\" takes effect on {effective}, before the earlier version \"{previous[0]}\" ({previous[1]}): check the dates or the version numbers"))
        previous = (doc.data["version"], effective)
    return problems


def check_policies(by_policy: dict[str, list[tuple[Path, YamlFile]]]) -> tuple[list[Problem], list[Problem]]:
    """Across policies: titles, and related policies that are withdrawn.

    Returns:
        The problems, and the warnings (likely mistakes that a sensible
        handbook may hold for a while).
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    current = {policy_id: _current(docs) for policy_id, docs in sorted(by_policy.items())}
    withdrawn = {policy_id for policy_id, doc in current.items() if doc.data["status"] == "withdrawn"}

    # A withdrawn policy may leave its title to the policy that replaces it.
    titles: dict[str, YamlFile] = {}
    for policy_id, doc in current.items():
        if policy_id in withdrawn:
            continue
        title = " ".join(doc.data["title"].split())
        first = titles.setdefault(title.casefold(), doc)
        if first is doc:
            continue
        where = f"policy '{first.data['policy']}' ({first.path}, line {first.source.locate(('title',))[0]})"
        if " ".join(first.data["title"].split()) == title:
            problems.append(doc.problem(("title",), f"title '{title}' is also the title of {where}: give each policy its own title"))
        else:
            warnings.append(doc.problem(("title",), f"warning: title '{title}' differs only in capitals from '{first.data['title']}' of {where}: readers will take them for one policy"))

    for docs in by_policy.values():
        for _, doc in docs:
            status = doc.data["status"]
            if status == "draft" and doc.data.get("approval"):
                warnings.append(doc.problem(
                    ("approval",),
                    "warning: a draft is not approved yet: its page shows this approval as planned; "
                    "set status: adopted once it is approved",
                ))
            if status in ("adopted", "draft"):
                for index, other in enumerate(doc.data.get("related") or ()):
                    if isinstance(other, str) and other in withdrawn:
                        warnings.append(doc.problem(
                            ("related", index),
                            f"warning: related policy '{other}' has been withdrawn, and is no longer linked: "
                            "remove it from related in the next version",
                        ))
    return problems, warnings


def _current(docs: list[tuple[Path, YamlFile]]) -> YamlFile:
    """The version a policy's page shows: the adopted one, else the newest (as ``Policy.current``)."""
    ordered = sorted((doc for _, doc in docs), key=lambda doc: version_key(doc.data["version"]))
    return next((doc for doc in ordered if doc.data["status"] == "adopted"), ordered[-1])


def _comparison_collisions(ordered: list[YamlFile]) -> list[Problem]:
    """Versions whose comparison pages would share an address.

    The page comparing "1-v2" with "3" and the one comparing "1" with "2-v3"
    are both ``compare-v1-v2-v3``: only a version holding "-v" can do this.
    """
    versions = [doc.data["version"] for doc in ordered]
    if not any("-v" in version.casefold() for version in versions):
        return []
    problems, pages = [], {}
    for new in range(len(versions)):
        for old in range(new):
            page = comparison_page("x", versions[old], versions[new]).casefold()
            first = pages.setdefault(page, (old, new))
            if first != (old, new):
                shown = " and ".join(f'"{versions[a]}" with "{versions[b]}"' for a, b in (first, (old, new)))
                problems.append(ordered[new].problem(
                    ("version",),
                    f"the comparisons of {shown} would have the same address ({page.rpartition('/')[2]}): "
                    "write the version without \"-v\", e.g. with a dot",
                ))
    return problems


def _duplicate_ids(doc: YamlFile, path: tuple, items: list, what: str) -> list[Problem]:
    problems, seen = [], {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        if item["id"] in seen:
            first_line = doc.source.locate((*path, seen[item["id"]], "id"))[0]
            problems.append(doc.problem((*path, index, "id"), f"{what} id '{item['id']}' is used twice (first at line {first_line}): ids must be unique"))
        seen.setdefault(item["id"], index)
    return problems


def _ids(items) -> set[str]:
    return {item["id"] for item in items or () if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None

