"""Checks the schema cannot express: references, cycles, dates, versions.

Each check reads the raw data of files that passed the schema and returns
located problems; nothing here raises.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..errors import Problem
from ..model import version_key
from .schema import did_you_mean
from .yaml_source import YamlFile

ROLE_FIELDS = ("applies_to", "responsible")


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
                        self.role_aliases[_slug(name)] = role["id"]

    def suggest_role(self, word: str) -> str:
        if _slug(word) in self.role_aliases:
            return f"; did you mean '{self.role_aliases[_slug(word)]}'?"
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
    return problems


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

    def role_ref(location, role_id):
        if registry.known and role_id not in registry.roles:
            problems.append(doc.problem(location, f"unknown role '{role_id}'{registry.suggest_role(role_id)} (roles are defined in handbook.yaml)"))

    if registry.known and data["category"] not in registry.categories:
        problems.append(doc.problem(("category",), f"unknown category '{data['category']}'{did_you_mean(data['category'], registry.categories)} (categories are defined in handbook.yaml)"))
    role_ref(("owner",), data["owner"])
    if (data.get("review") or {}).get("lead"):
        role_ref(("review", "lead"), data["review"]["lead"])
    for index, role_id in enumerate(data["scope"]["roles"]):
        role_ref(("scope", "roles", index), role_id)
    for index, policy_id in enumerate(data.get("related") or ()):
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

    problems += _duplicate_ids(doc, ("sections",), data["sections"], "section")
    clauses = [
        ((("sections", s, "clauses", c)), clause)
        for s, section in enumerate(data["sections"])
        for c, clause in enumerate(section["clauses"])
    ]
    seen: dict[str, tuple] = {}
    for location, clause in clauses:
        first = seen.setdefault(clause["id"], location)
        if first is not location:
            line = doc.source.locate((*first, "id"))[0]
            problems.append(doc.problem((*location, "id"), f"clause id '{clause['id']}' is used twice in this version (first at line {line}): give each clause its own id"))
        for field in ROLE_FIELDS:
            for index, role_id in enumerate(clause.get(field) or ()):
                role_ref((*location, field, index), role_id)
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
    ordered = sorted(docs, key=lambda item: version_key(item[1].data["version"]))
    by_version: dict[str, YamlFile] = {}
    for _, doc in ordered:
        version = doc.data["version"]
        if version in by_version:
            problems.append(doc.problem(("version",), f"version \"{version}\" also appears in {by_version[version].path}: each version needs its own number"))
        by_version.setdefault(version, doc)

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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
