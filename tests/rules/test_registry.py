"""The rule catalog: unique stable IDs, documented, with fixtures; rules.md not stale."""

from __future__ import annotations

import re
from pathlib import Path

from gitops_tools.policy.docs import rules_markdown
from gitops_tools.policy.registry import RULES, catalog

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def test_ids_are_unique_and_well_formed() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"GO[1-8][0-9]{2}", i) for i in ids)
    names = [r.name for r in catalog().values()]
    assert len(names) == len(set(names))


def test_every_rule_is_documented() -> None:
    for rule in RULES:
        for section in ("Why:", "Fix:", "Bad:", "Good:"):
            assert section in rule.doc, (rule.id, section)
        assert rule.title and rule.name == rule.name.lower()


def test_every_rule_has_pass_and_fail_fixtures() -> None:
    for rule in RULES:
        for outcome in ("pass", "fail"):
            assert list((FIXTURES / rule.id / outcome).glob("*.yaml")), (rule.id, outcome)


def test_rules_md_is_generated_from_the_registry() -> None:
    current = (REPO / "policies" / "rules.md").read_text()
    assert current == rules_markdown(catalog()), (
        "run: .venv/bin/gitops rules --markdown > policies/rules.md"
    )
