"""GitHub Actions workflow commands: one `::error file=...::` annotation per place."""

from __future__ import annotations

from collections.abc import Sequence

from gitops_tools.findings import Finding, Severity, merge_environments
from gitops_tools.formats import Summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: Sequence[Finding], summary: Summary) -> str:
    lines = []
    for f in merge_environments(f for f in findings if not f.suppression):
        props = [f"file={_property(f.path)}"]
        if f.line:
            props += [f"line={f.line}", f"col={max(f.column, 1)}"]
        props.append(f"title={_property(f.rule_id + (' ' + f.object_ref if f.object_ref else ''))}")
        message = (
            f.message + (f" [{f.env}]" if f.env else "") + (f"\nHint: {f.hint}" if f.hint else "")
        )
        lines.append(f"::{COMMANDS[f.severity]} {','.join(props)}::{_data(message)}")
    lines.append(
        f"{summary.errors} error(s), {summary.warnings} warning(s) in {summary.objects} objects"
    )
    return "\n".join(lines) + "\n"
