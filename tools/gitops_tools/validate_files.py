"""`gitops validate`: schema validation of any manifest files, like kubeconform, offline."""

from __future__ import annotations

import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from gitops_tools.discover import manifest_files
from gitops_tools.errors import FatalError
from gitops_tools.findings import Finding, Severity
from gitops_tools.locations import SourceIndex
from gitops_tools.manifests import Loaded, load_file, load_text
from gitops_tools.schemas import SchemaStore, builtin_versions, custom_schemas, load_schema_dir
from gitops_tools.validate import problem_findings, validate_manifests
from gitops_tools.yamlio import YamlError, decode_text

STDIN = Path("<stdin>")


def _display(path: Path) -> str:
    return str(path)


def validate_paths(
    paths: Sequence[str],
    kubernetes_version: str | None,
    crds: Sequence[Path],
    missing_schema: Severity = Severity.ERROR,
) -> tuple[list[Finding], int, int]:
    """Findings, files read and objects validated."""
    loaded = Loaded()
    sources = SourceIndex()
    files = 0
    for raw in paths:
        if raw == "-":
            files += 1
            try:
                text = decode_text(sys.stdin.buffer.read())
            except YamlError as exc:
                raise FatalError(f"<stdin>: {exc.message}") from None
            sources.remember(STDIN, text)
            loaded.extend(load_text(text, STDIN))
            continue
        path = Path(raw)
        _require_file_or_directory(raw, path)
        found = manifest_files(path)
        if path.is_dir() and not found:
            raise FatalError(f"{raw}: no .yaml, .yml or .json files in this directory")
        for file in found:
            files += 1
            loaded.extend(load_file(file))
    used = {(m.api_version.rpartition("/")[0], m.kind) for m in loaded.manifests}
    custom = custom_schemas(_needed(used, (m.obj for m in loaded.manifests)))
    for crd_path in crds:
        _require_file_or_directory(f"--crds {crd_path}", crd_path)
        custom |= custom_schemas(
            _needed(used, load_schema_dir(crd_path) if crd_path.is_dir() else _documents(crd_path))
        )
    version = kubernetes_version or ".".join(map(str, builtin_versions()[-1]))
    store = SchemaStore(version, custom)
    findings = problem_findings(loaded.problems, _display)
    sources.add_loaded(loaded)
    findings += validate_manifests(loaded.manifests, store, _display, sources, missing_schema)
    return findings, files, len(loaded.manifests)


def _needed(used: set[tuple[str, str]], documents: Iterable[Any]) -> Iterator[Any]:
    """The documents that may give a schema to an object in `used` (group, kind): a CRD of
    another kind is not turned into a schema (the big ones cost more than validating)."""
    for doc in documents:
        if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
            spec = doc.get("spec")
            spec = spec if isinstance(spec, dict) else {}
            names = spec.get("names")
            kind = names.get("kind") if isinstance(names, dict) else None
            if (str(spec.get("group", "")), str(kind)) not in used:
                continue
        yield doc


def _require_file_or_directory(what: str, path: Path) -> None:
    """Refuse a missing path, a FIFO, a socket or a device before anything opens it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FatalError(f"{what}: no such file or directory") from None
    except OSError as exc:
        raise FatalError(f"{what}: cannot read: {exc.strerror}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else None
        raise FatalError(
            f"{what}: not a regular file or directory ({kind or 'a device'}); "
            "give manifest files or directories"
        )


def _documents(path: Path) -> list[object]:
    loaded = load_file(path)
    if loaded.problems:
        p = loaded.problems[0]
        raise FatalError(f"--crds {path}:{p.line}: {p.message}")
    return [m.obj for m in loaded.manifests]
