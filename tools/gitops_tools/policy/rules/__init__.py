"""Rule families; each lists its rules explicitly (no import side effects register anything)."""

from __future__ import annotations

from gitops_tools.policy.rules.argocd import RULES as ARGOCD
from gitops_tools.policy.rules.images import RULES as IMAGES
from gitops_tools.policy.rules.reliability import RULES as RELIABILITY
from gitops_tools.policy.rules.security import RULES as SECURITY

FAMILIES = [SECURITY, RELIABILITY, IMAGES, ARGOCD]
