"""Copy one image by digest from a repository to another, in any registries: child manifests
of an index first, then each one's blobs (skipped when present, mounted within one registry,
streamed otherwise), then the original manifest bytes, and the digest checked afterwards."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gitops_tools.errors import FatalError
from gitops_tools.promote.names import Repository
from gitops_tools.promote.oci_manifest import Descriptor, Manifest, short
from gitops_tools.promote.store import Registries


@dataclass
class CopyReport:
    """What a copy did, for the output and the `Registry-Copy` trailer."""

    manifests: int = 0
    copied: int = 0
    mounted: int = 0
    present: int = 0
    bytes: int = 0

    def summary(self) -> str:
        mib = self.bytes / (1 << 20)
        return (
            f"{self.manifests} manifest(s), {self.copied} blob(s) copied ({mib:.1f} MiB), "
            f"{self.mounted} mounted, {self.present} already present"
        )


def copy_image(
    registries: Registries,
    source: Repository,
    target: Repository,
    digest: str,
    tag: str | None,
) -> CopyReport:
    """Make `target` hold `digest` (tagged `tag`), taking what it lacks from `source`."""
    src, dst = registries.of(source), registries.of(target)
    report = CopyReport()
    top = dst.manifest(target.path, digest)
    if top is None:
        top = src.manifest(source.path, digest)
        if top is None:
            raise FatalError(f"{source.reference(None, digest)} does not exist; nothing copied")
        _copy_manifest(registries, source, target, top, report)
    dst.put_manifest(target.path, tag or digest, top)
    stored = dst.manifest(target.path, tag or digest)
    if stored is None or stored.digest != digest:
        got = stored.digest if stored else "nothing"
        raise FatalError(
            f"{target.reference(tag)} holds {got} after the copy, not {digest}",
            "another writer changed the tag meanwhile; check the registry",
        )
    return report


def _copy_manifest(
    registries: Registries,
    source: Repository,
    target: Repository,
    manifest: Manifest,
    report: CopyReport,
) -> None:
    src, dst = registries.of(source), registries.of(target)
    for child in manifest.children():
        if dst.manifest_digest(target.path, child.digest) == child.digest:
            continue
        found = src.manifest(source.path, child.digest)
        if found is None:
            raise FatalError(
                f"{source.reference(None, manifest.digest)} lists {short(child.digest)} "
                f"({child.platform or 'no platform'}), which the registry does not have"
            )
        _copy_manifest(registries, source, target, found, report)
        dst.put_manifest(target.path, child.digest, found)
    for blob in manifest.blobs():
        _copy_blob(registries, source, target, blob, report)
    report.manifests += 1


def _copy_blob(
    registries: Registries,
    source: Repository,
    target: Repository,
    blob: Descriptor,
    report: CopyReport,
) -> None:
    src, dst = registries.of(source), registries.of(target)
    if blob.foreign or dst.has_blob(target.path, blob.digest):
        report.present += 1
        return
    if src is dst and dst.mount_blob(target.path, blob.digest, source.path):
        report.mounted += 1
        return
    hasher = hashlib.sha256()
    with src.open_blob(source.path, blob.digest) as chunks:
        dst.upload_blob(target.path, blob.digest, blob.size, _hashed(chunks, hasher, report))
    if f"sha256:{hasher.hexdigest()}" != blob.digest:
        raise FatalError(f"blob {blob.digest} of {source} arrived with another digest")
    report.copied += 1


def _hashed(chunks: Iterable[bytes], hasher: hashlib._Hash, report: CopyReport) -> Iterator[bytes]:
    for chunk in chunks:
        hasher.update(chunk)
        report.bytes += len(chunk)
        yield chunk
