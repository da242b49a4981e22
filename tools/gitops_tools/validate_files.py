"""`gitops validate`: schema validation of any manifest files, like kubeconform, offline."""

from __future__ import annotations

import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gitops_tools.errors import FatalError
from gitops_tools.fileio import manifest_files
from gitops_tools.findings import Finding, Severity
from gitops_tools.locations import SourceIndex
from gitops_tools.manifests import Loaded, load_file, load_text
from gitops_tools.schemas import SchemaStore, builtin_versions, custom_schemas, load_schema_dir
from gitops_tools.trees import TreeOptions, shown_path, split_tree
from gitops_tools.validate import problem_findings, validate_manifests
from gitops_tools.yamlio import YamlError, decode_text

STDIN = Path("<stdin>")


def validate_paths(
    paths: Sequence[str],
    kubernetes_version: str | None,
    crds: Sequence[Path],
    missing_schema: Severity = Severity.ERROR,
    tree_options: object = None,
) -> tuple[list[Finding], int, int]:
    """Findings, files read and objects validated."""
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
        _require_file_or_directory(raw, path)
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
    used = {(m.api_version.rpartition("/")[0], m.kind) for m in loaded.manifests}
    custom = custom_schemas(_needed(used, (m.obj for m in loaded.manifests)))
    for crd_path in crds:
        _require_file_or_directory(f"--crds {crd_path}", crd_path)
        custom |= custom_schemas(
            _needed(used, load_schema_dir(crd_path) if crd_path.is_dir() else _documents(crd_path))
        )
    store = SchemaStore(version, custom)
    findings = problem_findings(loaded.problems) + tree.findings
    sources.add_loaded(loaded)
    findings += validate_manifests(loaded.manifests, store, sources, missing_schema)
    return tree.relocate(findings), files, len(loaded.manifests)


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


@dataclass
class Expanded:
    """What `gitops validate` gets from the directories given: files to load plainly, objects
    rendered, findings about rendering, and how to move findings to chart templates."""

    files: list[Path] = field(default_factory=list)
    loaded: Loaded = field(default_factory=Loaded)
    findings: list[Finding] = field(default_factory=list)
    inputs: int = 0
    relocate: Callable[[list[Finding]], list[Finding]] = lambda f: f


def expand_paths(paths: Sequence[Path], options: TreeOptions, kubernetes_version: str) -> Expanded:
    """Split every directory given, render its kustomizations and charts (in a throwaway
    cache), and return the rest as plain files."""
    expanded = Expanded()
    rendered_points: list[Path] = []
    for path in paths:
        if path.is_dir():
            tree = split_tree(path, options)
            expanded.files += tree.files
            rendered_points += tree.kustomizations + tree.charts
        elif not options.ignored(path):
            expanded.files.append(path)
    if not rendered_points:
        return expanded
    from gitops_tools.pipeline import EnvironmentRun, run_environments, standalone_cluster

    root = Path.cwd().resolve()
    cluster = standalone_cluster("default", "default", kubernetes_version, root)
    cache = tempfile.TemporaryDirectory(prefix="gitops-validate-")
    runs: list[EnvironmentRun] = run_environments(
        root,
        [cluster],
        Path(cache.name),
        paths=rendered_points,
        fetch=False,
        allow_remote=options.allow_remote,
    )
    for run in runs:
        expanded.loaded.extend(run.loaded)
        expanded.findings += run.findings
        expanded.inputs += len(run.files)

    def relocate(findings: list[Finding]) -> list[Finding]:
        from gitops_tools.helm_check import relocate as to_templates

        try:
            moved = to_templates(findings, [run.helm for run in runs], root)
        finally:
            cache.cleanup()
        return [replace(f, path=shown_path(f.path, root)) for f in moved]

    expanded.relocate = relocate
    return expanded
