"""Output formats. Each module turns findings and a summary into text; none decides anything.
`report.formatters()` picks them by name (this package imports none of them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gitops_tools.findings import Finding


@dataclass(frozen=True)
class Summary:
    files: int
    objects: int
    errors: int
    warnings: int
    seconds: float
    suppressed: int = 0
    helm_sources: dict[str, int] | None = None  # `check`: {"rendered": N, "not_cached": M}


Formatter = Callable[[Sequence[Finding], Summary], str]


FORMAT_NAMES = ("text", "json", "sarif", "junit", "github")
