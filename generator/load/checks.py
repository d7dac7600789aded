"""Checks the schema cannot express: references, cycles, dates, versions.

Each check reads the raw data of a file and returns located problems;
nothing here raises. Files that failed the schema are checked too, so one
run reports every problem: each check looks only at the values that are
well-formed (an id that is an id, a list that is a list) and leaves the rest
to the schema's messages, which name them already.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from ..dates import ACCEPTED_FORMS, DateOrder, PolicyDate, parse_date
from ..errors import Problem
from ..model import role_key, version_key
from ..urls import comparison_page, slug
from ..words import article
from .assemble import find_placeholders, version_texts
from .schema import did_you_mean, field_name, is_line
from .yaml_source import YamlFile

ROLE_FIELDS = ("applies_to", "responsible")
#: Anchors of a policy page (policy.md.j2, _version_picker.html.j2) besides
#: its clauses' ids, the ``section-<id>`` of its sections and, when it has
#: definitions, ``definitions``.
PAGE_ANCHORS = {"version-history", "compare-versions", "commitments"}


_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VERSION = re.compile(r"[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*")
STATUSES = ("draft", "adopted", "superseded", "withdrawn")


def is_id(value) -> bool:
    """An id as the schema allows it: checks follow only these, the schema reports the others."""
    return type(value) is str and _id_text(value)


@functools.lru_cache(maxsize=4096)
def _id_text(value: str) -> bool:
    # A handbook repeats a few hundred ids (roles, clause ids across versions) many thousand times.
    return len(value) <= 100 and _ID.fullmatch(value) is not None


def _is_version(value) -> bool:
    return isinstance(value, str) and len(value) <= 40 and _VERSION.fullmatch(value) is not None


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _entries(value):
    """(index, item) for each item of a list; nothing for anything else, which is the schema's to report."""
    return enumerate(value) if type(value) is list else ()


def _mappings(value) -> list[tuple[int, dict]]:
    return [(index, item) for index, item in _entries(value) if isinstance(item, dict)]


def _ids_at(value) -> list[tuple[int, str]]:
    """(index, id) for the ids of a list of ids."""
    return [(index, item) for index, item in _entries(value) if is_id(item)]


class Registry:
    """The ids defined in handbook.yaml that policies may refer to."""

    def __init__(self, settings: dict | None):
        # A list is known only when every entry has a proper id: references
        # into a broken list (or an unreadable handbook.yaml) would all look
        # unknown, so one mistake would give a message at every reference.
        readable = isinstance(settings, dict)
        settings = settings if readable else {}
        self.known_roles = readable and _complete(settings.get("roles"))
        self.known_categories = readable and _complete(settings.get("categories"))
        self.known_legislation = readable and _complete(settings.get("legislation"), optional=True)
        self.roles = _ids(settings.get("roles"))
        self.categories = _ids(settings.get("categories"))
        self.legislation = _ids(settings.get("legislation"))
        self.known_committees = readable and _complete(settings.get("committees"), optional=True)
        self.committees = _ids(settings.get("committees"))
        self.date_order = DateOrder.setting(settings.get("date_order"))
        # Authors often type a role's familiar name ("safeguarding-lead");
        # suggesting by alias turns that into a one-word fix.
        self.role_aliases = {}
        for _, role in _mappings(settings.get("roles")):
            if is_id(role.get("id")):
                for name in [role.get("name"), *(role.get("aliases") if isinstance(role.get("aliases"), list) else ())]:
                    if isinstance(name, str):
                        self.role_aliases[slug(name)] = role["id"]

    @property
    def known(self) -> bool:
        """Whether handbook.yaml's roles, categories and legislation could all be read."""
        return self.known_roles and self.known_categories and self.known_legislation

    def suggest_role(self, word: str) -> str:
        if slug(word) in self.role_aliases:
            return f"; did you mean '{self.role_aliases[slug(word)]}'?"
        return did_you_mean(word, self.roles)


def _complete(items, *, optional: bool = False) -> bool:
    if items is None:
        return optional
    return isinstance(items, list) and all(isinstance(item, dict) and is_id(item.get("id")) for item in items)


def _roles(data: dict) -> list[tuple[int, dict]]:
    """The roles of handbook.yaml that have a proper id and name: the ones the role checks can read."""
    return [(index, role) for index, role in _mappings(data.get("roles")) if is_id(role.get("id")) and is_line(role.get("name"))]


def check_settings(doc: YamlFile) -> list[Problem]:
    """Duplicate ids, unknown includes and inheritance cycles in handbook.yaml."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    problems: list[Problem] = []
    for key, what in (("roles", "role"), ("categories", "category"), ("legislation", "legislation"),
                      ("committees", "committee")):
        problems += _duplicate_ids(doc, (key,), data.get(key), what)
    registry = Registry(data)
    for index, committee in _mappings(data.get("committees")):
        # An owner names a role or a committee by id: one id must not name both.
        if is_id(committee.get("id")) and committee["id"] in registry.roles:
            problems.append(doc.problem(("committees", index, "id"), f"committee id '{committee['id']}' is also the id of a role: give the committee its own id"))
    roles = _roles(data)
    for index, role in roles:
        for position, included in _ids_at(role.get("includes")):
            if not registry.known_roles:
                continue
            if included not in registry.roles:
                problems.append(doc.problem(
                    ("roles", index, "includes", position),
                    f"role '{role['id']}' includes unknown role '{included}'{registry.suggest_role(included)}",
                ))
            elif included == role["id"]:
                problems.append(doc.problem(("roles", index, "includes", position), f"role '{included}' includes itself: remove it"))
    problems += _cycles(doc, roles)
    problems += _role_names(doc, roles)
    for index, role in roles:
        if role["id"] in RESERVED_ROLE_IDS:
            problems.append(doc.problem(("roles", index, "id"), f"role id '{role['id']}' is taken by the page that lists every role: choose another id"))
    for key in ("roles", "categories"):
        for index, item in _mappings(data.get(key)):
            if is_id(item.get("id")) and _device_name(item["id"]):
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
    """(kind, text, location) for the id, name and each alias of one role (aliases that are one line of text)."""
    yield "id", role["id"], ("roles", index, "id")
    yield "name", role["name"], ("roles", index, "name")
    for position, alias in _entries(role.get("aliases")):
        if is_line(alias):
            yield "alias", alias, ("roles", index, "aliases", position)


def _role_names(doc: YamlFile, roles: list[tuple[int, dict]]) -> list[Problem]:
    """A role's id, name and aliases must each name that role alone.

    ``policybook checklist DSL`` finds a role by any of them: an alias equal
    to another role's id or name, or two roles with one name, would print the
    wrong role's duties. The problem is reported at the name or alias to
    change, never at an id (policies refer to ids).
    """
    problems = []
    by_index = dict(roles)
    seen: dict[str, tuple[int, str, str, tuple]] = {}
    for index, role in roles:
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
                f"{kind} '{text}' of role '{by_index[at]['id']}' also names role '{by_index[other]['id']}' "
                f"(its {other_kind}, line {line}), so looking the role up by it would find the wrong one: {fix}",
            ))
    return problems


def role_lookalikes(doc: YamlFile) -> list[Problem]:
    """Warnings for role names and aliases that differ from another role's only in look-alike letters.

    "Tеacher" with a Cyrillic е is a different role from "Teacher" to the
    computer, and the same one to a reader. Not an error: a name in another
    script may be meant.
    """
    roles = _roles(doc.data) if isinstance(doc.data, dict) else []
    by_index = dict(roles)
    warnings = []
    seen: dict[str, tuple[int, str, tuple]] = {}
    for index, role in roles:
        for kind, text, location in _role_entries(role, index):
            first = seen.setdefault(_skeleton(text), (index, text, location))
            if first[0] != index and role_key(first[1]) != role_key(text):
                line = doc.source.locate(first[2])[0]
                warnings.append(doc.problem(
                    location,
                    f"warning: {kind} '{text}' of role '{role['id']}' looks like '{first[1]}' of role "
                    f"'{by_index[first[0]]['id']}' (line {line}) but differs in a look-alike letter "
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


def _cycles(doc: YamlFile, roles: list[tuple[int, dict]]) -> list[Problem]:
    """Include loops, found by one depth-first walk (linear in roles and includes).

    Walking every path instead would take exponential time on a lattice of
    roles that include one another in layers, and hang the build.
    """
    graph = {role["id"]: [r for _, r in _ids_at(role.get("includes")) if r != role["id"]] for _, role in roles}
    where = {role["id"]: index for index, role in roles}
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
    if not isinstance(data, dict):
        return problems

    folder = path.parent.name
    if is_id(data.get("policy")) and _device_name(data["policy"]):
        problems.append(doc.problem(("policy",), _device_message(data["policy"])))
    if is_id(data.get("policy")) and data["policy"] != folder:
        problems.append(doc.problem(
            ("policy",),
            f"policy id '{data['policy']}' does not match its folder '{folder}': "
            f"every version of a policy lives in policies/<policy-id>/; fix the id or move the file",
        ))
    expected_name = f"v{data.get('version')}"
    if _is_version(data.get("version")) and path.stem != expected_name:
        problems.append(doc.problem(
            ("version",),
            f"version \"{data['version']}\" is in a file named '{path.name}': rename the file to {expected_name}{path.suffix}",
        ))

    terms = _term_ids(doc, data, registry, problems)

    def role_ref(location, role_id, term_allowed=False):
        # Membership first: nearly every reference is a known role (a str, so hashable).
        if type(role_id) is not str or role_id in registry.roles or (term_allowed and role_id in terms):
            return
        if registry.known_roles and is_id(role_id):
            problems.append(doc.problem(location, f"unknown role '{role_id}'{registry.suggest_role(role_id)} (roles are defined in handbook.yaml)"))

    if registry.known_categories and is_id(data.get("category")) and data["category"] not in registry.categories:
        problems.append(doc.problem(("category",), f"unknown category '{data['category']}'{did_you_mean(data['category'], registry.categories)} (categories are defined in handbook.yaml)"))
    owner = data.get("owner")
    if not (type(owner) is str and owner in registry.committees):
        role_ref(("owner",), owner)
    for where in (("approval",), ("review", "governors")):
        problems += _body_problems(doc, where, registry)
    for index, signatory in _mappings(data.get("signatories")):
        role_ref(("signatories", index, "role"), signatory.get("role"))
    problems += _log_problems(doc, data)
    role_ref(("review", "lead"), _mapping(data.get("review")).get("lead"))
    for index, role_id in _entries(_mapping(data.get("scope")).get("roles")):
        role_ref(("scope", "roles", index), role_id, term_allowed=True)
    for index, definition in _mappings(data.get("definitions")):
        for position, role_id in _entries(definition.get("roles")):
            role_ref(("definitions", index, "roles", position), role_id)
    # A {title: ...} entry is a policy not in the handbook, shown without a link.
    for index, policy_id in _ids_at(data.get("related")):
        if policy_id == data.get("policy"):
            problems.append(doc.problem(("related", index), "a policy cannot be related to itself: remove it"))
        elif policy_id not in policy_ids:
            problems.append(doc.problem(
                ("related", index),
                f"unknown policy '{policy_id}'{did_you_mean(policy_id, policy_ids)} "
                f"(a policy id is the name of its folder: {', '.join(sorted(policy_ids))})",
            ))
    for index, law in _ids_at(data.get("legislation")):
        if registry.known_legislation and law not in registry.legislation:
            problems.append(doc.problem(("legislation", index), f"unknown legislation '{law}'{did_you_mean(law, registry.legislation)} (add it to the legislation register in handbook.yaml)"))

    sections = list(walk_sections(data))
    problems += _duplicate_section_ids(doc, sections)
    clauses = [
        ((*location, "clauses", c), clause)
        for location, section in sections
        for c, clause in _mappings(section.get("clauses"))
    ]
    problems += _structure_problems(doc, data, sections, clauses)
    seen: dict[str, tuple] = {}
    section_anchors = {f"section-{section['id']}" for _, section in sections if is_id(section.get("id"))}
    # Headings shown only when their field is set: a clause id taken before the field existed stays valid.
    page_anchors = (PAGE_ANCHORS | ({"definitions"} if data.get("definitions") else set())
                    | ({"amendment-record"} if data.get("amendments") else set()))
    for location, clause in clauses:
        for field in ROLE_FIELDS:
            for index, role_id in _entries(clause.get(field)):
                role_ref((*location, field, index), role_id, term_allowed=True)
            for position, item in _mappings(clause.get("items")):
                for index, role_id in _entries(item.get(field)):
                    role_ref((*location, "items", position, field, index), role_id, term_allowed=True)
        if clause.get("item_style") and not clause.get("items"):
            problems.append(doc.problem((*location, "item_style"), "item_style is set but the clause has no items: add items or remove item_style"))
        if not is_id(clause.get("id")):
            continue
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

    problems += _amendment_problems(doc, data, set(seen))

    defined: dict[str, int] = {}
    for index, definition in _mappings(data.get("definitions")):
        if not is_line(definition.get("term")):
            continue
        term = definition["term"].strip().lower()
        if term in defined:
            problems.append(doc.problem(("definitions", index, "term"), f"'{definition['term']}' is defined twice: merge the definitions"))
        defined.setdefault(term, index)

    problems += _date_problems(doc, data, registry.date_order)
    return problems


def _body_problems(doc: YamlFile, where: tuple, registry: Registry) -> list[Problem]:
    """An approval or governors' review names its body in words or by committee id: exactly one."""
    record = doc.data
    for part in where:
        record = record.get(part) if isinstance(record, dict) else None
    if not isinstance(record, dict):
        return []
    name = ".".join(where)
    if "body" in record and "committee" in record:
        return [doc.problem((*where, "committee"), f"{name} gives both body and committee: keep one (committee names a committee in handbook.yaml)", key=True)]
    if "committee" in record:
        committee = record["committee"]
        if registry.known_committees and is_id(committee) and committee not in registry.committees:
            known = f" (committees: {', '.join(sorted(registry.committees))})" if registry.committees else " (add it under committees: in handbook.yaml)"
            return [doc.problem((*where, "committee"), f"unknown committee '{committee}'{did_you_mean(committee, registry.committees)}{known}")]
        return []
    if "body" not in record:
        return [doc.problem(where, f"{name} needs 'body' (who, in words) or 'committee' (a committee id from handbook.yaml)")]
    return []


def _amendment_problems(doc: YamlFile, data: dict, clause_ids: set[str]) -> list[Problem]:
    """An amendment names a clause of this very version, or none (``page:`` says where)."""
    problems = []
    for index, amendment in _mappings(data.get("amendments")):
        clause_id = amendment.get("clause")
        if is_id(clause_id) and clause_id not in clause_ids:
            problems.append(doc.problem(("amendments", index, "clause"),
                                        f"amendments[{index + 1}]: unknown clause '{clause_id}'{did_you_mean(clause_id, clause_ids)} "
                                        "(an amendment names a clause of this version by its id, or says where with page:)"))
    return problems


def _log_problems(doc: YamlFile, data: dict) -> list[Problem]:
    """The version log records earlier versions, each once."""
    problems, seen = [], {}
    version = data.get("version")
    if not _is_version(version):
        return problems
    for index, row in _mappings(data.get("history")):
        logged = row.get("version")
        if not _is_version(logged):
            continue
        if version_key(logged.casefold()) >= version_key(version.casefold()):
            problems.append(doc.problem(("history", index, "version"), f"history lists version \"{logged}\", which is not older than this version \"{version}\": the log records earlier versions only"))
        first = seen.setdefault(version_key(logged.casefold()), index)
        if first != index:
            line = doc.source.locate(("history", first, "version"))[0]
            problems.append(doc.problem(("history", index, "version"), f"history lists version \"{logged}\" twice (first at line {line}): merge the rows"))
    return problems


def walk_sections(data: dict):
    """``(location, section)`` for every section and sub-section, in reading order."""
    pending = [(("sections", index), section) for index, section in _mappings(data.get("sections"))][::-1]
    while pending:
        location, section = pending.pop()
        yield location, section
        pending.extend([((*location, "sections", index), sub) for index, sub in _mappings(section.get("sections"))][::-1])


def _duplicate_section_ids(doc: YamlFile, sections) -> list[Problem]:
    problems, seen = [], {}
    for location, section in sections:
        if not is_id(section.get("id")):
            continue
        first = seen.setdefault(section["id"], location)
        if first is not location:
            first_line = doc.source.locate((*first, "id"))[0]
            problems.append(doc.problem((*location, "id"), f"section id '{section['id']}' is used twice (first at line {first_line}): ids must be unique"))
    return problems


def _term_ids(doc: YamlFile, data: dict, registry: Registry, problems: list[Problem]) -> set[str]:
    """Ids of the terms this policy defines as groups of roles; mistakes go to ``problems``."""
    terms = set()
    for index, definition in _mappings(data.get("definitions")):
        ident, roles = definition.get("id"), definition.get("roles")
        if (ident is not None and not is_id(ident)) or (roles is not None and type(roles) is not list):
            continue  # the schema names the mistake
        if bool(ident) != bool(roles):
            missing = "roles" if ident else "id"
            problems.append(doc.problem(("definitions", index), f"term '{definition.get('term')}' has {'an id' if ident else 'roles'} but no {missing}: "
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
            problems.append(doc.problem(location, f"section '{section.get('id')}' has no clauses: add clauses, or sub-sections under sections:"))
    for location, clause in clauses:
        options = clause.get("options")
        if options:
            for key in ("text", "obligation", "items"):
                if key in clause:
                    problems.append(doc.problem((*location, key), f"the clause has options, so {key} belongs in each option: move it into the options"))
            if type(clause.get("chosen")) is int and type(options) is list and clause["chosen"] > len(options):
                problems.append(doc.problem((*location, "chosen"), f"chosen: {clause['chosen']} but there are {len(options)} options: choose 1 to {len(options)}"))
        elif "text" not in clause:
            problems.append(doc.problem(location, f"missing required field 'text' in {field_name(location, doc.data)}"))
        elif "chosen" in clause:
            problems.append(doc.problem((*location, "chosen"), "chosen is set but the clause has no options: remove chosen, or list the options"))
        if clause.get("holder"):
            if clause.get("applies_to"):
                problems.append(doc.problem((*location, "holder"), f"holder: {clause['holder']} and applies_to both say who the duty falls on: keep one"))
            has_obligation = clause.get("obligation") or any(o.get("obligation") for _, o in _mappings(options))
            if not has_obligation:
                problems.append(doc.problem((*location, "holder"), "holder is set but the clause has no obligation: add one (must, may...), or remove holder"))
    return problems


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
                warnings.append(doc.problem(at, f"warning: clause '{clause['id']}' holds the unfilled placeholder '{blank}': {FILL_IN}"))
    # The policy's own texts: its summary, what changed, its definitions...
    for location, text in version_texts(data):
        for blank in find_placeholders([text], declared):
            warnings.append(doc.problem(location, f"warning: {_text_name(location, data)} holds the unfilled placeholder '{blank}': {FILL_IN}"))
    return warnings


FILL_IN = "replace it with the school's own wording (write \\[ to show a bracket that is not a blank)"


def _text_name(location: tuple, data: dict) -> str:
    """``the summary``, ``the definition of 'Staff'``, ``amendments[2].description``."""
    if location == ("summary",):
        return "the summary"
    if location[0] == "definitions":
        term = data["definitions"][location[1]].get("term")
        return f"the definition of '{term}'" if isinstance(term, str) else _field_name(location)
    return _field_name(location)


FIRST_YEAR, LAST_YEAR = 1900, 2199
DATE_FIELDS = (("effective",), ("approval", "date"), ("review", "next"), ("review", "with_staff"),
               ("review", "governors", "date"), ("based_on", "released"))
#: Lists whose items carry a ``date``.
DATED_LISTS = ("signatories", "history", "amendments")


def _date_locations(data: dict):
    yield from DATE_FIELDS
    for key in DATED_LISTS:
        for index, _ in _mappings(data.get(key)):
            yield (key, index, "date")


def _date_problems(doc: YamlFile, data: dict, order: DateOrder | None = None) -> list[Problem]:
    problems = []
    for location in _date_locations(data):
        value = data
        for part in location:
            value = value.get(part) if isinstance(value, dict) else (value[part] if isinstance(part, int) else None)
        if value is None:
            continue
        found, reason = parse_date(value, order)
        name = _field_name(location)
        if found is None:
            shown = value if len(str(value)) <= 60 else str(value)[:59] + "…"
            forms = ("" if "write it as" in reason else ": write it as YYYY-MM-DD, e.g. 2025-09-01" if reason == "is not a real date"
                     else f": write it as {ACCEPTED_FORMS}")
            problems.append(doc.problem(location, f"{name}: '{shown}' {reason}{forms}"))
        elif not FIRST_YEAR <= found.start.year <= LAST_YEAR:
            # Review dates are worked out from these; year 9999 would overflow.
            problems.append(doc.problem(location, f"{name}: the year {found.start.year} cannot be right: check the date"))
    if problems:
        return problems
    effective = _date(data.get("effective"), order)
    approved = _date(_mapping(data.get("approval")).get("date"), order)
    next_review = _date(_mapping(data.get("review")).get("next"), order)
    status = data.get("status")
    if status in ("adopted", "superseded") and data.get("effective") is None:
        problems.append(doc.problem((), f"{article(status)} {status} version needs an 'effective' date: when did it come into force?", key=False))
    if status == "adopted" and not data.get("approval"):
        problems.append(doc.problem(("status",), "an adopted version needs 'approval' (body and date): who approved it, and when?"))
    # A month or term may hold both dates: only a certain contradiction is one.
    if approved and effective and approved.start > effective.end:
        problems.append(doc.problem(("approval", "date"), f"approved on {approved} but effective from {effective}: a version cannot come into force before it is approved"))
    if next_review and effective and next_review.end <= effective.start:
        problems.append(doc.problem(("review", "next"), f"next review {next_review} is not after the effective date {effective}"))
    return problems


def _field_name(location: tuple) -> str:
    """``signatories[2].date``, counting from 1 as the messages of the schema check do."""
    name = ""
    for part in location:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def check_policy_history(docs: list[tuple[Path, YamlFile]], order: DateOrder | None = None) -> list[Problem]:
    """Across the versions of one policy: duplicates, adoption, ordering."""
    problems: list[Problem] = []
    docs = _in_order(docs)
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
    held = {version_key(doc.data["version"].casefold()): doc for _, doc in ordered}
    for _, doc in ordered:
        for index, row in enumerate(doc.data.get("history") or ()):
            other = held.get(version_key(row["version"].casefold()))
            if other is not None:
                problems.append(doc.problem(("history", index, "version"), f"history lists version \"{row['version']}\", which has its own file ({other.path}): describe it there (changes, effective) and remove this row"))

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
        effective = _date(doc.data.get("effective"), order)
        if effective is None:
            continue
        if previous and effective.end < previous[1].start:
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
    by_policy = {policy_id: _in_order(docs) for policy_id, docs in by_policy.items()}
    current = {policy_id: _current(docs) for policy_id, docs in sorted(by_policy.items()) if docs}
    withdrawn = {policy_id for policy_id, doc in current.items() if doc.data["status"] == "withdrawn"}

    # A withdrawn policy may leave its title to the policy that replaces it.
    titles: dict[str, YamlFile] = {}
    for policy_id, doc in current.items():
        if policy_id in withdrawn or not is_line(doc.data.get("title")):
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
                for index, other in _ids_at(doc.data.get("related")):
                    if other in withdrawn:
                        warnings.append(doc.problem(
                            ("related", index),
                            f"warning: related policy '{other}' has been withdrawn, and is no longer linked: "
                            "remove it from related in the next version",
                        ))
    return problems, warnings


def _in_order(docs: list[tuple[Path, YamlFile]]) -> list[tuple[Path, YamlFile]]:
    """The versions whose id, number and status can be read: only these can be put in order and compared."""
    return [(path, doc) for path, doc in docs
            if isinstance(doc.data, dict) and is_id(doc.data.get("policy")) and _is_version(doc.data.get("version"))
            and doc.data.get("status") in STATUSES]


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


def _duplicate_ids(doc: YamlFile, path: tuple, items, what: str) -> list[Problem]:
    problems, seen = [], {}
    for index, item in _mappings(items):
        if not is_id(item.get("id")):
            continue
        if item["id"] in seen:
            first_line = doc.source.locate((*path, seen[item["id"]], "id"))[0]
            problems.append(doc.problem((*path, index, "id"), f"{what} id '{item['id']}' is used twice (first at line {first_line}): ids must be unique"))
        seen.setdefault(item["id"], index)
    return problems


def _ids(items) -> set[str]:
    return {item["id"] for _, item in _mappings(items) if is_id(item.get("id"))}


def _date(value, order: DateOrder | None) -> PolicyDate | None:
    return parse_date(value, order)[0] if value is not None else None

