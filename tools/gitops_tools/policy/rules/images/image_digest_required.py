from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import container_images
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule


@object_rule("GO303", "image-digest-required", "Images must be pinned by digest", Severity.ERROR)
def image_digest_required(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container image is pinned by a sha256 digest (`@sha256:` and 64 hex digits).

    Applies when the profile setting `requireDigest` is true (staging and prod by default). A
    tag may stay in front of the digest (`app:1.4.2@sha256:...`, as kustomize writes it); the
    runtime pulls by the digest. A digest that is not `sha256:` followed by 64 lowercase hex
    digits is reported as malformed.

    Why: a tag can be pushed again, so the same manifest can run different code tomorrow and
    an image promoted from staging is not proven to be the one tested there. A digest names
    the exact image content, so what was reviewed and tested is what runs.

    Fix: set `digest: sha256:...` next to `newTag` in the overlay's kustomization `images:`
    entry (`crane digest IMAGE` or `aws ecr describe-images` gives it).

    Bad:
        # kustomization.yaml of the overlay
        images:
          - name: web
            newName: registry.example.com/web
            newTag: 2.4.1

    Good:
        # kustomization.yaml of the overlay
        images:
          - name: web
            newName: registry.example.com/web
            newTag: 2.4.1
            digest: sha256:4cb25943ffe53d7dbedf62180d622ae3974b3332ce42bd1b63ca825d616cc93f
    """
    if not ctx.profile.setting("requireDigest"):
        return
    for name, image, reference, where in container_images(m):
        if reference is None or reference.pinned:
            continue  # an unparsable reference is GO302's (and GO301's) finding
        if reference.digest:
            message = (
                f"container {name!r} image {image!r} has a malformed digest "
                f"{reference.digest!r}: use sha256: followed by 64 lowercase hex digits"
            )
        else:
            message = (
                f"container {name!r} image {image!r} is not pinned by digest: append "
                "@sha256:<digest> of the tested image"
            )
        yield Violation(m, where, message)
