"""Rendered objects made comparable: identity, kustomize's generated names, masked Secrets."""

from __future__ import annotations

import copy
import re
from typing import Any

Key = tuple[str, str, str, str]  # apiVersion group, kind, namespace, name
SecretValues = dict[tuple[str, str], Any]  # (data | stringData, key) -> value
# kustomize appends a 10-character content hash to generated ConfigMap and Secret names
GENERATED = re.compile(r"^(?P<stem>.+)-(?P<hash>[bcdfghkmt2-9]{10})$")
GENERATED_KINDS = {"ConfigMap", "Secret"}
MASK = "***"


def identity(obj: dict[str, Any]) -> Key:
    raw = obj.get("metadata")
    metadata: dict[str, Any] = raw if isinstance(raw, dict) else {}
    group = str(obj.get("apiVersion", "")).rpartition("/")[0]
    namespace, name = str(metadata.get("namespace") or ""), str(metadata.get("name", ""))
    return group, str(obj.get("kind", "")), namespace, name


def stable_key(key: Key) -> Key:
    """The identity with a generated hash suffix replaced, so a changed ConfigMap pairs with
    its previous version instead of reading as one removed and one added."""
    group, kind, namespace, name = key
    match = GENERATED.match(name) if kind in GENERATED_KINDS else None
    return (group, kind, namespace, f"{match['stem']}-<hash>") if match else key


def _secret_values(obj: dict[str, Any] | None) -> SecretValues:
    out: SecretValues = {}
    for field in ("data", "stringData"):
        section = obj.get(field) if obj else None
        if isinstance(section, dict):
            out.update({(field, str(k)): v for k, v in section.items()})
    return out


def _hide(
    obj: dict[str, Any] | None, mine: SecretValues, other: SecretValues, is_head: bool
) -> dict[str, Any] | None:
    if obj is None:
        return None
    clone = copy.deepcopy(obj)
    for (field, key), value in mine.items():
        changed = (field, key) in other and other[(field, key)] != value
        clone[field][key] = f"{MASK} (changed)" if changed and is_head else MASK
    return clone


def masked(
    base: dict[str, Any] | None, head: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Copies of a Secret pair with every value replaced; a value that changed still reads
    as changed (`*** (changed)`), one that did not reads the same on both sides."""
    old, new = _secret_values(base), _secret_values(head)
    return _hide(base, old, new, False), _hide(head, new, old, True)
