"""Which object a patch, a replacement or a generator means: kustomize's selectors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_GENERATED_HASH = re.compile(r"-[a-z0-9]{10}$")
_TERM = re.compile(
    r"^\s*(?:(?P<neg>!)\s*(?P<absent>[^\s=!(),]+)"
    r"|(?P<key>[^\s=!(),]+)\s*(?:(?P<op>==|=|!=)\s*(?P<value>[^\s=!(),]*)"
    r"|\s+(?P<set>in|notin)\s*\((?P<values>[^()]*)\))?)\s*$"
)


@dataclass(frozen=True)
class Target:
    """The object a finding is about, with every name and namespace it had on the way."""

    obj: dict[str, Any]
    kind: str
    group: str
    version: str
    names: frozenset[str]
    namespaces: frozenset[str]

    @property
    def builtin(self) -> bool:
        """A Kubernetes kind (strategic-merge list semantics known) rather than a CRD's."""
        return "." not in self.group or self.group.endswith(".k8s.io")

    def labels(self, field: str = "labels") -> dict[str, Any]:
        metadata = self.obj.get("metadata")
        found = metadata.get(field) if isinstance(metadata, dict) else None
        return found if isinstance(found, dict) else {}


def group_version(api_version: Any) -> tuple[str, str]:
    text = str(api_version or "")
    return tuple(text.split("/", 1)) if "/" in text else ("", text)  # type: ignore[return-value]


def without_hash(name: str) -> str:
    return _GENERATED_HASH.sub("", name)


@lru_cache(maxsize=512)
def _pattern(text: str) -> re.Pattern[str] | None:
    try:
        return re.compile(text)
    except re.error:
        return None


def _matches(want: str, values: frozenset[str]) -> bool:
    """kustomize anchors selector fields and reads them as regular expressions."""
    if want in values:
        return True
    pattern = _pattern(want)
    return pattern is not None and any(pattern.fullmatch(v) for v in values)


def selects(selector: Any, target: Target) -> bool:
    """Whether a `target:`/`select:` selector picks `target` (never for a malformed one)."""
    if not isinstance(selector, dict):
        return False
    wanted = {
        "kind": frozenset({target.kind}),
        "group": frozenset({target.group}),
        "version": frozenset({target.version}),
        "name": target.names,
        "namespace": target.namespaces,
    }
    for field, values in wanted.items():
        want = selector.get(field)
        if want not in (None, "") and not _matches(str(want), values):
            return False
    for field, source in (("labelSelector", "labels"), ("annotationSelector", "annotations")):
        want = selector.get(field)
        if want not in (None, "") and not label_selector_matches(str(want), target.labels(source)):
            return False
    return True


def label_selector_matches(selector: str, labels: dict[str, Any]) -> bool:
    """A label selector string (`a=b,c!=d,e in (f,g),!h`) against labels; False when the
    selector cannot be read."""
    terms = re.split(r",(?![^()]*\))", selector)
    for term in terms:
        found = _TERM.match(term)
        if found is None:
            return False
        if found["absent"]:
            if found["absent"] in labels:
                return False
            continue
        key, present = found["key"], found["key"] in labels
        value = str(labels.get(key, ""))
        if found["op"] in ("=", "=="):
            ok = present and value == found["value"]
        elif found["op"] == "!=":
            ok = not present or value != found["value"]
        elif found["set"]:
            options = {v.strip() for v in found["values"].split(",")}
            ok = (present and value in options) == (found["set"] == "in")
        else:
            ok = present
        if not ok:
            return False
    return True


def patch_means(doc: Any, target: Target) -> bool:
    """Whether a strategic-merge patch document without a `target:` patches `target`."""
    if not isinstance(doc, dict) or doc.get("kind") != target.kind:
        return False
    metadata = doc.get("metadata")
    if not isinstance(metadata, dict) or str(metadata.get("name", "")) not in target.names:
        return False
    group, _ = group_version(doc.get("apiVersion"))
    if doc.get("apiVersion") and group != target.group:
        return False
    namespace = metadata.get("namespace")
    return namespace in (None, "") or str(namespace) in target.namespaces
