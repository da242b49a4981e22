"""Patch-level origins: the file and line in the kustomization tree that set a rendered field.

kustomize's origin annotation names only the file an object started in. For a finding on a
field, `FieldOrigins.position` follows the object through every layer that built it
(strategic-merge and JSON 6902 patches, components, `images`, `replicas`, replacements,
generators, labels and namespace) and points at the last one that set the field; None when
that is the object's own source document, or when the tree cannot be read, so the caller
looks there as before. Only findings pay for it, and every file is read once per run.
"""

from gitops_tools.field_origins.resolve import FieldOrigins

__all__ = ["FieldOrigins"]
