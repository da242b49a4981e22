"""What one layer of a build (a source document, a patch, a transformer entry) holds of a field.

A layer's `reach` of a rendered field path says how many of the path's steps it holds, whether
it sets the value there wholesale, and where in its text that is. Strategic-merge patches are
walked with the API server's list semantics: lists with a merge key (containers by name, ports
by containerPort, ...) match the rendered item by that key; other lists are replaced whole
(so are all lists of custom resources, as kustomize has no schema for them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from gitops_tools.field_origins.selectors import Target, patch_means, selects
from gitops_tools.field_origins.texts import FieldPath, Position, Text

CONTAINER_LISTS = frozenset({"containers", "initContainers", "ephemeralContainers"})
MERGE_KEYS = {
    **dict.fromkeys(CONTAINER_LISTS, "name"),
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
    "resourceClaims": "name",
    "schedulingGates": "name",
    "ownerReferences": "uid",
    "conditions": "type",
    "webhooks": "name",
}
# a strategic-merge patch names its object with these; they are not values it sets
_IDENTITY = (("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace"))


@dataclass(frozen=True)
class Reach:
    depth: int  # how many steps of the field path the layer holds
    replaces: bool  # it sets the value at the path (or an ancestor) whole, not merged into
    locate: Callable[[], Position]
    base: bool = False  # the object's own source document


class Layer(Protocol):
    @property
    def resets(self) -> bool:
        """It replaces the whole object: what came before no longer counts."""

    def reach(self, target: Target, path: FieldPath) -> Reach | None: ...


def merge_key(path: FieldPath, builtin: bool) -> str | None:
    """The merge key of the list at `path` (None: the list is replaced whole)."""
    field = path[-1] if path else None
    if not builtin or not isinstance(field, str):
        return None
    if field == "ports":
        in_container = len(path) >= 3 and path[-3] in CONTAINER_LISTS
        return "containerPort" if in_container else "port"
    return MERGE_KEYS.get(field)


def walk(doc: Any, rendered: Any, path: FieldPath, builtin: bool) -> tuple[list[str | int], bool]:
    """The part of `path` that `doc` holds, as a path in `doc`, and whether `doc` replaces
    the value there whole (a replaced list, `$patch: replace`)."""
    here, there = doc, rendered
    held: list[str | int] = []
    replaced = False
    for i, step in enumerate(path):
        if isinstance(here, dict):
            replaced = replaced or here.get("$patch") == "replace"
            if not isinstance(step, str) or step not in here:
                break
            here, there = here[step], there.get(step) if isinstance(there, dict) else None
            held.append(step)
        elif isinstance(here, list) and isinstance(step, int) and isinstance(there, list):
            if not 0 <= step < len(there):
                break
            key = None if replaced else merge_key(path[:i], builtin)
            if key is None or any(
                isinstance(x, dict) and x.get("$patch") == "replace" for x in here
            ):
                replaced = True
                index: int | None = step if step < len(here) else None
            else:
                index = _item_with(here, key, there[step])
            if index is None:
                break
            here, there = here[index], there[step]
            held.append(index)
        else:
            break
    if len(held) == len(path) and isinstance(here, dict) and here.get("$patch") == "replace":
        replaced = True
    return held, replaced


def _item_with(items: list[Any], key: str, rendered_item: Any) -> int | None:
    want = rendered_item.get(key) if isinstance(rendered_item, dict) else None
    if want is None:
        return None
    for index, item in enumerate(items):
        if not isinstance(item, dict) or item.get("$patch") == "delete":
            continue
        if item.get(key) is not None and str(item.get(key)) == str(want):
            return index
    return None


@dataclass(frozen=True)
class Source:
    """The document an object was written in: it holds every field no later layer set."""

    text: Text
    index: int
    resets: bool = False

    def reach(self, target: Target, path: FieldPath) -> Reach | None:
        held, _ = walk(self.text.docs[self.index], target.obj, path, target.builtin)
        # the caller's own lookup goes by list index: only right when no item moved
        same = held == list(path[: len(held)])
        return Reach(len(held), True, partial(self.text.position, self.index, held), base=same)


@dataclass(frozen=True)
class StrategicMerge:
    """One document of a strategic-merge patch, applied by its own name or by `target:`."""

    text: Text
    index: int
    selector: dict[str, Any] | None = None
    resets: bool = False

    def reach(self, target: Target, path: FieldPath) -> Reach | None:
        doc = self.text.docs[self.index]
        applies = selects(self.selector, target) if self.selector else patch_means(doc, target)
        if not applies or not isinstance(doc, dict):
            return None
        held, replaced = walk(doc, target.obj, path, target.builtin)
        if len(held) == len(path) and _names_only(doc, path):
            return None
        return Reach(len(held), replaced, partial(self.text.position, self.index, held))


def _names_only(doc: dict[str, Any], path: FieldPath) -> bool:
    """The patch holds `path` only to say which object it patches."""
    if tuple(path[:2]) in _IDENTITY or tuple(path[:1]) in _IDENTITY:
        return True
    metadata = doc.get("metadata")
    if tuple(path) == ("metadata",) and isinstance(metadata, dict):
        return set(metadata) <= {"name", "namespace"}
    return not path


@dataclass(frozen=True)
class Json6902:
    """A JSON patch (RFC 6902) of the objects `selector` picks; the last op wins."""

    text: Text
    index: int
    selector: dict[str, Any]
    resets: bool = False

    def reach(self, target: Target, path: FieldPath) -> Reach | None:
        ops = self.text.docs[self.index]
        if not isinstance(ops, list) or not selects(self.selector, target):
            return None
        best: Reach | None = None
        appended: dict[tuple[str, ...], int] = {}
        for number in reversed(range(len(ops))):
            op = ops[number]
            if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "copy", "move"):
                continue
            tokens = pointer(op.get("path"))
            if tokens is None:
                continue
            common = _common(tokens, path, target.obj, appended)
            if tokens and tokens[-1] == "-":
                parent = tuple(tokens[:-1])
                appended[parent] = appended.get(parent, 0) + 1
            if common == len(tokens):  # the op sets the path or one of its ancestors
                rest = list(path[len(tokens) :])
                where: list[str | int] = (
                    [number, "value", *rest] if "value" in op else [number, "path"]
                )
                return Reach(len(path), True, partial(self.text.position, self.index, where))
            if best is None or common > best.depth:
                best = Reach(common, False, partial(self.text.position, self.index, [number]))
        return best


def pointer(value: Any) -> list[str] | None:
    """The tokens of a JSON pointer (`/a/b~1c/-`); None when it is not one."""
    if not isinstance(value, str) or (value and not value.startswith("/")):
        return None
    return [t.replace("~1", "/").replace("~0", "~") for t in value.split("/")[1:]]


def _common(
    tokens: Sequence[str], path: FieldPath, obj: Any, appended: dict[tuple[str, ...], int]
) -> int:
    """How many leading steps of `path` the pointer names (`-`: the item it appended)."""
    here = obj
    for i, (token, step) in enumerate(zip(tokens, path, strict=False)):
        if isinstance(step, int):
            if not isinstance(here, list):
                return i
            later = appended.get(tuple(tokens[:i]), 0)  # items appended after this op
            if token == "-" and step != len(here) - 1 - later:
                return i
            if token != "-" and token != str(step):
                return i
            here = here[step] if 0 <= step < len(here) else None
        else:
            if token != step:
                return i
            here = here.get(step) if isinstance(here, dict) else None
    return min(len(tokens), len(path))
