"""Property-based tests: generated handbooks and random mutations of them.

Valid handbooks must load and build. Mutated ones (a key deleted, a type
changed, a key repeated, junk bytes injected, a file cut short...) must
either load and build, or be refused with problems that each name a file of
the handbook and a line inside it. Nothing may raise.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mkdocs.utils.meta import get_data

from policybook.errors import Problem
from policybook.load import Schemas, load_handbook
from policybook.model import role_key
from policybook.outputs.export import markdown_file
from policybook.pages import SiteOptions, build_site
from tests.html_scan import scan_html

SCHEMAS = Schemas.load()
#: Set PB_FUZZ_EXAMPLES=1000 for a long local hunt; CI keeps the default.
FUZZ = settings(max_examples=int(os.environ.get("PB_FUZZ_EXAMPLES", "30")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text authors might type, including Markdown and HTML characters, accents,
# emoji and the odd control character YAML must escape.
_alphabet = st.characters(
    blacklist_categories=("Cs", "Cc"),
    whitelist_characters="\t",
) | st.sampled_from(list("<>&\"'[]()*_`#:-!|{}%\\"))
#: One-line fields refuse line breaks and bidirectional overrides (mutations try them).
_NOT_IN_A_LINE = re.compile("[\n\r\x85\u2028\u2029\u202a-\u202e\u2066-\u2069]")
line = st.text(_alphabet, min_size=1, max_size=20).filter(lambda s: s.strip() and not _NOT_IN_A_LINE.search(s))
prose = st.lists(line, min_size=1, max_size=2).map("\n".join)
# A fixed pool keeps generation fast; the loader's id rules get their own
# mutations (odd values) below.
ident = st.sampled_from([
    "a", "b", "c", "staff", "lead", "dsl", "head-teacher", "x1", "y-2", "governors", "senco", "it",
    "report", "records", "online", "phones", "data", "safe-1", "p", "q", "r2d2", "a-b-c", "zz",
])
OBLIGATIONS = ["must", "must-not", "should", "should-not", "may"]


@st.composite
def handbooks(draw) -> dict[str, object]:
    """A valid handbook as ``{relative path: data}``."""
    role_ids = draw(st.lists(ident, min_size=1, max_size=5, unique=True))
    roles = []
    # A role's id, name and aliases must each name one role.
    taken = set(role_ids)
    unused = line.filter(lambda text: role_key(text) not in taken)
    for index, role_id in enumerate(role_ids):
        role = {"id": role_id, "name": draw(unused)}
        taken.add(role_key(role["name"]))
        if draw(st.booleans()):
            role["description"] = draw(prose)
        if draw(st.booleans()):
            role["aliases"] = draw(st.lists(unused, max_size=2, unique_by=role_key))
            taken.update(map(role_key, role["aliases"]))
        earlier = role_ids[:index]
        if earlier and draw(st.booleans()):
            role["includes"] = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=2, unique=True))
        roles.append(role)
    category_ids = draw(st.lists(ident, min_size=1, max_size=2, unique=True))
    law_ids = draw(st.lists(ident, max_size=2, unique=True))
    settings_data = {
        "organisation": {"name": draw(line)},
        "roles": roles,
        "categories": [{"id": c, "title": draw(line)} for c in category_ids],
    }
    if law_ids:
        settings_data["legislation"] = [{"id": law, "title": draw(line)} for law in law_ids]
    files: dict[str, object] = {"handbook.yaml": settings_data}

    policy_ids = draw(st.lists(ident, min_size=1, max_size=2, unique=True))
    titles = draw(st.lists(line, min_size=len(policy_ids), max_size=len(policy_ids), unique_by=lambda t: " ".join(t.split())))
    for policy_id, title in zip(policy_ids, titles):
        count = draw(st.integers(1, 3))
        statuses = ["superseded"] * (count - 1) + ["adopted"]
        if count > 1 and draw(st.booleans()):
            statuses[-1], statuses[-2] = "draft", "adopted"
        start = dt.date(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 1000)))
        for number, status in enumerate(statuses, start=1):
            effective = start + dt.timedelta(days=200 * number)
            files[f"{policy_id}/v{number}.yaml"] = _version(draw, policy_id, str(number), status, effective,
                                                            role_ids, category_ids, law_ids, policy_ids, title)
    return files


def _version(draw, policy_id, version, status, effective, role_ids, category_ids, law_ids, policy_ids, title) -> dict:
    roles = st.lists(st.sampled_from(role_ids), min_size=1, max_size=2, unique=True)
    clause_ids = iter(draw(st.lists(ident, min_size=1, max_size=6, unique=True)))
    sections = []
    for section_id in draw(st.lists(ident, min_size=1, max_size=3, unique=True)):
        clauses = []
        for clause_id in clause_ids:
            clause = {"id": clause_id, "text": draw(prose)}
            if draw(st.booleans()):
                clause["obligation"] = draw(st.sampled_from(OBLIGATIONS))
                if draw(st.booleans()):
                    clause["applies_to"] = draw(roles)
                if draw(st.booleans()):
                    clause["checklist"] = draw(line)
            if draw(st.booleans()):
                clause["items"] = draw(st.lists(prose, min_size=1, max_size=3))
            if draw(st.booleans()):
                clause["responsible"] = draw(roles)
            clauses.append(clause)
            if draw(st.booleans()):
                break
        if not clauses:
            clauses.append({"id": f"{section_id}-x", "text": draw(prose)})
        sections.append({"id": section_id, "title": draw(line), "clauses": clauses})
    data = {
        "policy": policy_id, "version": version, "title": title if status == "adopted" else draw(line), "category": draw(st.sampled_from(category_ids)),
        "status": status, "owner": draw(st.sampled_from(role_ids)), "scope": {"roles": draw(roles)},
        "sections": sections,
        "review": {"next": (effective + dt.timedelta(days=365)).isoformat()},
    }
    if status != "draft":
        data["effective"] = effective.isoformat()
        data["approval"] = {"body": draw(line), "date": (effective - dt.timedelta(days=10)).isoformat()}
    if law_ids and draw(st.booleans()):
        data["legislation"] = draw(st.lists(st.sampled_from(law_ids), min_size=1, unique=True))
    for field in ("summary", "changes"):
        if draw(st.booleans()):
            data[field] = draw(prose)
    if draw(st.booleans()):
        data["definitions"] = [{"term": draw(line), "meaning": draw(prose)}]
    others = [p for p in policy_ids if p != policy_id]
    if others and draw(st.booleans()):
        data["related"] = others[:1]
    return data


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def write(root: Path, files: dict[str, object]) -> Path:
    policies = root / "policies"
    for name, content in files.items():
        path = policies / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else dump(content), encoding="utf-8")
    return policies


def check_loads_or_reports(files: dict[str, object]) -> None:
    """The property: accepted handbooks build; refused ones have located problems."""
    with tempfile.TemporaryDirectory() as folder:
        policies = write(Path(folder), files)
        result = load_handbook(policies, SCHEMAS)
        if result.ok:
            site = build_site(result.handbook, SiteOptions(today=dt.date(2026, 1, 1)))
            assert site.pages and all(isinstance(page.markdown, str) for page in site.pages)
            return
        assert result.problems, "refused without a problem"
        known = {f"policies/{name}" for name in files} | {"policies"}
        for problem in result.problems:
            assert isinstance(problem, Problem)
            assert any(problem.path.endswith(name) for name in known), problem
            assert problem.line >= 1 and problem.column >= 1, problem
            assert problem.message and "Traceback" not in problem.message
            content = files.get(problem.path.split("policies/", 1)[-1])
            if isinstance(content, (str, bytes)):
                lines = content.count("\n" if isinstance(content, str) else b"\n") + 1
                assert problem.line <= lines + 1, (problem, lines)


@FUZZ
@given(handbooks())
def test_generated_handbooks_load_and_build(files):
    with tempfile.TemporaryDirectory() as folder:
        result = load_handbook(write(Path(folder), files), SCHEMAS)
        assert result.ok, [str(p) for p in result.problems]
        site = build_site(result.handbook, SiteOptions(today=dt.date(2026, 1, 1)))
    assert len(site.pages) >= 3
    for page in site.pages:
        # MkDocs reads the front matter back exactly (else it shows it as text)...
        body, meta = get_data(markdown_file(page))
        assert meta.get("title") == page.title and body == page.markdown
        # ...and the Markdown pass MkDocs runs makes no live markup from author text.
        rendered = markdown.markdown(page.markdown, extensions=["toc", "tables", "fenced_code", "attr_list"])
        assert scan_html(rendered, page.path) == []


# -- mutations of the data ---------------------------------------------

def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


def _set(data, path, value=None, delete=False):
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


odd_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(allow_nan=False), st.just(1.10),
    st.just([]), st.just({}), st.lists(st.integers(), max_size=2), st.dictionaries(ident, st.integers(), max_size=2),
    line, st.sampled_from(["2024-02-30", "9999-12-31", "0001-01-01", "2024-2-3"]), st.just("not-a-role"),
    st.sampled_from(["1.a-2", "must", "draft", "adopted", "superseded", "withdrawn", "staff", "a"]),
    st.sampled_from(["a\n", "a\u202e", "a\x00b", "a\u2028", 12.0, "index", "definitions", "1-v2"]),
)


@FUZZ
@given(handbooks(), st.data())
def test_data_mutations_are_accepted_or_reported(files, data):
    name = data.draw(st.sampled_from(sorted(files)))
    target = json.loads(json.dumps(files[name]))
    paths = [p for p in _paths(target) if p]
    path = data.draw(st.sampled_from(paths))
    if data.draw(st.booleans()):
        _set(target, path, delete=True)
    else:
        _set(target, path, data.draw(odd_values))
    check_loads_or_reports({**files, name: dump(target)})


# -- mutations of the text ---------------------------------------------

junk = st.one_of(
    st.binary(min_size=1, max_size=8),
    st.sampled_from([b"\t", b": ", b"- ", b"&a ", b"*a", b"!!python/object ", b"<<: ", b"\"", b"'", b"[", b"{",
                     b"\xef\xbb\xbf", b"\r\n", b"\x00", b"\xff", b"---\n", b"%YAML 1.1\n", b"? ", b"|\n", b"\n  "]),
)


@FUZZ
@given(handbooks(), st.data())
def test_text_mutations_are_accepted_or_reported(files, data):
    name = data.draw(st.sampled_from(sorted(files)))
    raw = dump(files[name]).encode("utf-8")
    kind = data.draw(st.sampled_from(["insert", "delete", "truncate", "duplicate-line", "swap-lines"]))
    lines = raw.split(b"\n")
    if kind == "insert":
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(junk) + raw[at:]
    elif kind == "delete":
        at = data.draw(st.integers(0, max(len(raw) - 1, 0)))
        raw = raw[:at] + raw[at + data.draw(st.integers(1, 20)):]
    elif kind == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif kind == "duplicate-line":
        at = data.draw(st.integers(0, len(lines) - 1))
        raw = b"\n".join(lines[: at + 1] + [lines[at]] + lines[at + 1:])
    else:
        at = data.draw(st.integers(0, max(len(lines) - 2, 0)))
        if len(lines) > 1:
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        raw = b"\n".join(lines)
    assume(raw != dump(files[name]).encode("utf-8"))
    check_loads_or_reports({**files, name: raw})


# -- names the site uses for itself ---------------------------------------

#: Ids and versions that the site's own pages, addresses and anchors use, or
#: that collide with each other (comparison addresses, one version twice).
site_names = st.sampled_from([
    "index", "definitions", "version-history", "compare-versions", "section-a", "section-b", "summary",
    "roles", "changes", "full-text", "term-a", "change-a", "policy-a", "category-a", "search", "assets", "404",
])
site_versions = st.sampled_from(["01", "1-v2", "2-v3", "1-V2", "1A", "1a", "v1", "1.0", "1.00", "3", "2"])


def _renamed(value, old: str, new: str):
    """``value`` with every string equal to ``old`` (an id, wherever it is used) replaced by ``new``."""
    if isinstance(value, dict):
        return {key: _renamed(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, old, new) for item in value]
    return new if value == old else value


def site_named_handbooks():
    """Generated handbooks with some ids renamed everywhere, and some versions relabelled."""
    @st.composite
    def build(draw):
        files = draw(handbooks())
        idents = sorted({v for data in files.values() for p in _paths(data) if p and p[-1] == "id"
                         for v in [_get(data, p)] if isinstance(v, str)})
        for old in draw(st.lists(st.sampled_from(idents), min_size=1, max_size=3, unique=True)):
            new = draw(site_names)
            files = {name.replace(f"{old}/", f"{new}/", 1) if name.startswith(f"{old}/") else name: _renamed(data, old, new)
                     for name, data in files.items()}
        versions = sorted(name for name in files if name != "handbook.yaml")
        for name in draw(st.lists(st.sampled_from(versions), max_size=2, unique=True)):
            label = draw(site_versions)
            target = f"{name.rpartition('/')[0]}/v{label}.yaml"
            if name in files and target not in files:
                files[target] = {**files.pop(name), "version": label}
        return files
    return build()


def _get(data, path):
    for part in path:
        data = data[part]
    return data


_ID = re.compile(r"""\sid=["']([^"']+)["']""")


@FUZZ
@given(site_named_handbooks())
def test_what_validate_accepts_has_unique_addresses_and_anchors(files):
    """MkDocs fails (or writes duplicate ids) on what the loader must refuse first."""
    with tempfile.TemporaryDirectory() as folder:
        result = load_handbook(write(Path(folder), files), SCHEMAS)
    if not result.ok:
        assert result.problems
        return
    site = build_site(result.handbook, SiteOptions(today=dt.date(2026, 1, 1)))
    addresses = [page.path.casefold() for page in site.pages] + [path.casefold() for path in site.assets]
    assert len(addresses) == len(set(addresses)), sorted(a for a in addresses if addresses.count(a) > 1)
    for page in site.pages:
        rendered = markdown.markdown(page.markdown, extensions=["toc", "tables", "fenced_code", "attr_list"])
        ids = _ID.findall(rendered)
        assert len(ids) == len(set(ids)), (page.path, sorted(i for i in ids if ids.count(i) > 1))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(site_named_handbooks())
def test_what_validate_accepts_builds_with_mkdocs(files):
    from policybook.mkdocs_adapter.build import build_site_atomically

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        if not load_handbook(write(root, files), SCHEMAS).ok:
            return
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text(
            "site_name: Fuzz\nuse_directory_urls: false\nstrict: true\ntheme:\n  name: material\n"
            "plugins:\n  - search\n  - policybook\n", encoding="utf-8")
        assert (build_site_atomically(root / "mkdocs.yml", today="2026-01-01") / "index.html").is_file()


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(handbooks())
def test_generated_handbooks_build_with_mkdocs_and_stay_safe(files):
    from policybook.mkdocs_adapter.build import build_site_atomically

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(root, files)
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text(
            "site_name: Fuzz\nuse_directory_urls: false\nstrict: true\ntheme:\n  name: material\n"
            "plugins:\n  - search\n  - policybook\n", encoding="utf-8")
        site = build_site_atomically(root / "mkdocs.yml", today="2026-01-01")
        for page in site.rglob("*.html"):
            assert scan_html(page.read_text(encoding="utf-8"), page.name) == []
