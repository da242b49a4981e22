"""Images and API versions: registries, tags, digests, deprecated or removed apiVersions."""

from __future__ import annotations

RULES: list = []  # type: ignore[type-arg]
