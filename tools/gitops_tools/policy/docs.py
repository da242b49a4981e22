"""`gitops rules`, `gitops explain ID` and the generated policies/rules.md, from a catalog."""

from __future__ import annotations

from gitops_tools.catalog import Catalog
from gitops_tools.errors import FatalError

RULES_MD = "policies/rules.md"


def rules_table(catalog: Catalog) -> str:
    lines = [f"{r.id}  {r.severity!s:<8} {r.name:<34} {r.title}" for r in catalog.values()]
    return "\n".join(lines) + "\n"


def explain(rule_id: str, catalog: Catalog) -> str:
    info = catalog.get(rule_id.upper())
    if info is None:
        raise FatalError(f"no rule {rule_id!r}", "`gitops rules` lists them")
    return f"{info.id} {info.name} ({info.severity})\n{info.title}\n\n{info.doc}\n"


def rules_markdown(catalog: Catalog) -> str:
    """policies/rules.md: generated, and a test fails when the file is stale."""
    out = [
        "# Rules",
        "",
        "Generated from the rule registry by `gitops rules --markdown > policies/rules.md`;",
        "do not edit by hand. Severities are defaults; `policies/config.yaml` changes them per",
        "environment profile, and `policies/exemptions.yaml` suppresses single findings.",
        "",
        "| ID | Name | Default | Title |",
        "|---|---|---|---|",
    ]
    out += [f"| {r.id} | {r.name} | {r.severity} | {r.title} |" for r in catalog.values()]
    for r in catalog.values():
        out += ["", f"## {r.id} {r.name}", "", f"**{r.title}** (default: {r.severity})", ""]
        out += [_indent_examples(r.doc)]
    return "\n".join(out) + "\n"


def _indent_examples(doc: str) -> str:
    """Docstring sections as Markdown; the indented examples become code blocks."""
    lines, block = [], False
    for line in doc.splitlines():
        if line.startswith("    ") and not block:
            lines += ["```yaml"]
            block = True
        elif block and line and not line.startswith("    "):
            lines += ["```"]
            block = False
        lines.append(line[4:] if block else line)
    if block:
        lines.append("```")
    return "\n".join(lines).replace("```yaml\n\n", "```yaml\n").replace("\n\n```\n", "\n```\n")
