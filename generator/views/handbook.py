"""The handbook's own views: the policy index and each policy's history."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Category, Handbook, Policy, PolicyVersion, Status, title_key, version_key


@dataclass(frozen=True, slots=True)
class CategoryGroup:
    category: Category
    policies: tuple[Policy, ...]


def policy_index(handbook: Handbook) -> tuple[CategoryGroup, ...]:
    """Policies grouped by category, in handbook.yaml's category order."""
    groups = []
    for category in handbook.categories:
        policies = tuple(sorted(
            (p for p in handbook.policies if p.current.category == category.id),
            key=lambda p: title_key(p.title, p.id),
        ))
        if policies:
            groups.append(CategoryGroup(category, policies))
    return tuple(groups)


def comparison_pairs(policy: Policy) -> tuple[tuple[PolicyVersion, PolicyVersion], ...]:
    """Consecutive versions, plus each draft against the adopted version."""
    versions = sorted(policy.versions, key=lambda v: version_key(v.version))
    pairs = list(zip(versions, versions[1:]))
    adopted = policy.adopted
    if adopted is not None:
        for draft in policy.drafts:
            if (adopted, draft) not in pairs:
                pairs.append((adopted, draft))
    return tuple(pairs)


def superseded_on(policy: Policy, version: PolicyVersion) -> PolicyVersion | None:
    """The version that replaced ``version``, if any."""
    later = [v for v in policy.versions if version_key(v.version) > version_key(version.version) and v.status is not Status.DRAFT]
    return later[0] if later else None


def related_index(handbook: Handbook) -> dict[str, tuple[Policy, ...]]:
    """For every policy, the policies it names plus those that name it, in one pass."""
    ids: dict[str, set[str]] = {p.id: set(p.current.related) for p in handbook.policies}
    for policy in handbook.policies:
        for other in policy.current.related:
            if other in ids:
                ids[other].add(policy.id)
    # A withdrawn policy is no longer a place to send readers (validation warns where one is named).
    live = {p.id: p for p in handbook.policies if p.current.status is not Status.WITHDRAWN}
    return {
        policy_id: tuple(sorted((live[i] for i in related if i in live), key=lambda p: title_key(p.title, p.id)))
        for policy_id, related in ids.items()
    }

