"""`replacements:`: a target field takes its value from a source field, so a finding on the
target points where the source value was set (else at the target's `fieldPaths` entry)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from gitops_tools.field_origins.layers import Reach
from gitops_tools.field_origins.selectors import Target, selects
from gitops_tools.field_origins.texts import FieldPath, Position, Text

_ITEM = re.compile(r"^\[([^=\]]*)=([^\]]*)\]$")
SourceLookup = Callable[[dict[str, Any]], Position | None]


def split_field_path(text: str) -> list[str]:
    """kustomize's field path (`spec.containers.[name=app].image`): dots inside brackets
    do not split."""
    parts, current, depth = [], "", 0
    for char in text:
        if char == "." and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += (char == "[") - (char == "]")
        current += char
    parts.append(current)
    return [p for p in parts if p]


def resolve_field_path(text: str, obj: Any) -> list[str | int] | None:
    """The concrete path a field path names in `obj` (the first match), or None."""
    path: list[str | int] = []
    for part in split_field_path(text):
        item = _ITEM.match(part)
        if isinstance(obj, list):
            index = _index(part, item, obj)
            if index is None:
                return None
            path.append(index)
            obj = obj[index]
        elif isinstance(obj, dict) and part in obj:
            path.append(part)
            obj = obj[part]
        else:
            return None
    return path


def _index(part: str, item: re.Match[str] | None, items: list[Any]) -> int | None:
    if part.isdigit():
        return int(part) if int(part) < len(items) else None
    for index, value in enumerate(items):
        if item and isinstance(value, dict) and str(value.get(item[1])) == item[2]:
            return index
        if part == "*" or (item and not item[1] and str(value) == item[2]):
            return index
    return None


def field_path_names(text: str, path: FieldPath, obj: Any) -> bool:
    """Whether a field path names `path` of `obj` (or an ancestor of it)."""
    parts = split_field_path(text)
    if not parts or len(parts) > len(path):
        return False
    for part, step in zip(parts, path, strict=False):
        item = _ITEM.match(part)
        if isinstance(step, int):
            if not isinstance(obj, list) or not 0 <= step < len(obj):
                return False
            value = obj[step]
            named = part == "*" or part == str(step)
            if item:
                key, want = item[1], item[2]
                named = str(value.get(key)) == want if key and isinstance(value, dict) else False
                named = named or (not key and str(value) == want)
            if not named:
                return False
            obj = value
        else:
            if part not in (step, "*") or not isinstance(obj, dict):
                return False
            obj = obj.get(step)
    return True


@dataclass(frozen=True)
class Replacement:
    """One replacement (inline in a kustomization, or from its `path:` file)."""

    text: Text
    index: int
    at: tuple[str | int, ...]  # the replacement's mapping in document `index`
    source: SourceLookup  # where the source field's value was set
    resets: bool = False

    def reach(self, target: Target, path: FieldPath) -> Reach | None:
        data = self.text.get(self.index, self.at)
        targets = data.get("targets") if isinstance(data, dict) else None
        for number, rule in enumerate(targets if isinstance(targets, list) else []):
            if not isinstance(rule, dict) or not selects(rule.get("select"), target):
                continue
            rejects = rule.get("reject")
            if any(selects(r, target) for r in (rejects if isinstance(rejects, list) else [])):
                continue
            for field, text in enumerate(rule.get("fieldPaths") or []):
                if isinstance(text, str) and field_path_names(text, path, target.obj):
                    where = [*self.at, "targets", number, "fieldPaths", field]
                    return Reach(len(path), True, partial(self._position, where))
        return None

    def _position(self, fallback: list[str | int]) -> Position:
        source = self.text.get(self.index, [*self.at, "source"])
        found = self.source(source) if isinstance(source, dict) else None
        return found or self.text.position(self.index, fallback)
