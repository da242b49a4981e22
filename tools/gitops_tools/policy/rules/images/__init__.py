"""Images and API versions: registries, tags, digests, deprecated or removed apiVersions."""

from __future__ import annotations

from gitops_tools.policy.model import Rule
from gitops_tools.policy.rules.images.allowed_registry import allowed_registry
from gitops_tools.policy.rules.images.deprecated_api_version import deprecated_api_version
from gitops_tools.policy.rules.images.image_architectures import image_architectures
from gitops_tools.policy.rules.images.image_digest_required import image_digest_required
from gitops_tools.policy.rules.images.no_latest_tag import no_latest_tag

RULES: list[Rule] = [
    allowed_registry,
    no_latest_tag,
    image_digest_required,
    deprecated_api_version,
    image_architectures,
]
