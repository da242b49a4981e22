"""The repository's own configuration files (cluster.yaml, policies/*.yaml): read, checked
against their JSON schema, every problem one FatalError with file, line and breadcrumb."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

from gitops_tools.errors import FatalError
from gitops_tools.yamlio import YamlError, decode_text, load_documents, locate


@cache
def _validator(schema: str) -> Any:
    text = resources.files("gitops_tools").joinpath(f"schemas/{schema}").read_text()
    return jsonschema_rs.validator_for(json.loads(text))


def breadcrumb(path: Any) -> str:
    """`aws.accountId` / `[3].expires` style path of a schema error."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


def load_checked(path: Path, shown: str, schema: str) -> tuple[Any, str]:
    """The first document of `path` and its text, once it matches `schema`."""
    try:
        text = decode_text(path.read_bytes())
        docs = load_documents(text)
    except OSError as exc:
        raise FatalError(f"{shown}: cannot read: {exc.strerror}") from None
    except YamlError as exc:
        raise FatalError(f"{shown}:{exc.line}:{exc.column}: {exc.message}") from None
    if len(docs) > 1:
        raise FatalError(f"{shown}: expected one YAML document, found {len(docs)}")
    data = docs[0] if docs else None
    errors = sorted(
        _validator(schema).iter_errors(data), key=lambda e: [str(p) for p in e.instance_path]
    )
    if errors:
        first = errors[0]
        line, _ = locate(text, 0, list(first.instance_path))
        message = first.message
        if first.instance_path and first.instance_path[-1] == "expires":
            message = f"expected a date (YYYY-MM-DD), got {first.instance!r}"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise FatalError(
            f"{shown}:{line}: {breadcrumb(first.instance_path)}: {message}{more}",
            f"the format is described in tools/gitops_tools/schemas/{schema}",
        )
    return data, text
