"""Reporting findings: the summary, the chosen format, where it goes, and the exit code.

Formatters (`gitops_tools.formats.*`) only turn findings into text; this module picks one,
writes the report (standard output or `--output`, see `fileio.write_output`) and decides the
exit code from the findings and the rule catalog it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_tools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from gitops_tools.fileio import is_stdout, write_output
from gitops_tools.findings import Finding, Severity, count_by_severity
from gitops_tools.formats import Formatter, Summary

if TYPE_CHECKING:
    from gitops_tools.catalog import Catalog
    from gitops_tools.pipeline import CheckResult


_FORMAT_MODULES = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
}


def formatter(name: str, catalog: Catalog | None = None, color: bool = False) -> Formatter:
    """The formatter called `name`, its module imported only now (JUnit's pulls in XML).
    SARIF's rule table lists `catalog` (default: the built-in rules); `color`: the text
    report in colour (the machine-read formats never are)."""
    import importlib
    from functools import partial

    module = importlib.import_module(f"gitops_tools.formats.{_FORMAT_MODULES[name]}")
    if name == "sarif":
        return partial(module.render, catalog=catalog)
    if name == "text" and color:
        return partial(module.render, color=True)
    render: Formatter = module.render
    return render


def formatters(catalog: Catalog | None = None) -> dict[str, Formatter]:
    """Every formatter by name."""
    return {name: formatter(name, catalog) for name in _FORMAT_MODULES}


def summarize(
    findings: Sequence[Finding],
    files: int,
    objects: int,
    seconds: float,
    helm_sources: dict[str, int] | None = None,
) -> Summary:
    active = [f for f in findings if not f.suppression]
    counts = count_by_severity(active)
    return Summary(
        files,
        objects,
        counts[Severity.ERROR],
        counts[Severity.WARNING],
        seconds,
        suppressed=len(findings) - len(active),
        helm_sources=helm_sources,
    )


def exit_code(findings: Sequence[Finding], catalog: Catalog, fail_on: Severity) -> int:
    """2 when some input could not be checked at all, 1 when a finding is at least `fail_on`
    severe, else 0. Suppressed findings count for neither."""
    active = [f for f in findings if not f.suppression]
    if any(catalog.is_input_error(f.rule_id) for f in active):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(f.severity >= fail_on for f in active) else EXIT_OK


def report(
    findings: Sequence[Finding],
    summary: Summary,
    *,
    format_name: str,
    output: str | Path | None,
    catalog: Catalog,
    fail_on: Severity,
    preamble: str = "",
    summary_only: bool = False,
    color: bool = False,
) -> int:
    """Write the report (text preceded by `preamble` when it goes to standard output; only
    its summary line with `summary_only`; in colour with `color`, never into a file) and
    return the exit code."""
    color = color and (output is None or is_stdout(output))
    text = formatter(format_name, catalog, color)(findings, summary)
    if summary_only and format_name == "text":
        text = text.splitlines(keepends=True)[-1] if text else text
    if preamble and output is None:
        text = preamble + text
    write_output(output, text)
    return exit_code(findings, catalog, fail_on)


def environment_lines(result: CheckResult) -> str:
    """Per environment: entry points, objects, kinds, renders and time (text format only)."""
    lines = []
    for run in result.runs:
        env = run.cluster.environment
        kinds = run.loaded.kinds()
        lines.append(
            f"{env:<10} {len(run.entry_points):>3} entry points "
            f"{len(run.loaded.manifests):>5} objects {len(kinds):>3} kinds "
            f"({run.rendered} rendered, {run.cached} cached) {result.seconds[env]:.2f}s"
        )
        lines.append("           " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    return "".join(f"{line}\n" for line in lines)
