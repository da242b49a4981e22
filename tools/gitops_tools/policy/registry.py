"""The explicit list of policy rules. A rule's ID is stable and never reused; each family
package lists its rules, and this module lists the families."""

from __future__ import annotations

from gitops_tools import rules as core_rules
from gitops_tools.policy.model import Rule
from gitops_tools.policy.rules import FAMILIES

RULES: list[Rule] = [rule for family in FAMILIES for rule in family]


def _register() -> None:
    for rule in RULES:
        if rule.id in core_rules.REGISTRY:
            continue
        core_rules.register(
            core_rules.RuleInfo(rule.id, rule.name, rule.title, rule.severity, rule.doc)
        )


_register()
BY_ID = {rule.id: rule for rule in RULES}
