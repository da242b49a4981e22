"""Building and pinning the qr-generator images of a test repository."""

from __future__ import annotations

from .conftest import PromoRepo, Run
from .oci import Pushed, push_image


def registry_url(prefix: str) -> tuple[str, str]:
    """`http://host` and the repository path prefix of an environment's registry."""
    host, _, space = prefix.partition("/")
    return f"http://{host}", space


def build(repo: PromoRepo, env: str, image: str, tag: str, single: bool = False) -> Pushed:
    """Push a random image for one qr-generator image into an environment's registry."""
    url, space = registry_url(getattr(repo, env))
    arches = ("amd64",) if single else ("amd64", "arm64")
    path = "/".join(filter(None, [space, "qr-generator", image]))
    return push_image(url, path, tag, arches)


def pin(repo: PromoRepo, image: str, tag: str, digest: str, *extra: str) -> Run:
    """`gitops image set qr-generator --env dev --image IMAGE --tag TAG --digest DIGEST`."""
    return repo.run(
        "image",
        "set",
        "qr-generator",
        "--env",
        "dev",
        "--image",
        image,
        "--tag",
        tag,
        "--digest",
        digest,
        *extra,
    )


def build_and_pin(repo: PromoRepo, tag: str) -> dict[str, Pushed]:
    """Build both images into dev and pin them in dev's overlay, as CI does."""
    pushed = {
        "qr-backend": build(repo, "dev", "backend", tag),
        "qr-frontend": build(repo, "dev", "frontend", tag, single=True),
    }
    for image, built in pushed.items():
        result = pin(repo, image, tag, built.digest)
        assert result.code == 0, result.err
    return pushed
