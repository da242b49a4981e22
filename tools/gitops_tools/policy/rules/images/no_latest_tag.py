from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import container_images
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule


@object_rule("GO302", "no-latest-tag", "Images must not use the latest tag", Severity.ERROR)
def no_latest_tag(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container image names a version: a tag other than `latest`, or a digest.

    Applies when the profile setting `forbidLatestTag` is true (the default). An image with
    neither tag nor digest (`nginx`, `localhost:5000/app`) is pulled as `:latest`. The tag is
    what follows the last `:` of the last path component, so a registry port is not a tag; a
    reference that cannot be parsed at all is reported too, since the runtime cannot pull it.

    Why: `latest` moves. Two nodes can run different code under the same manifest, a rollback
    to the previous manifest does not roll back the code, and Git no longer says what runs,
    which defeats GitOps. Kubernetes also defaults `imagePullPolicy` to `Always` for it.

    Fix: use the release's version tag (set by `images:` `newTag` in the kustomization), or
    pin a digest.

    Bad:
        containers:
          - name: web
            image: registry.example.com/web:latest

    Good:
        containers:
          - name: web
            image: registry.example.com/web:2.4.1
    """
    if not ctx.profile.setting("forbidLatestTag"):
        return
    for name, image, reference, where in container_images(m):
        if reference is None:
            message = (
                f"container {name!r} image {image!r} is not a valid image reference: write "
                "[registry/]repository:tag in lowercase, with a version tag"
            )
        elif reference.tag == "latest":
            message = (
                f"container {name!r} image {image!r} uses the tag latest: set a version tag "
                "or a digest"
            )
        elif not reference.tag and not reference.digest:
            message = (
                f"container {name!r} image {image!r} has no tag, so it pulls latest: set a "
                "version tag or a digest"
            )
        else:
            continue
        yield Violation(m, where, message)
