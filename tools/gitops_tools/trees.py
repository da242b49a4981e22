"""Any directory tree, understood as a GitOps repository lays it out: a kustomization directory
is rendered, a chart directory rendered with its default values, and what only feeds them
(patches, Chart.yaml, values files, templates) is never read as a manifest. kubeconform's
`--skip KIND,...` and `--ignore-filename-pattern REGEX` for the rest."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_tools.errors import FatalError
from gitops_tools.fileio import MANIFEST_SUFFIXES, kustomization_file, manifest_files
from gitops_tools.manifests import Manifest
from gitops_tools.yamlio import YamlError, decode_text, load_documents

if TYPE_CHECKING:
    from gitops_tools.cluster import Cluster
    from gitops_tools.discover import EntryPoint
    from gitops_tools.helm import HelmSource

CHART_FILE = "Chart.yaml"
_VALUES_NAME = re.compile(r"^(.*[._-])?values([._-].*)?\.ya?ml$")


def add_tree_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="KIND,...",
        help="kinds not to validate (Kind or group/version/Kind, comma-separated; repeatable)",
    )
    parser.add_argument(
        "--ignore-filename-pattern",
        action="append",
        default=[],
        metavar="REGEX",
        help="skip files whose path matches this regular expression (repeatable)",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="let kustomize fetch remote resources and helmCharts (refused by default)",
    )


@dataclass(frozen=True)
class TreeOptions:
    skip: frozenset[str] = frozenset()
    ignore: tuple[re.Pattern[str], ...] = ()
    allow_remote: bool = False

    @classmethod
    def from_args(cls, args: Any) -> TreeOptions:
        skip = {k.strip() for item in getattr(args, "skip", []) or [] for k in item.split(",")}
        patterns = []
        for raw in getattr(args, "ignore_filename_pattern", []) or []:
            try:
                patterns.append(re.compile(raw))
            except re.error as exc:
                raise FatalError(f"--ignore-filename-pattern {raw!r}: {exc}") from None
        return cls(frozenset(k for k in skip if k), tuple(patterns), bool(args.allow_remote))

    def ignored(self, path: Path) -> bool:
        return any(p.search(str(path)) for p in self.ignore)

    def skipped(self, m: Manifest) -> bool:
        group_version_kind = f"{m.api_version}/{m.kind}"
        return m.kind in self.skip or group_version_kind in self.skip


@dataclass
class Tree:
    """A directory split by what each part is."""

    files: list[Path] = field(default_factory=list)  # plain manifests
    kustomizations: list[Path] = field(default_factory=list)
    charts: list[Path] = field(default_factory=list)


def is_values_file(path: Path) -> bool:
    """Helm values (values.yaml, values-prod.yaml, values/prod.yaml): no document is an
    object (with both apiVersion and kind; a chart value may well be called `kind`)."""
    if not (_VALUES_NAME.match(path.name) or path.parent.name == "values"):
        return False
    try:
        docs = load_documents(decode_text(path.read_bytes()))
    except (OSError, YamlError):
        return False
    return not any(isinstance(d, dict) and {"apiVersion", "kind"} <= set(d) for d in docs)


def _is_component(kfile: Path) -> bool:
    try:
        docs = load_documents(decode_text(kfile.read_bytes()))
    except (OSError, YamlError):
        return False
    return any(isinstance(d, dict) and d.get("kind") == "Component" for d in docs)


def split_tree(root: Path, options: TreeOptions) -> Tree:
    """Kustomization and chart directories under `root` (or `root` itself) and the plain
    manifest files outside them."""
    tree = Tree()
    if root.is_file():
        tree.files = [] if options.ignored(root) else [root]
        return tree
    owned: list[Path] = []  # directories whose files feed a kustomization or chart
    for directory in sorted([root, *(p for p in root.rglob("*") if p.is_dir())]):
        hidden = any(part.startswith(".") for part in directory.relative_to(root).parts)
        if not hidden and not any(directory.is_relative_to(o) for o in owned):
            _take_directory(directory, tree, owned, options)
    for file in manifest_files(root):
        if any(file.is_relative_to(o) for o in owned) or options.ignored(file):
            continue
        if file.suffix in MANIFEST_SUFFIXES and not is_values_file(file):
            tree.files.append(file)
    return tree


def _take_directory(directory: Path, tree: Tree, owned: list[Path], options: TreeOptions) -> None:
    """A kustomization or chart directory owns its files (a component's are rendered only
    by the kustomizations that use it)."""
    kfile = kustomization_file(directory)
    if kfile is not None:
        owned.append(directory)
        if not _is_component(kfile) and not options.ignored(kfile):
            tree.kustomizations.append(directory)
    elif (directory / CHART_FILE).is_file():
        owned.append(directory)
        if not options.ignored(directory / CHART_FILE):
            tree.charts.append(directory)


def chart_source(chart: Path) -> HelmSource:
    """A chart directory as a Helm source with its default values (release: its name)."""
    from gitops_tools.helm import HelmSource

    return HelmSource(
        app="",
        declared_in=chart / CHART_FILE,
        doc_index=0,
        field=(),
        repo_url="",
        chart="",
        version="",
        chart_dir=chart.resolve(),
        release_name=re.sub(r"[^a-z0-9-]", "-", chart.resolve().name.lower())[:53] or "release",
        namespace="default",
    )


def tree_entry_points(cluster: Cluster, path: Path) -> list[EntryPoint]:
    """A PATH given to `gitops check` as entry points: a file, a kustomization, a chart, or
    a tree split into its kustomizations, charts and plain files."""
    from gitops_tools.discover import EntryPoint

    env, resolved = cluster.environment, path.resolve()
    if path.is_file() or kustomization_file(path) is not None:
        return [EntryPoint(env, "", resolved, resolved, True)]
    if (path / CHART_FILE).is_file():
        return [EntryPoint(env, "", resolved, resolved / CHART_FILE, helm=chart_source(path))]
    tree = split_tree(path, TreeOptions())
    points = [EntryPoint(env, "", k.resolve(), k.resolve(), True) for k in tree.kustomizations]
    points += [
        EntryPoint(env, "", c.resolve(), (c / CHART_FILE).resolve(), helm=chart_source(c))
        for c in tree.charts
    ]
    points += [EntryPoint(env, "", f.resolve(), f.resolve(), True) for f in tree.files]
    return points


def shown_path(path: str, root: Path) -> str:
    """Rendered objects know their source by absolute path; show it as the user gave it."""
    if not path.startswith("/"):
        return path
    resolved = Path(path)
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else path
