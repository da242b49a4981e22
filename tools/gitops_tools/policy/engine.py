"""Run the rules of a profile over one environment, then apply exemptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from gitops_tools import catalog as core_rules
from gitops_tools.findings import Finding, Severity
from gitops_tools.manifests import Manifest
from gitops_tools.object_findings import Locator, object_finding
from gitops_tools.policy.config import EXEMPTIONS_FILE, Exemption
from gitops_tools.policy.model import Context, Rule, Violation


def run_rules(
    manifests: Sequence[Manifest],
    context: Context,
    rules: Iterable[Rule],
    sources: Locator,
) -> list[Finding]:
    """Findings of every enabled rule over one environment's objects (paths as loaded)."""
    findings: list[Finding] = []
    by_kind: dict[str, list[Manifest]] = {}
    for m in manifests:
        by_kind.setdefault(m.kind, []).append(m)
    for rule in rules:
        severity = context.profile.severity(rule.id, rule.severity)
        if severity is None:
            continue
        violations: list[Violation] = []
        if rule.check_object is not None:
            kinds = by_kind if rule.kinds is None else rule.kinds
            for m in (m for kind in kinds for m in by_kind.get(kind, ())):
                try:
                    violations.extend(rule.check_object(m, context))
                except Exception as exc:  # a rule bug must not hide the other findings
                    violations.append(_crash(rule, m, exc))
        if rule.check_environment is not None:
            try:
                violations.extend(rule.check_environment(context))
            except Exception as exc:
                findings.append(
                    Finding(
                        "",
                        0,
                        0,
                        core_rules.RULE_CRASHED.id,
                        f"{rule.id} failed on environment {context.env}: {exc!r}",
                        env=context.env,
                    )
                )
        for v in violations:
            findings.append(_finding(rule.id, severity, v, context.env, sources))
    return findings


def _crash(rule: Rule, m: Manifest, exc: Exception) -> Violation:
    return Violation(
        m, (), f"{rule.id} failed on this object: {exc!r}", rule_id=core_rules.RULE_CRASHED.id
    )


def _finding(rule_id: str, severity: Severity, v: Violation, env: str, sources: Locator) -> Finding:
    if v.rule_id:
        rule_id, severity = v.rule_id, core_rules.CORE[v.rule_id].severity
    return object_finding(
        v.manifest,
        v.path,
        rule_id,
        v.message,
        sources,
        severity=severity,
        hint=v.hint,
        env=env,
        sensitive=v.sensitive,
    )


def suppress(
    findings: Iterable[Finding], exemptions: Sequence[Exemption], today: dt.date, used: set[int]
) -> list[Finding]:
    """Findings with those an unexpired exemption covers marked suppressed (reason kept);
    the indexes of the exemptions that matched are added to `used`."""
    out: list[Finding] = []
    for f in findings:
        for index, e in enumerate(exemptions):
            if e.expires >= today and e.matches(f.rule_id, f.env, f.kind, f.namespace, f.name):
                used.add(index)
                f = replace(f, suppression=f"{e.reason} (owner {e.owner}, until {e.expires})")
                break
        out.append(f)
    return out


def exemption_findings(
    exemptions: Sequence[Exemption], today: dt.date, used: set[int], report_unused: bool
) -> list[Finding]:
    """Expired exemptions, and (after a full check) exemptions that matched nothing."""
    out: list[Finding] = []
    for index, e in enumerate(exemptions):
        target = ", ".join(f"{k}={v}" for k, v in e.target.items())
        if e.expires < today:
            out.append(
                Finding(
                    str(EXEMPTIONS_FILE),
                    e.line,
                    1,
                    core_rules.EXEMPTION_EXPIRED.id,
                    f"exemption for {e.rule} ({target}) expired on {e.expires}",
                    hint=f"owner {e.owner}: fix the finding or renew the exemption",
                )
            )
        elif report_unused and index not in used:
            out.append(
                Finding(
                    str(EXEMPTIONS_FILE),
                    e.line,
                    1,
                    core_rules.EXEMPTION_UNUSED.id,
                    f"exemption for {e.rule} ({target}) matches no finding",
                    severity=core_rules.EXEMPTION_UNUSED.severity,
                    hint="remove it, or correct its rule and target",
                )
            )
    return out
