"""Pod security: the Pod Security Standards `restricted` profile, rule by rule."""

from __future__ import annotations

from gitops_tools.policy.rules.security.run_as_non_root import run_as_non_root

RULES = [run_as_non_root]
