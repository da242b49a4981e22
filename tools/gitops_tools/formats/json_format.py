"""`{"findings": [...], "summary": {...}}`, one finding per environment it was seen in."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from gitops_tools.findings import Finding
from gitops_tools.formats import Summary


def finding_dict(f: Finding) -> dict[str, object]:
    return {
        "rule_id": f.rule_id,
        "severity": str(f.severity),
        "env": f.env,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "object": {
            "apiVersion": f.api_version,
            "kind": f.kind,
            "namespace": f.namespace,
            "name": f.name,
        },
        "message": f.message,
        "hint": f.hint,
        "suppressed": f.suppression or None,
    }


def render(findings: Sequence[Finding], summary: Summary) -> str:
    payload = {
        "findings": [finding_dict(f) for f in sorted(findings)],
        "summary": {
            k: v
            for k, v in asdict(summary).items()
            if k != "suppressed" and (k != "helm_sources" or v is not None)
        }
        | {"seconds": round(summary.seconds, 3), "suppressed": summary.suppressed},
    }
    return json.dumps(payload, indent=2) + "\n"
