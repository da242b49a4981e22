"""Output formats. Each module turns findings and a summary into text; none decides anything."""

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


def formatters() -> dict[str, Formatter]:
    from gitops_tools.formats import github, json_format, junit, sarif, text

    return {
        "text": text.render,
        "json": json_format.render,
        "sarif": sarif.render,
        "junit": junit.render,
        "github": github.render,
    }


FORMAT_NAMES = ("text", "json", "sarif", "junit", "github")
