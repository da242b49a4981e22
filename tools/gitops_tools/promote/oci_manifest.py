"""OCI and Docker manifests as registries serve them: the original bytes, their media type and
digest, and the descriptors (child manifests, config and layers) a copy has to follow."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from gitops_tools.errors import FatalError

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX_TYPES = frozenset({OCI_INDEX, DOCKER_LIST})
IMAGE_TYPES = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
MANIFEST_TYPES = (OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST)
# Layers that may not be redistributed (Windows base layers): they stay where `urls` point
FOREIGN_LAYERS = frozenset(
    {
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    }
)
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def short(digest: str) -> str:
    """`sha256:0123456789ab`: enough to recognise a digest in a line of output."""
    return digest[:19]


@dataclass(frozen=True)
class Descriptor:
    """A reference from a manifest to a blob or a child manifest."""

    digest: str
    size: int
    media_type: str
    platform: str = ""
    foreign: bool = False


@dataclass(frozen=True)
class Manifest:
    """A manifest exactly as stored: a copy PUTs these bytes, so the digest never changes."""

    body: bytes
    media_type: str
    digest: str

    @classmethod
    def parse(cls, body: bytes, media_type: str | None, where: str) -> Manifest:
        data = _json(body, where)
        declared = data.get("mediaType")
        kind = media_type.split(";")[0].strip() if media_type else ""
        if kind not in MANIFEST_TYPES:
            kind = declared if isinstance(declared, str) else ""
        if kind not in MANIFEST_TYPES:
            if data.get("schemaVersion") == 1:
                raise FatalError(
                    f"{where}: a Docker schema 1 manifest, which registries no longer accept",
                    "rebuild and push the image with a current builder",
                )
            raise FatalError(f"{where}: not an image manifest or index (media type {kind!r})")
        return cls(body, kind, sha256_digest(body))

    @property
    def is_index(self) -> bool:
        return self.media_type in INDEX_TYPES

    def children(self) -> list[Descriptor]:
        """The platform manifests (and attestations) of an index; empty for an image."""
        if not self.is_index:
            return []
        return [_descriptor(d) for d in self._data().get("manifests") or []]

    def blobs(self) -> list[Descriptor]:
        """The config and layers of an image manifest; empty for an index."""
        if self.is_index:
            return []
        data = self._data()
        config = [data["config"]] if isinstance(data.get("config"), dict) else []
        return [_descriptor(d) for d in config + list(data.get("layers") or [])]

    def platforms(self) -> list[str]:
        return [c.platform for c in self.children() if c.platform]

    def describe(self) -> str:
        if self.is_index:
            platforms = [p for p in self.platforms() if p != "unknown/unknown"]
            return f"multi-arch index ({', '.join(platforms) or 'no platforms'})"
        return "single-platform image"

    def _data(self) -> dict[str, Any]:
        return _json(self.body, self.digest)


def _json(body: bytes, where: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FatalError(f"{where}: the manifest is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise FatalError(f"{where}: the manifest is not a JSON object")
    return data


def _descriptor(raw: Any) -> Descriptor:
    if not isinstance(raw, dict) or not DIGEST.fullmatch(str(raw.get("digest", ""))):
        raise FatalError(f"a manifest holds a malformed descriptor: {raw!r}")
    platform = raw.get("platform") or {}
    shown = "/".join(str(platform[k]) for k in ("os", "architecture", "variant") if platform.get(k))
    media_type = str(raw.get("mediaType", ""))
    return Descriptor(
        digest=str(raw["digest"]),
        size=int(raw.get("size", 0)),
        media_type=media_type,
        platform=shown,
        foreign=media_type in FOREIGN_LAYERS and bool(raw.get("urls")),
    )
