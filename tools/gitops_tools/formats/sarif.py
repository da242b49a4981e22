"""SARIF 2.1.0 for GitHub code scanning: the rule table from the registry, one result per place."""

from __future__ import annotations

import json
from collections.abc import Sequence

from gitops_tools import __version__
from gitops_tools.catalog import BUILTIN, Catalog
from gitops_tools.findings import Finding, Severity, merge_environments
from gitops_tools.formats import Summary

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(findings: Sequence[Finding], summary: Summary, catalog: Catalog | None = None) -> str:
    """The SARIF log; its rule table is `catalog` (default: the built-in rules)."""
    rules = list((catalog if catalog is not None else BUILTIN).values())
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for f in merge_environments(findings):
        location: dict[str, object] = {"artifactLocation": {"uri": f.path}}
        if f.line:
            location["region"] = {"startLine": f.line, "startColumn": max(f.column, 1)}
        text = f"{f.object_ref}: {f.message}" if f.object_ref else f.message
        if f.env:
            text += f" (environments: {f.env})"
        if f.hint:
            text += f"\nHint: {f.hint}"
        result: dict[str, object] = {
            "ruleId": f.rule_id,
            "level": LEVELS[f.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": location}],
        }
        if f.rule_id in index:
            result["ruleIndex"] = index[f.rule_id]
        if f.suppression:
            result["suppressions"] = [{"kind": "external", "justification": f.suppression}]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gitops",
                        "version": __version__,
                        "informationUri": "https://github.com/example-org/gitops-platform",
                        "rules": [
                            {
                                "id": r.id,
                                "name": r.name,
                                "shortDescription": {"text": r.title},
                                "fullDescription": {"text": r.doc},
                                "help": {"text": r.doc},
                                "defaultConfiguration": {"level": LEVELS[r.severity]},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
