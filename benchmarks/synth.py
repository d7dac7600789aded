"""Synthetic handbooks at any scale, deterministic from a seed.

``write_handbook(target, Scale(policies=500))`` writes ``target/mkdocs.yml``,
``target/docs/`` and ``target/policies/`` (``handbook.yaml`` plus
``<policy-id>/v<n>.yaml``) that pass ``python3 -m generator validate``.

Text is made of generated pseudo-words (syllables joined by a seeded random
generator) mixed with everyday function words, so clause lengths, word
lengths and the search index look like a real handbook's without copying
any real text. Each version is derived from the previous one by realistic
edits: rewording, added, removed and moved clauses, and obligation changes.

Run as a script to write one::

    python3 -m benchmarks.synth /tmp/hb --policies 100 --versions 5 --clauses 40
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # the C emitter is ten times faster; fall back when libyaml is missing
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/policy.schema.json\n"
SETTINGS_SCHEMA_LINE = "# yaml-language-server: $schema=../schema/handbook.schema.json\n"

_SYLLABLES = (
    "ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ka ke ki ko la le li lo lu "
    "ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti "
    "to tu va ve vi vo za ze zi an en in on ar er or al el il ul st tr pr br cl fl gr"
).split()
_FUNCTION_WORDS = (
    "the a an and or of to in on for with by from at as that this any each every all "
    "their its who which when where before after within under must will may is are be"
).split()
_OBLIGATIONS = ("must", "must-not", "should", "should-not", "may")
_CONTEXTS = ("personal-use", "work-use", "in-working-hours", "outside-working-hours", "school-devices",
             "personal-devices", "on-site", "off-site", "school-trips")
_DEADLINES = ("the same working day", "within 24 hours", "within five working days", "before the end of term", "at once")


@dataclass(frozen=True, slots=True)
class Scale:
    """How big a handbook to make.

    Attributes:
        policies: number of policies.
        versions: versions per policy (the last adopted, or a draft after it).
        clauses: clauses per version, on average.
        roles: roles in handbook.yaml.
        seed: the random seed; the same scale and seed give the same bytes.
    """

    policies: int = 100
    versions: int = 5
    clauses: int = 40
    roles: int = 30
    seed: int = 7


class _Words:
    """A seeded vocabulary of pseudo-words and sentence makers."""

    def __init__(self, rng: random.Random, size: int = 4000):
        self.rng = rng
        vocabulary: set[str] = set()
        while len(vocabulary) < size:
            vocabulary.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
        self.vocabulary = sorted(vocabulary)
        rng.shuffle(self.vocabulary)
        # Zipf-like weights: a few words are common, most are rare, as in prose.
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.vocabulary))]

    def words(self, count: int) -> list[str]:
        content = self.rng.choices(self.vocabulary, self.weights, k=count)
        return [self.rng.choice(_FUNCTION_WORDS) if self.rng.random() < 0.35 else word for word in content]

    def sentence(self, low: int = 8, high: int = 22) -> str:
        words = self.words(self.rng.randint(low, high))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self, sentences: tuple[int, int] = (1, 3)) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))

    def title(self, count: tuple[int, int] = (1, 4)) -> str:
        return " ".join(self.rng.choices(self.vocabulary[:800], k=self.rng.randint(*count))).capitalize()

    def slug(self, count: int = 2) -> str:
        return "-".join(self.rng.choices(self.vocabulary[:1500], k=count))


def build_settings(scale: Scale, words: _Words) -> dict:
    """handbook.yaml: organisation, roles with includes, categories, legislation."""
    rng = words.rng
    roles = [{"id": "all-staff", "name": "All staff", "description": words.paragraph((1, 2)),
              "aliases": ["staff", "employees"]},
             {"id": "governing-board", "name": "Governing board", "description": words.paragraph((1, 1))}]
    for index in range(2, scale.roles):
        role = {"id": f"role-{index:03d}", "name": f"{words.title((1, 3))} {index}", "description": words.paragraph((1, 2))}
        if rng.random() < 0.5:
            role["aliases"] = sorted({words.title((1, 2)) + f" {index}" for _ in range(rng.randint(1, 3))})
        # Include only roles defined earlier: a tree, never a loop.
        if rng.random() < 0.8:
            earlier = [r["id"] for r in roles if r["id"] != "governing-board"]
            role["includes"] = sorted(set(rng.sample(earlier, k=min(len(earlier), rng.randint(1, 2)))))
        roles.append(role)
    categories = [{"id": f"category-{index:02d}", "title": words.title((2, 4)), "description": words.sentence()}
                  for index in range(max(5, min(40, scale.policies // 25)))]
    legislation = [{"id": f"law-{index:02d}", "title": f"{words.title((2, 4))} Act {1970 + index}", "kind": "act",
                    "url": f"https://www.legislation.example.org/ukpga/{1970 + index}/{index}"}
                   for index in range(30)]
    return {
        "organisation": {"name": "Fenwold Synthetic Academy Trust", "email": "office@trust.example.org",
                         "master_copy": "Signed master copies are kept in the trust office."},
        "default_review_months": 12,
        "categories": categories,
        "legislation": legislation,
        "roles": roles,
    }


def _new_clause(words: _Words, counter: list[int], role_ids: list[str]) -> dict:
    rng = words.rng
    counter[0] += 1
    clause = {"id": f"{words.slug(2)}-{counter[0]}", "text": words.paragraph((1, 3))}
    roll = rng.random()
    if roll < 0.55:
        clause["obligation"] = rng.choice(_OBLIGATIONS)
        if rng.random() < 0.3:
            clause["applies_to"] = sorted(set(rng.sample(role_ids, k=rng.randint(1, 2))))
        if rng.random() < 0.25:
            clause["responsible"] = sorted(set(rng.sample(role_ids, k=rng.randint(1, 2))))
        if rng.random() < 0.15:
            clause["deadline"] = rng.choice(_DEADLINES)
        if rng.random() < 0.3:
            clause["checklist"] = words.sentence(4, 9).rstrip(".")
    if rng.random() < 0.12:
        clause["items"] = [words.sentence(4, 12) for _ in range(rng.randint(2, 5))]
        if rng.random() < 0.5:
            clause["item_style"] = rng.choice(("bullet", "lettered", "roman", "steps"))
    if rng.random() < 0.05:
        clause["keywords"] = sorted({words.title((1, 2)) for _ in range(2)})
    return clause


def _first_sections(scale: Scale, words: _Words, counter: list[int], role_ids: list[str]) -> list[dict]:
    rng = words.rng
    count = max(2, scale.clauses // 7 + rng.randint(-1, 1))
    sizes = [scale.clauses // count] * count
    for index in range(scale.clauses - sum(sizes)):
        sizes[index % count] += 1
    sections = []
    for index, size in enumerate(sizes):
        section = {"id": f"section-{index + 1}-{words.slug(1)}", "title": words.title((2, 5)),
                   "clauses": [_new_clause(words, counter, role_ids) for _ in range(size)]}
        if index == count - 1 and rng.random() < 0.3:
            section["binding"] = False
        sections.append(section)
    return sections


def _reword(words: _Words, text: str) -> str:
    """Replace, insert or drop a few words: a typical redrafting edit."""
    rng = words.rng
    tokens = text.split(" ")
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(tokens))
        action = rng.random()
        if action < 0.5:
            tokens[at] = words.words(1)[0] + ("." if tokens[at].endswith(".") else "")
        elif action < 0.8:
            tokens.insert(at, " ".join(words.words(rng.randint(1, 4))))
        elif len(tokens) > 6 and not tokens[at].endswith("."):
            del tokens[at]
    result = " ".join(tokens).strip()
    return result[0].upper() + result[1:] if result else words.sentence()


def _edit_sections(sections: list[dict], words: _Words, counter: list[int], role_ids: list[str]) -> list[dict]:
    """The next version: about a fifth of the clauses change in some way."""
    rng = words.rng
    sections = [{**s, "clauses": [dict(c) for c in s["clauses"]]} for s in sections]
    clauses = [(s, c) for s in sections for c in s["clauses"]]
    for _, clause in rng.sample(clauses, k=max(1, len(clauses) // 10)):  # reword
        clause["text"] = _reword(words, clause["text"])
    for _, clause in rng.sample(clauses, k=max(1, len(clauses) // 40)):  # obligation change
        clause["obligation"] = rng.choice([o for o in _OBLIGATIONS if o != clause.get("obligation")])
    for _ in range(rng.randint(0, 2)):  # remove (never empty a section)
        section = rng.choice(sections)
        if len(section["clauses"]) > 2:
            section["clauses"].pop(rng.randrange(len(section["clauses"])))
    for _ in range(rng.randint(0, 2)):  # move, within or across sections
        source = rng.choice(sections)
        if len(source["clauses"]) > 2:
            clause = source["clauses"].pop(rng.randrange(len(source["clauses"])))
            target = rng.choice(sections)
            target["clauses"].insert(rng.randint(0, len(target["clauses"])), clause)
    for _ in range(rng.randint(1, 3)):  # add
        section = rng.choice(sections)
        section["clauses"].insert(rng.randint(0, len(section["clauses"])), _new_clause(words, counter, role_ids))
    return sections


def build_policy(index: int, scale: Scale, words: _Words, settings: dict, policy_ids: list[str]) -> list[dict]:
    """Every version of one policy, oldest first."""
    rng = words.rng
    policy_id = policy_ids[index]
    role_ids = [r["id"] for r in settings["roles"]]
    staff_roles = [r for r in role_ids if r != "governing-board"]
    counter = [0]
    title = f"{words.title((1, 3))} policy {index + 1}"
    others = [p for p in policy_ids if p != policy_id]
    base = {
        "policy": policy_id,
        "title": title,
        "category": rng.choice(settings["categories"])["id"],
        "visibility": rng.choice(("public", "staff")),
        "owner": "governing-board",
        "summary": words.paragraph((1, 2)),
        "scope": {"roles": sorted(set(rng.sample(staff_roles, k=rng.randint(1, 3)))),
                  "contexts": sorted(set(rng.sample(_CONTEXTS, k=rng.randint(0, 4))))},
        "related": sorted(set(rng.sample(others, k=min(len(others), rng.randint(0, 4))))),
        "legislation": sorted(set(rng.sample([law["id"] for law in settings["legislation"]], k=rng.randint(0, 3)))),
        "keywords": sorted({words.title((1, 2)) for _ in range(rng.randint(0, 6))}),
        "definitions": [{"term": f"{words.title((1, 2))} {n}", "meaning": words.sentence()} for n in range(rng.randint(0, 4))],
    }
    for key in ("related", "legislation", "keywords", "definitions"):
        if not base[key]:
            del base[key]
    if not base["scope"]["contexts"]:
        del base["scope"]["contexts"]
    with_draft = scale.versions > 1 and index % 5 == 0
    adopted_at = scale.versions - (2 if with_draft else 1)
    start = dt.date(2015, 9, 1) + dt.timedelta(days=rng.randint(0, 365))
    sections = _first_sections(scale, words, counter, role_ids)
    versions = []
    for number in range(scale.versions):
        if number:
            sections = _edit_sections(sections, words, counter, role_ids)
        effective = start + dt.timedelta(days=365 * number + rng.randint(0, 60))
        status = "superseded" if number < adopted_at else "adopted" if number == adopted_at else "draft"
        version = {"policy": policy_id, "version": str(number + 1), "title": base["title"],
                   "category": base["category"], "status": status}
        version.update({k: v for k, v in base.items() if k not in version})
        if status != "draft":
            version["effective"] = effective.isoformat()
            version["approval"] = {"body": "Trust board", "date": (effective - dt.timedelta(days=rng.randint(7, 40))).isoformat(),
                                   "minute": f"TB {effective.year}/{rng.randint(1, 40)}"}
        version["review"] = {"lead": rng.choice(staff_roles), "cycle_months": rng.choice((12, 24, 36))}
        if status == "adopted":
            version["review"]["next"] = (effective + dt.timedelta(days=365)).isoformat()
        if number:
            version["changes"] = words.paragraph((1, 2))
        version["sections"] = sections
        versions.append(version)
    return versions


def write_handbook(target: Path, scale: Scale) -> Path:
    """Write a handbook of ``scale`` under ``target``; returns the mkdocs.yml path."""
    target = Path(target)
    policies = target / "policies"
    policies.mkdir(parents=True, exist_ok=True)
    (target / "docs").mkdir(exist_ok=True)
    words = _Words(random.Random(scale.seed))
    settings = build_settings(scale, words)
    _dump(policies / "handbook.yaml", settings, SETTINGS_SCHEMA_LINE)
    policy_ids = [f"p{index:04d}-{words.slug(2)}" for index in range(scale.policies)]
    for index, policy_id in enumerate(policy_ids):
        # One generator per policy: editing one policy's code path never shifts the others.
        policy_words = _Words.__new__(_Words)
        policy_words.rng = random.Random(f"{scale.seed}:{index}")
        policy_words.vocabulary, policy_words.weights = words.vocabulary, words.weights
        for version in build_policy(index, scale, policy_words, settings, policy_ids):
            _dump(policies / policy_id / f"v{version['version']}.yaml", version, SCHEMA_LINE)
    config = target / "mkdocs.yml"
    config.write_text(MKDOCS_YML.format(name=settings["organisation"]["name"]), encoding="utf-8")
    return config


MKDOCS_YML = """\
site_name: {name} staff handbook
docs_dir: docs
site_dir: site
use_directory_urls: false
strict: true
theme:
  name: material
  features:
    - navigation.sections
    - search.highlight
  palette:
    primary: indigo
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
      toc_depth: 2
plugins:
  - search
  - policybook:
      policies_dir: policies
      today: "2026-11-01"
"""


def _dump(path: Path, data: dict, header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
    path.write_text(header + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--policies", type=int, default=100)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--clauses", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    config = write_handbook(args.target, Scale(args.policies, args.versions, args.clauses, seed=args.seed))
    print(f"Wrote {config}")


if __name__ == "__main__":
    main()
