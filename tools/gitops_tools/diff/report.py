"""`gitops diff` output: Markdown for a pull-request comment (size-capped), text, JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from gitops_tools.diff.run import DiffResult

COMMENT_LIMIT = 65_536
MARKER = "<!-- gitops-diff -->"  # lets the PR workflow find and update its own comment


def _short(sha: str) -> str:
    return sha[:12] if len(sha) == 40 else sha


def markdown(result: DiffResult) -> list[str]:
    """The comment as sections; `capped` joins as many as fit."""
    changed = [e for e in result.environments if e.changed or e.errors]
    head = [
        MARKER,
        f"## Rendered diff: {_short(result.base)} → {_short(result.head)}",
        "",
    ]
    if not changed:
        return ["\n".join([*head, "No rendered object changes in any environment.", ""])]
    head += ["| Environment | Added | Removed | Changed |", "|---|---:|---:|---:|"]
    head += [
        f"| {e.env} | {e.count('added')} | {e.count('removed')} | {e.count('changed')} |"
        for e in result.environments
    ]
    sections = ["\n".join([*head, ""])]
    for e in changed:
        lines = [f"### {e.env}", ""]
        lines += [f"> :warning: {message}" for message in e.errors]
        if e.images:
            lines += ["", "| Workload | Container | Before | After |", "|---|---|---|---|"]
            lines += [
                f"| {i.workload} | {i.container} | `{i.before}` | `{i.after}` |" for i in e.images
            ]
        if e.scaling:
            lines += ["", "**Scaling and resources**", ""]
            lines += [f"- {note}" for note in e.scaling]
        sections.append("\n".join([*lines, ""]))
        for change in e.changes:
            sections.append(
                f"<details><summary>{change.title} ({change.status})</summary>\n\n"
                f"```diff\n{change.diff}```\n</details>\n"
            )
    return sections


def capped(sections: list[str], full_path: str, limit: int = COMMENT_LIMIT) -> str:
    """Whole sections up to the limit, then a note naming the file with everything."""
    note = f"\n_Output cut to fit a comment; the full diff is in `{full_path}`._\n"
    out: list[str] = []
    size = 0
    for section in sections:
        if size + len(section) + len(note) > limit:
            return "\n".join(out) + note
        out.append(section)
        size += len(section) + 1
    return "\n".join(out)


def text(result: DiffResult) -> str:
    lines = [f"rendered diff {_short(result.base)} -> {_short(result.head)}"]
    for e in result.environments:
        lines.append(
            f"{e.env}: {e.count('added')} added, {e.count('removed')} removed, "
            f"{e.count('changed')} changed"
        )
        lines += [f"  error: {message}" for message in e.errors]
        lines += [f"  image {i.workload} {i.container}: {i.before} -> {i.after}" for i in e.images]
        lines += [f"  {note}" for note in e.scaling]
        for change in e.changes:
            lines += [f"  {change.status} {change.title}", change.diff.rstrip("\n")]
    return "\n".join(lines) + "\n"


def as_json(result: DiffResult) -> str:
    return (
        json.dumps(
            {
                "base": result.base,
                "head": result.head,
                "changed": result.changed,
                "environments": [asdict(e) for e in result.environments],
            },
            indent=2,
        )
        + "\n"
    )
