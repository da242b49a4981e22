"""Container image references (`[registry/]repository[:tag][@digest]`), parsed as the container
runtime reads them: the grammar of github.com/distribution/reference, with Docker Hub defaults."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import FieldPath, containers

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
