"""`path:line:col: ID message` lines, a hint under each, and a one-line summary; with `color`,
the location bold, the rule ID and the summary's counts in their severity's colour."""

from __future__ import annotations

from collections.abc import Sequence

from gitops_tools.colors import painter
from gitops_tools.findings import Finding, merge_environments
from gitops_tools.formats import Summary


def render(findings: Sequence[Finding], summary: Summary, color: bool = False) -> str:
    paint = painter(color)
    lines = []
    for f in merge_environments(f for f in findings if not f.suppression):
        where = f"{f.path}:{f.line}" if f.line else f.path
        where += f":{f.column}" if f.line and f.column else ""
        subject = f"{f.object_ref}: " if f.object_ref else ""
        envs = f" [{f.env}]" if f.env else ""
        rule = paint(f.rule_id, str(f.severity))
        lines.append(f"{paint(where, 'location')}: {rule} {subject}{f.message}{envs}")
        if f.hint:
            lines.append(paint(f"    hint: {f.hint}", "hint"))
    if summary.helm_sources and any(summary.helm_sources.values()):
        helm = summary.helm_sources
        lines.append(
            f"Helm sources: {helm.get('rendered', 0)} rendered, "
            f"{helm.get('not_cached', 0)} not cached"
        )
    errors = f"{summary.errors} error(s)"
    warnings = f"{summary.warnings} warning(s)"
    lines.append(
        (paint(errors, "error") if summary.errors else errors)
        + ", "
        + (paint(warnings, "warning") if summary.warnings else warnings)
        + (f", {summary.suppressed} suppressed" if summary.suppressed else "")
        + f" in {summary.objects} objects from {summary.files} files ({summary.seconds:.2f}s)"
    )
    return "\n".join(lines) + "\n"
