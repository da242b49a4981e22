"""Kustomization fields that set values: `images`, `replicas`, labels, annotations, namespace,
and the ConfigMap/Secret generators (literals, files, env files; `behavior: merge`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from gitops_tools.field_origins.layers import CONTAINER_LISTS, Reach
from gitops_tools.field_origins.selectors import Target
from gitops_tools.field_origins.texts import FieldPath, Position, Text, Texts, value_at

_TEMPLATE_LABELS = (
    ("spec", "template", "metadata", "labels"),
    ("spec", "jobTemplate", "spec", "template", "metadata", "labels"),
    ("spec", "jobTemplate", "metadata", "labels"),
)
_NAMESPACE = ("metadata", "namespace")
_LABEL_MAPS = frozenset({"labels", "annotations", "selector", "matchLabels"})
_ANNOTATIONS = (("metadata", "annotations"), ("spec", "template", "metadata", "annotations"))
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([^#=\s][^=\s]*)\s*(?:=|$)")


def split_image(image: str) -> tuple[str, str, str]:
    """(name, tag, digest) of an image reference."""
    name, _, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1 :], digest
    return name, "", digest


def _full(text: Text, path: FieldPath, where: FieldPath) -> Reach:
    return Reach(len(path), True, partial(text.position, 0, list(where)))


@dataclass(frozen=True)
class Image:
    """One `images:` entry: sets the image of every container whose image it names."""

    text: Text
    number: int
    resets: bool = False

    def reach(self, target: Target, path: FieldPath) -> Reach | None:
        entry = self.text.get(0, ["images", self.number])
        if len(path) < 3 or path[-1] != "image" or path[-3] not in CONTAINER_LISTS:
            return None
        exists, image = value_at(target.obj, path)
        if not exists or not isinstance(entry, dict) or not isinstance(image, str):
            return None
        name, tag, digest = split_image(image)
        if name != str(entry.get("newName") or entry.get("name") or ""):
            return None
        if entry.get("newTag") not in (None, "") and tag and tag != str(entry["newTag"]):
            return None
        if entry.get("digest") not in (None, "") and digest != str(entry["digest"]):
            return None
        return _full(self.text, path, ["images", self.number])


@dataclass(frozen=True)
class Replicas:
    """One `replicas:` entry: sets spec.replicas of the objects it names."""

    text: Text
    number: int
    resets: bool = False

    def reach(self, target: Target, path: FieldPath) -> Reach | None:
        entry = self.text.get(0, ["replicas", self.number])
        if tuple(path) != ("spec", "replicas") or not isinstance(entry, dict):
            return None
        if str(entry.get("name")) not in target.names:
            return None
        if str(value_at(target.obj, path)[1]) != str(entry.get("count")):
            return None
        return _full(self.text, path, ["replicas", self.number, "count"])


@dataclass(frozen=True)
class Metadata:
    """`namespace`, `labels`, `commonLabels` and `commonAnnotations` of one kustomization."""

    text: Text
    resets: bool = False

    def reach(self, target: Target, path: FieldPath) -> Reach | None:
        head, key = tuple(path[:-1]), path[-1] if path else None
        if len(head) < 1 or (head[-1] not in _LABEL_MAPS and tuple(path) != _NAMESPACE):
            return None
        exists, value = value_at(target.obj, path)
        data = self.text.docs[0] if self.text.docs else None
        if not exists or not isinstance(data, dict):
            return None
        where: list[str | int] | None = None
        if tuple(path) == _NAMESPACE:
            if data.get("namespace") and str(data["namespace"]) == str(value):
                where = ["namespace"]
        elif head in _ANNOTATIONS:
            where = _pair(data.get("commonAnnotations"), key, value, ["commonAnnotations"])
        else:
            template = head in _TEMPLATE_LABELS
            selector = head == ("spec", "selector", "matchLabels") or (
                head == ("spec", "selector") and target.kind == "Service"
            )
            if not (head == ("metadata", "labels") or template or selector):
                return None
            for number, entry in enumerate(data.get("labels") or []):
                if not isinstance(entry, dict):
                    continue
                selectors = bool(entry.get("includeSelectors"))
                if (template and not (selectors or entry.get("includeTemplates"))) or (
                    selector and not selectors
                ):
                    continue
                at: list[str | int] = ["labels", number, "pairs"]
                where = _pair(entry.get("pairs"), key, value, at) or where
            where = _pair(data.get("commonLabels"), key, value, ["commonLabels"]) or where
        return _full(self.text, path, where) if where else None


def _pair(pairs: Any, key: Any, value: Any, at: list[str | int]) -> list[str | int] | None:
    if isinstance(pairs, dict) and key in pairs and str(pairs[key]) == str(value):
        return [*at, str(key)]
    return None


@dataclass(frozen=True)
class Generator:
    """One configMapGenerator/secretGenerator entry: the object's source when it creates it,
    a layer over it with `behavior: merge`, a new source with `behavior: replace`."""

    text: Text
    texts: Texts
    directory: Path
    key: str  # configMapGenerator or secretGenerator
    number: int
    creates: bool

    @property
    def resets(self) -> bool:
        return self.entry.get("behavior") == "replace"

    @property
    def entry(self) -> dict[str, Any]:
        entry = self.text.get(0, [self.key, self.number])
        return entry if isinstance(entry, dict) else {}

    def reach(self, target: Target, path: FieldPath) -> Reach | None:
        at: list[str | int] = [self.key, self.number]
        whole = self.creates or self.resets
        if not whole and str(self.entry.get("name")) not in target.names:
            return None
        if path and path[0] in ("data", "binaryData") and len(path) <= 2:
            if len(path) == 1 and self._sources():
                return Reach(1, whole, partial(self.text.position, 0, at))
            found = self._data_key(str(path[-1]), at) if len(path) == 2 else None
            if found is not None:
                return Reach(2, True, found)
        options = self.entry.get("options")
        if isinstance(options, dict) and path and path[0] in ("metadata", "immutable"):
            option = ["immutable"] if path[0] == "immutable" else list(path[1:])
            if value_at(options, option)[0]:
                return _full(self.text, path, [*at, "options", *option])
        return Reach(0, True, partial(self.text.position, 0, at)) if whole else None

    def _sources(self) -> list[tuple[str, int, str]]:
        """(field, index, item) of every literal, file and env file of the entry."""
        found = []
        for field in ("literals", "files", "envs"):
            items = self.entry.get(field)
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, str):
                    found.append((field, index, item))
        if isinstance(self.entry.get("env"), str):
            found.append(("env", -1, self.entry["env"]))
        return found

    def _data_key(self, key: str, at: list[str | int]) -> Callable[[], Position] | None:
        for field, index, item in self._sources():
            where = [*at, field] if index < 0 else [*at, field, index]
            if field in ("literals", "files"):
                if field == "literals" and "=" not in item:
                    continue
                name = item.split("=", 1)[0] if "=" in item else item.rsplit("/", 1)[-1]
                if name.strip() == key:
                    return partial(self.text.position, 0, where)
                continue
            line = _env_line(self.texts.lines(self.directory / item), key)
            if line:
                return partial(_fixed, (self.directory / item, line, 1))
            if line == 0:
                return partial(self.text.position, 0, where)
        return None


def _fixed(position: Position) -> Position:
    return position


def _env_line(lines: list[str] | None, key: str) -> int | None:
    """Line of `key` in an env file (0: the file is unreadable; None: not there)."""
    if lines is None:
        return 0
    for number, line in enumerate(lines, 1):
        found = _ENV_LINE.match(line)
        if found and found.group(1) == key:
            return number
    return None
