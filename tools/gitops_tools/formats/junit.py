"""JUnit XML: a test case per checked file, failing with every finding in it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from gitops_tools.findings import Finding, Severity, merge_environments
from gitops_tools.formats import Summary


def render(findings: Sequence[Finding], summary: Summary) -> str:
    merged = merge_environments(f for f in findings if not f.suppression)
    failing = [f for f in merged if f.severity >= Severity.WARNING]
    suites = ET.Element("testsuites", name="gitops")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="gitops check",
        tests=str(max(1, len({f.path for f in failing}))),
        failures=str(len({f.path for f in failing})),
        errors="0",
        time=f"{summary.seconds:.3f}",
    )
    if not failing:
        ET.SubElement(suite, "testcase", classname="gitops", name=f"{summary.objects} objects")
    for path, group in groupby(sorted(failing, key=lambda f: f.path), key=lambda f: f.path):
        items = list(group)
        case = ET.SubElement(suite, "testcase", classname="gitops", name=path)
        failure = ET.SubElement(
            case,
            "failure",
            message=f"{len(items)} finding(s)",
            type=",".join(sorted({f.rule_id for f in items})),
        )
        failure.text = "\n".join(
            f"{f.path}:{f.line}:{f.column}: {f.rule_id} [{f.severity}] "
            f"{f.object_ref + ': ' if f.object_ref else ''}{f.message}"
            + (f" [{f.env}]" if f.env else "")
            for f in items
        )
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
