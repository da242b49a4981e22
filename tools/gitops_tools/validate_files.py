"""`gitops validate`: schema validation of any manifest files, like kubeconform, offline."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

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
    tree_options: object = None,
) -> tuple[list[Finding], int, int]:
    """Findings, files read and objects validated."""
    from gitops_tools.trees import TreeOptions, expand_paths

    loaded = Loaded()
    sources = SourceIndex()
    files = 0
    options = TreeOptions.from_args(tree_options) if tree_options else TreeOptions()
    version = kubernetes_version or ".".join(map(str, builtin_versions()[-1]))
    dirs: list[Path] = []
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
        if not path.exists():
            raise FatalError(f"{raw}: no such file or directory")
        found = manifest_files(path)
        if path.is_dir() and not found:
            raise FatalError(f"{raw}: no .yaml, .yml or .json files in this directory")
        dirs.append(path)
    tree = expand_paths(dirs, options, version)  # kustomizations, charts, values files, skips
    loaded.extend(tree.loaded)
    files += tree.inputs
    for file in tree.files:
        files += 1
        loaded.extend(load_file(file))
    loaded.manifests = [m for m in loaded.manifests if not options.skipped(m)]
    custom = custom_schemas(m.obj for m in loaded.manifests)
    for crd_path in crds:
        if not crd_path.exists():
            raise FatalError(f"--crds {crd_path}: no such file or directory")
        custom |= custom_schemas(
            load_schema_dir(crd_path) if crd_path.is_dir() else _documents(crd_path)
        )
    store = SchemaStore(version, custom)
    findings = problem_findings(loaded.problems, _display) + tree.findings
    sources.add_counts(loaded.document_counts)
    findings += validate_manifests(loaded.manifests, store, _display, sources, missing_schema)
    return tree.relocate(findings), files, len(loaded.manifests)


def _documents(path: Path) -> list[object]:
    loaded = load_file(path)
    if loaded.problems:
        p = loaded.problems[0]
        raise FatalError(f"--crds {path}:{p.line}: {p.message}")
    return [m.obj for m in loaded.manifests]
