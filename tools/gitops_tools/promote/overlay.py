"""An application's overlay per environment and the entries of its `images:` block."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from gitops_tools.cluster import Cluster
from gitops_tools.discover import discover
from gitops_tools.errors import FatalError
from gitops_tools.fileio import kustomization_file


@dataclass(frozen=True)
class ImageEntry:
    """One `images:` entry: `name` is what the manifests say, the rest what kustomize sets."""

    name: str
    new_name: str | None
    new_tag: str | None
    digest: str | None
    line: int  # 1-based line of the entry

    @property
    def repository_name(self) -> str:
        return self.new_name or self.name


def load_yaml(text: str, shown: str) -> Any:
    """A round-trip (comment and position keeping) load of one YAML document."""
    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise FatalError(f"{shown}{line}: not valid YAML: {exc}".splitlines()[0]) from None


def image_entries(text: str, shown: str) -> list[ImageEntry]:
    """The `images:` entries of a kustomization, each checked for shape."""
    doc = load_yaml(text, shown)
    images = doc.get("images") if isinstance(doc, dict) else None
    if images is None:
        return []
    if not isinstance(images, list):
        raise FatalError(f"{shown}: images: is not a list")
    entries: list[ImageEntry] = []
    for number, item in enumerate(images):
        if not isinstance(item, CommentedMap) or not isinstance(item.get("name"), str):
            raise FatalError(f"{shown}: images[{number}] has no name")
        fields = {}
        for key in ("newName", "newTag", "digest"):
            value = item.get(key)
            if value is not None and not isinstance(value, str):
                line = item.lc.value(key)[0] + 1
                raise FatalError(
                    f"{shown}:{line}: images[{number}].{key} is {value!r}, not a string",
                    'quote it, e.g. newTag: "1.10"',
                )
            fields[key] = value
        entries.append(
            ImageEntry(
                item["name"],
                fields["newName"],
                fields["newTag"],
                fields["digest"],
                item.lc.line + 1,
            )
        )
    names = [e.name for e in entries]
    for name in names:
        if names.count(name) > 1:
            raise FatalError(f"{shown}: images: names {name!r} twice", "keep one entry per name")
    return entries


def find_entry(entries: list[ImageEntry], name: str, shown: str) -> ImageEntry:
    for entry in entries:
        if entry.name == name:
            return entry
    raise FatalError(
        f"{shown}: no images: entry named {name!r}",
        f"add one (name: {name}, newName: <this environment's repository>) and commit it",
    )


def overlay_file(cluster: Cluster, app: str, repo_root: Path) -> Path:
    """The kustomization file that the Argo CD Application `app` deploys in `cluster`."""
    points = [p for p in discover(cluster, repo_root) if p.app == app]
    env = cluster.environment
    if not points:
        known = sorted({p.app for p in discover(cluster, repo_root)})
        raise FatalError(
            f"no Argo CD Application named {app!r} under clusters/{env}/",
            f"applications of {env}: {', '.join(known) or 'none'}",
        )
    if len({p.path for p in points}) > 1:
        raise FatalError(f"Application {app!r} of {env} has several sources; promote one of them")
    found = kustomization_file(points[0].path)
    if found is None:
        raise FatalError(
            f"Application {app!r} of {env} deploys {points[0].path}, which has no kustomization",
            "promotion edits the images: block of a kustomization overlay",
        )
    return found
