"""Kubernetes objects read the tolerant way: accessors that never raise on malformed input
(a `spec` that is a string, a list of containers that holds a number), the pod template, spec,
labels and containers of every workload kind, label selectors, and container image references
(`[registry/]repository[:tag][@digest]`), parsed as the container runtime reads them: the
grammar of github.com/distribution/reference, with Docker Hub defaults.

Policy rules, `gitops diff` and promotion share these; nothing here imports the policy engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gitops_tools.manifests import Manifest

FieldPath = tuple[str | int, ...]
WORKLOAD_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"}
)


def pod_template(manifest: Manifest) -> tuple[dict[str, Any], FieldPath] | None:
    """The pod template (metadata + spec) of a workload and its path, or None."""
    obj = manifest.obj
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    kind = manifest.kind
    if kind == "Pod":
        return obj, ()
    if kind == "CronJob":
        job_template = spec.get("jobTemplate")
        job = job_template.get("spec") if isinstance(job_template, dict) else None
        template = job.get("template") if isinstance(job, dict) else None
        path: FieldPath = ("spec", "jobTemplate", "spec", "template")
    elif kind in WORKLOAD_KINDS:
        template = spec.get("template")
        path = ("spec", "template")
    else:
        return None
    return (template, path) if isinstance(template, dict) else None


def pod_spec(manifest: Manifest) -> tuple[dict[str, Any], FieldPath] | None:
    """The pod spec of a workload (or Pod) and its path, or None."""
    found = pod_template(manifest)
    if found is None:
        return None
    template, path = found
    spec = template.get("spec")
    return (spec, (*path, "spec")) if isinstance(spec, dict) else None


def pod_labels(manifest: Manifest) -> dict[str, Any]:
    """The labels of a workload's pod template ({} when it has none or they are malformed)."""
    found = pod_template(manifest)
    metadata = found[0].get("metadata") if found else None
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    return labels if isinstance(labels, dict) else {}


def containers(manifest: Manifest, init: bool = True) -> Iterator[tuple[dict[str, Any], FieldPath]]:
    """Every container (and init container) of a workload with its path."""
    found = pod_spec(manifest)
    if found is None:
        return
    spec, path = found
    for key in ("initContainers", "containers") if init else ("containers",):
        items = spec.get(key)
        for index, container in enumerate(items if isinstance(items, list) else []):
            if isinstance(container, dict):
                yield container, (*path, key, index)


def selector_matches(selector: dict[str, Any] | None, labels: dict[str, Any] | None) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) against labels. As in Kubernetes,
    an empty selector `{}` selects everything and a missing one (None) selects nothing."""
    if not isinstance(selector, dict):
        return False
    labels = labels if isinstance(labels, dict) else {}
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return False  # malformed: selects nothing (the schema check reports it)
    if any(labels.get(key) != value for key, value in match_labels.items()):
        return False
    return all(_expression_matches(e, labels) for e in expressions)


def _expression_matches(expression: Any, labels: dict[str, Any]) -> bool:
    """One matchExpressions item (In, NotIn, Exists, DoesNotExist) against labels."""
    if not isinstance(expression, dict):
        return False
    key, operator = str(expression.get("key")), expression.get("operator")
    raw = expression.get("values")
    values: list[Any] = raw if isinstance(raw, list) else []
    present = key in labels
    if operator == "In":
        return present and labels[key] in values
    if operator == "NotIn":
        return not (present and labels[key] in values)
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    return True


DOCKER_HUB = "docker.io"
_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})
_HOST_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"(?:{_HOST_PART}(?:\.{_HOST_PART})*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?")
_PATH_PART = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
SHA256_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class ImageReference:
    """A parsed image reference. `digest` is kept as written (possibly malformed): whether it
    is a proper sha256 digest is the `pinned` property, so a rule can say what is wrong."""

    registry: str  # "docker.io" for Docker Hub short names
    repository: str  # "library/nginx" for "nginx"
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        """Registry and repository: `docker.io/library/nginx`."""
        return f"{self.registry}/{self.repository}"

    @property
    def pinned(self) -> bool:
        """Pinned by a well-formed sha256 digest."""
        return SHA256_DIGEST.fullmatch(self.digest) is not None


def _is_domain(component: str) -> bool:
    """Whether the first path component names a registry host, as the runtime decides."""
    return "." in component or ":" in component or component == "localhost"


def parse_image(image: str) -> ImageReference | None:
    """The parts of an image reference, or None when it is not a valid reference."""
    name, at, digest = image.partition("@")
    if at and not digest:
        return None
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = ""
    if colon > slash:  # a ":" in the last component starts the tag (not a registry port)
        name, tag = name[:colon], name[colon + 1 :]
        if not _TAG.fullmatch(tag):
            return None
    first, sep, rest = name.partition("/")
    if sep and _is_domain(first):
        if not _DOMAIN.fullmatch(first):
            return None
        registry, path = first.lower(), rest
        if registry in _HUB_ALIASES:
            registry = DOCKER_HUB
    else:
        registry, path = DOCKER_HUB, name
    if registry == DOCKER_HUB and "/" not in path:
        path = f"library/{path}"
    if not all(_PATH_PART.fullmatch(part) for part in path.split("/")):
        return None
    return ImageReference(registry, path, tag, digest)


def registry_prefix(entry: str) -> str:
    """An allowedRegistries entry as a `registry/path` prefix without the trailing slash,
    normalised like an image (Docker Hub short forms mean docker.io)."""
    entry = entry.strip().rstrip("/")
    first, sep, rest = entry.partition("/")
    if _is_domain(first):
        host = first.lower()
        host = DOCKER_HUB if host in _HUB_ALIASES else host
        return f"{host}/{rest}" if sep else host
    return f"{DOCKER_HUB}/{entry}"


def under_prefix(reference: ImageReference, prefix: str) -> bool:
    """Whether the image lies under `prefix` at a path boundary: `registry.example.com/team`
    holds `registry.example.com/team/app`, not `registry.example.com/teamwork/app`."""
    name = reference.name
    return name == prefix or name.startswith(f"{prefix}/")


def container_images(
    m: Manifest,
) -> Iterator[tuple[str, str, ImageReference | None, FieldPath]]:
    """(container name, image, parsed reference or None, path of the image field) for every
    container of a workload that names an image."""
    for container, path in containers(m):
        image = container.get("image")
        if isinstance(image, str) and image:
            yield str(container.get("name")), image, parse_image(image), (*path, "image")


def mapping(value: Any, key: str) -> dict[str, Any]:
    """`value[key]` when both are mappings, else {} (a string or list where a mapping belongs
    reads as empty: the schema check reports it, accessors must not raise)."""
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def metadata_of(obj: Any) -> dict[str, Any]:
    """An object's metadata, {} when missing or not a mapping."""
    return mapping(obj, "metadata")


def spec_of(obj: Any) -> dict[str, Any]:
    """An object's spec, {} when missing or not a mapping."""
    return mapping(obj, "spec")


def as_int(value: Any) -> int | None:
    """An integer field, or None when it is missing or not an integer (booleans excluded)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def dict_items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) of the mapping items of a list field; anything else yields nothing."""
    for number, item in enumerate(value if isinstance(value, list) else []):
        if isinstance(item, dict):
            yield number, item
