"""Argo CD integrity: overlays owned once, projects allow what apps do, sync-wave order."""

from __future__ import annotations

RULES: list = []  # type: ignore[type-arg]
