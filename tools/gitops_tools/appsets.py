"""ApplicationSets expanded offline, as Argo CD's controller would: the list, git directory,
git files, matrix and merge generators, and the template filled in with each parameter set
(fasttemplate `{{path.basename}}` or `goTemplate: true` `{{ .path.basename }}`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_tools.errors import FatalError
from gitops_tools.yamlio import YamlError, decode_text, load_documents

_VAR = re.compile(r"{{-?\s*(.*?)\s*-?}}")
MAX_APPLICATIONS = 10_000


@dataclass
class Params:
    """One parameter set: flat names for fasttemplate, nested values for Go templates."""

    flat: dict[str, Any] = field(default_factory=dict)
    nested: dict[str, Any] = field(default_factory=dict)

    def merged(self, other: Params) -> Params:
        return Params({**self.flat, **other.flat}, _deep_merge(self.nested, other.nested))


def _deep_merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): value}


def _of_element(element: dict[str, Any]) -> Params:
    return Params(_flatten(element), dict(element))


def _normalized(name: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", name.lower())


def _path_params(directory: str, filename: str | None = None) -> Params:
    parts = [p for p in directory.split("/") if p and p != "."]
    info: dict[str, Any] = {
        "path": directory,
        "basename": parts[-1] if parts else "",
        "basenameNormalized": _normalized(parts[-1] if parts else ""),
        "segments": parts,
    }
    if filename is not None:
        info |= {"filename": filename, "filenameNormalized": _normalized(filename)}
    flat = {"path": directory} | {f"path.{k}": v for k, v in info.items() if k != "segments"}
    flat |= {f"path[{i}]": part for i, part in enumerate(parts)}
    return Params(flat, {"path": info})


def generate(generator: dict[str, Any], repo_root: Path, go: bool) -> list[Params]:
    """The parameter sets of one generator (unsupported kinds give none)."""
    if "list" in generator:
        elements = (generator.get("list") or {}).get("elements") or []
        return [_of_element(e) for e in elements if isinstance(e, dict)]
    if "git" in generator:
        return _git(generator.get("git") or {}, repo_root)
    if "matrix" in generator:
        children = (generator.get("matrix") or {}).get("generators") or []
        if len(children) != 2:
            return []
        out: list[Params] = []
        for first in generate(children[0], repo_root, go):
            second = substitute(children[1], first, go)
            out.extend(first.merged(p) for p in generate(second, repo_root, go))
        return out
    if "merge" in generator:
        return _merge(generator.get("merge") or {}, repo_root, go)
    return []


def _git(git: dict[str, Any], root: Path) -> list[Params]:
    out: list[Params] = []
    included: set[Path] = set()
    excluded: set[Path] = set()
    for item in git.get("directories") or []:
        matches = {p for p in _glob(root, str(item.get("path", ""))) if p.is_dir()}
        (excluded if item.get("exclude") else included).update(matches)
    for directory in sorted(included - excluded):
        out.append(_path_params(directory.relative_to(root).as_posix()))
    for item in git.get("files") or []:
        for file in sorted(p for p in _glob(root, str(item.get("path", ""))) if p.is_file()):
            rel = file.relative_to(root)
            try:
                docs = load_documents(decode_text(file.read_bytes()))
            except (OSError, YamlError) as exc:
                raise FatalError(f"{rel}: ApplicationSet git files generator: {exc}") from None
            for doc in docs:
                for element in doc if isinstance(doc, list) else [doc]:
                    if isinstance(element, dict):
                        location = _path_params(rel.parent.as_posix(), rel.name)
                        out.append(_of_element(element).merged(location))
    return out


def _glob(root: Path, pattern: str) -> list[Path]:
    """Matches of a generator's path glob, inside the repository only."""
    if not pattern or pattern.startswith("/") or ".." in Path(pattern).parts:
        return []
    resolved = root.resolve()
    return [p for p in root.glob(pattern) if p.resolve().is_relative_to(resolved)]


def _merge(merge: dict[str, Any], repo_root: Path, go: bool) -> list[Params]:
    keys = [str(k) for k in merge.get("mergeKeys") or []]
    children = merge.get("generators") or []
    if not children or not keys:
        return []
    base = generate(children[0], repo_root, go)
    for child in children[1:]:
        overrides = {_key(p, keys): p for p in generate(child, repo_root, go)}
        base = [p.merged(overrides[k]) if (k := _key(p, keys)) in overrides else p for p in base]
    return base


def _key(params: Params, keys: list[str]) -> tuple[str, ...]:
    return tuple(str(params.flat.get(k, "")) for k in keys)


def substitute(value: Any, params: Params, go: bool) -> Any:
    if isinstance(value, dict):
        return {k: substitute(v, params, go) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, params, go) for v in value]
    if isinstance(value, str):
        return _VAR.sub(lambda m: _fill(m, params, go), value)
    return value


def _fill(match: re.Match[str], params: Params, go: bool) -> str:
    """A parameter's value; fasttemplate leaves an unknown `{{name}}` as it is, Go fails."""
    try:
        return str(_lookup(match.group(1), params, go))
    except (KeyError, IndexError, TypeError, ValueError):
        if go:
            raise
        return match.group(0)


def _lookup(expression: str, params: Params, go: bool) -> Any:
    """fasttemplate: a flat name (`path.basename`, `path[1]`); Go: `.path.basename`,
    `index .path.segments 2`."""
    if not go and expression in params.flat:
        return params.flat[expression]
    words = expression.split()
    if len(words) == 3 and words[0] == "index":
        return _lookup(words[1], params, True)[int(words[2])]
    value: Any = params.nested
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", expression.lstrip(".")):
        if part.startswith("["):
            value = value["segments"] if isinstance(value, dict) else value
            value = value[int(part[1:-1])]
        else:
            value = value[part]
    if isinstance(value, dict) and isinstance(value.get("path"), str):
        return value["path"]  # `{{path}}` is the path itself
    return value


def expand(spec: dict[str, Any], file: Path, repo_root: Path) -> Iterator[dict[str, Any]]:
    """The Applications an ApplicationSet's spec generates (their metadata and spec)."""
    template = spec["template"] if isinstance(spec.get("template"), dict) else {}
    go = bool(spec.get("goTemplate", False))
    generators = spec["generators"] if isinstance(spec.get("generators"), list) else []
    count = 0
    for generator in generators:
        if not isinstance(generator, dict):
            continue
        for params in generate(generator, repo_root, go):
            count += 1
            if count > MAX_APPLICATIONS:
                raise FatalError(f"{file}: ApplicationSet generates over {MAX_APPLICATIONS} apps")
            try:
                yield substitute(template, params, go)
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                shown = file.relative_to(repo_root) if file.is_relative_to(repo_root) else file
                raise FatalError(
                    f"{shown}: ApplicationSet template uses a parameter its generators do "
                    f"not give ({exc!r})",
                    "list, git directory, git files, matrix and merge generators are expanded "
                    "offline",
                ) from None
