"""Tools that keep a Kustomize + Argo CD GitOps repository correct."""

from __future__ import annotations

__version__ = "0.1.0"
