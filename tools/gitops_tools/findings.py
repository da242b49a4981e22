"""The one record every check produces, and what it takes to rank and group them. Findings
about an object are built by `object_findings.object_finding` (file:line, secrets masked)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import IntEnum


class Severity(IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. Paths are relative to the repository (or as given)."""

    path: str
    line: int
    column: int
    rule_id: str
    message: str
    severity: Severity = Severity.ERROR
    env: str = ""
    api_version: str = ""
    kind: str = ""
    namespace: str = ""
    name: str = ""
    hint: str = ""
    suppression: str = ""  # the exemption's reason when one covers this finding

    @property
    def object_ref(self) -> str:
        """`Kind namespace/name`, or '' when the finding is about a file, not an object."""
        if not self.kind:
            return ""
        return f"{self.kind} {self.namespace + '/' if self.namespace else ''}{self.name}"


def merge_environments(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per place and message; `env` lists every environment it was seen in.

    A mistake in a base shows up once per environment; reviewers want it once.
    """
    merged: dict[tuple[object, ...], Finding] = {}
    envs: dict[tuple[object, ...], list[str]] = {}
    for f in findings:
        key = (
            f.path,
            f.line,
            f.column,
            f.rule_id,
            f.message,
            f.severity,
            f.kind,
            f.name,
            f.suppression,
        )
        if key not in merged:
            merged[key] = f
            envs[key] = []
        if f.env and f.env not in envs[key]:
            envs[key].append(f.env)
    return sorted(replace(f, env=",".join(envs[k])) for k, f in merged.items())


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts
