"""The one finding builder for a problem in an object: located in the file the object was
written in, the object named, and secret values masked, so that no output format (text,
JSON, SARIF, JUnit, GitHub annotations) ever shows a value under a Secret's data or
stringData, or a field a rule marks sensitive."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from gitops_tools.findings import Finding, Severity
from gitops_tools.manifests import Manifest

MASK = "***"
SECRET_KINDS = frozenset({"Secret"})
SECRET_FIELDS = ("data", "stringData")  # their values never appear in any output format


class Locator(Protocol):
    """Where a field of an object is written (`locations.SourceIndex`)."""

    def position(self, manifest: Manifest, field: Sequence[str | int]) -> tuple[Path, int, int]:
        """File, line and column of `field` of `manifest` (line 0 when unknown)."""
        ...


def object_finding(
    m: Manifest,
    path: Sequence[str | int],
    rule_id: str,
    message: str,
    sources: Locator,
    *,
    severity: Severity = Severity.ERROR,
    hint: str = "",
    env: str | None = None,
    sensitive: bool = False,
) -> Finding:
    """The one finding builder for a problem in an object: located at `path` in the file the
    object was written in (the path as loaded: absolute in a repository check, as given by
    `gitops validate`), the object named, and every value under a Secret's data/stringData
    (and the value at `path` when `sensitive`) masked in the message and hint."""
    file, line, column = sources.position(m, path)
    secrets = list(secret_values(m.obj, path if sensitive else None, m.kind))
    return Finding(
        path=str(file),
        line=line,
        column=column,
        rule_id=rule_id,
        message=mask(message, secrets),
        severity=severity,
        env=(m.env or "") if env is None else env,
        api_version=m.api_version,
        kind=m.kind,
        namespace=m.namespace,
        name=m.name,
        hint=mask(hint, secrets),
    )


def is_secret_field(kind: str, path: Sequence[str | int]) -> bool:
    """Whether `path` is, or is under, a field whose values must never be shown."""
    return kind in SECRET_KINDS and bool(path) and path[0] in SECRET_FIELDS


def secret_values(
    obj: Any, extra: Sequence[str | int] | None = None, kind: str | None = None
) -> Iterator[Any]:
    """Every value (leaves and the subtrees holding them) that must not be shown: those under
    a Secret's data and stringData, and under `extra` when given."""
    kind = kind if kind is not None else (obj.get("kind") if isinstance(obj, dict) else "")
    roots: list[Any] = []
    if kind in SECRET_KINDS and isinstance(obj, dict):
        roots += [obj[f] for f in SECRET_FIELDS if f in obj]
    if extra is not None:
        value: Any = obj
        for step in extra:
            try:
                value = value[step]
            except (KeyError, IndexError, TypeError):
                value = None
                break
        if value is not None:
            roots.append(value)
    for root in roots:
        yield from _subtree(root)


def _subtree(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _subtree(item)
    elif isinstance(value, list):
        yield value
        for item in value:
            yield from _subtree(item)
    elif value is not None:
        yield value


def _renderings(value: Any) -> set[str]:
    """The ways a value may be printed in a message: as written, repr, JSON, Python str."""
    out = {str(value), repr(value)}
    try:
        out |= {json.dumps(value), json.dumps(value, separators=(",", ":"))}
        out.add(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        out.add(str(int(value)))
    return {r for r in out if r.strip()}


def mask(text: str, values: Sequence[Any]) -> str:
    """`text` with every rendering of each value replaced by ***, longest first; short values
    only where they stand alone (not inside a longer word or number)."""
    if not text or not values:
        return text
    renderings = sorted({r for v in values for r in _renderings(v)}, key=len, reverse=True)
    for rendering in renderings:
        pattern = re.escape(rendering)
        if rendering[:1].isalnum() or rendering[:1] == "_":
            pattern = r"(?<![\w.+\-[])" + pattern
        if rendering[-1:].isalnum() or rendering[-1:] == "_":
            pattern += r"(?![\w\]])"
        text = re.sub(pattern, MASK, text)
    return text
