from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import container_images, registry_prefix, under_prefix
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule


def allowed_prefixes(ctx: Context) -> list[str]:
    """The profile's `allowedRegistries` as normalised prefixes; `{registry}` is the cluster's
    registry, and an entry naming it is dropped when the cluster has none."""
    entries = ctx.profile.setting("allowedRegistries")
    registry = ctx.cluster.registry if ctx.cluster is not None else ""
    out = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, str):
            continue
        if "{registry}" in entry:
            if not registry:
                continue
            entry = entry.replace("{registry}", registry)
        if entry.strip().rstrip("/"):
            out.append(registry_prefix(entry))
    return out


@object_rule(
    "GO301", "allowed-registry", "Images must come from an allowed registry", Severity.ERROR
)
def allowed_registry(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container image comes from a registry (or registry path) the profile allows.

    The profile setting `allowedRegistries` lists prefixes such as
    `333333333333.dkr.ecr.us-east-1.amazonaws.com/` or `public.ecr.aws/docker/library/`;
    the entry `{registry}` stands for the registry in the environment's cluster.yaml. A prefix
    matches whole path components (`registry.example.com/team/` does not admit
    `registry.example.com/teamwork/app`), and short Docker Hub names (`nginx:1.27`) are
    `docker.io/library/nginx`. An empty list enforces nothing.

    Why: an image from an arbitrary registry bypasses the scanning, signing and retention of
    the approved registries, can vanish or change under the same tag, and needs egress to the
    internet from the nodes; EKS nodes in private subnets cannot pull it at all.

    Fix: push (or pull-through cache) the image into an allowed registry and reference it
    there, or add the registry to `allowedRegistries` in policies/config.yaml if it is
    approved.

    Bad:
        containers:
          - name: web
            image: nginx:1.27

    Good:
        containers:
          - name: web
            image: 333333333333.dkr.ecr.us-east-1.amazonaws.com/web:1.27
    """
    prefixes = allowed_prefixes(ctx)
    if not prefixes:
        return
    for name, image, reference, where in container_images(m):
        if reference is None:
            yield Violation(
                m,
                where,
                f"container {name!r} image {image!r} is not a valid image reference, so its "
                "registry cannot be checked: write [registry/]repository[:tag][@digest]",
            )
        elif not any(under_prefix(reference, prefix) for prefix in prefixes):
            allowed = ", ".join(f"{prefix}/" for prefix in prefixes)
            yield Violation(
                m,
                where,
                f"container {name!r} image {image!r} ({reference.name}) is not from an "
                f"allowed registry: use an image under {allowed}",
            )
