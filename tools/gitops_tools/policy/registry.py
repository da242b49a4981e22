"""The explicit list of policy rules, and the full rule catalog. A rule's ID is stable and
never reused; each family package lists its rules, `policy.rules` lists the families."""

from __future__ import annotations

from functools import cache

from gitops_tools.catalog import BUILTIN, Catalog
from gitops_tools.policy.model import Rule
from gitops_tools.policy.rules import FAMILIES

RULES: list[Rule] = [rule for family in FAMILIES for rule in family]
BY_ID = {rule.id: rule for rule in RULES}


@cache
def catalog() -> Catalog:
    """Every rule the tool can report: core, Terraform and policy (what docs, SARIF's rule
    table and the exit code of `gitops check` read)."""
    return BUILTIN + Catalog(RULES)
