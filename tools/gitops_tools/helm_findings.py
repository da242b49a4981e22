"""A finding about an Argo CD Helm source, at its entry (or a field below it) in the
Application: shared by the values check and the Helm stage."""

from __future__ import annotations

from pathlib import Path

from gitops_tools import catalog
from gitops_tools.findings import Finding
from gitops_tools.helm import HelmSource
from gitops_tools.yamlio import YamlError, decode_text, locate


def source_finding(
    source: HelmSource,
    repo_root: Path,
    env: str,
    rule: catalog.RuleInfo,
    message: str,
    hint: str,
    below: tuple[str | int, ...] = (),
) -> Finding:
    """A finding about a Helm source, at its entry (or a field below it) in the Application."""
    from gitops_tools.fileio import display

    try:
        text = decode_text(source.declared_in.read_bytes())
        line, column = locate(text, source.doc_index, [*source.field, *below])
    except (OSError, YamlError):
        line, column = 0, 0
    return Finding(
        path=display(source.declared_in, repo_root),
        line=line,
        column=column,
        rule_id=rule.id,
        message=message,
        severity=rule.severity,
        env=env,
        api_version="argoproj.io/v1alpha1",
        kind="Application",
        namespace="argocd",
        name=source.app,
        hint=hint,
    )
