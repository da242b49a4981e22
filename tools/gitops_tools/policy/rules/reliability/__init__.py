"""Reliability and resources: requests/limits, probes, HPAs, PDBs, Services, NetworkPolicies."""

from __future__ import annotations

RULES: list = []  # type: ignore[type-arg]
