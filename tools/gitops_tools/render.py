"""Render kustomizations with `kustomize build` (or `kubectl kustomize`): in parallel, cached
on disk by the content of every file they can read, each object annotated with its origin."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gitops_tools.errors import FatalError
from gitops_tools.fileio import kustomization_file, write_atomically
from gitops_tools.yamlio import YamlError, decode_text, load_documents

CACHE_FORMAT = "1"
ORIGIN_ANNOTATION = "config.kubernetes.io/origin"


@dataclass(frozen=True)
class Renderer:
    command: tuple[str, ...]  # prefix; the directory is appended
    version: str


@dataclass(frozen=True)
class Rendered:
    """The output of one kustomization, or why it failed."""

    directory: Path
    text: str
    error: str | None
    cached: bool
    seconds: float
    output: Path | None = None  # the cached rendered text, for line look-ups


def find_renderer(cache_dir: Path) -> Renderer:
    """A standalone `kustomize` if present, else `kubectl kustomize`, with its version."""
    venv_bin = Path(sys.executable).parent
    for name, args in (("kustomize", ("build",)), ("kubectl", ("kustomize",))):
        binary = shutil.which(name) or shutil.which(name, path=str(venv_bin))
        if binary:
            return Renderer((binary, *args), _version(binary, name, cache_dir))
    raise FatalError(
        "neither `kustomize` nor `kubectl` is installed, and rendering needs one",
        "run `make setup` (it installs kubectl), or install kubectl yourself",
    )


def _version(binary: str, name: str, cache_dir: Path) -> str:
    """The renderer's version, remembered per binary (asking kubectl costs ~100 ms)."""
    stat = Path(binary).stat()
    key = f"{Path(binary).resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    memo = cache_dir / "renderer.json"
    try:
        known = json.loads(memo.read_text())
        if known.get("key") == key:
            return str(known["version"])
    except (OSError, ValueError):
        pass
    argv = [binary, "version"] if name == "kustomize" else [binary, "version", "--client"]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except OSError as exc:
        raise FatalError(f"cannot run {binary}: {exc.strerror}") from None
    version = " ".join(out.stdout.split()) or "unknown"
    write_atomically(memo, json.dumps({"key": key, "version": version}), make_parents=True)
    return version


@lru_cache(maxsize=1024)
def kustomization_inputs(directory: Path) -> frozenset[Path]:
    """Every file the kustomization at `directory` may read (a conservative superset): all
    files under each kustomization directory it reaches, plus files it names outside them."""
    files: set[Path] = set()
    seen: set[Path] = set()
    stack = [directory.resolve()]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        files.update(
            p
            for p in current.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(current).parts)
        )
        kfile = kustomization_file(current)
        if kfile is None:
            continue
        try:
            docs = load_documents(decode_text(kfile.read_bytes()))
        except (OSError, YamlError):
            continue  # kustomize itself reports it, with its own words
        for ref in _strings(docs):
            target = _local_path(current, ref)
            if target is None:
                continue
            if target.is_dir():
                stack.append(target)
            elif target.is_file():
                files.add(target)
    return frozenset(files)


def _strings(value: Any) -> Iterator[str]:
    """Every string that may name a file: generator `files`/`envs` entries lose their `key=`;
    `literals` are values, never files."""
    if isinstance(value, str):
        yield value.split("=", 1)[-1] if "=" in value and "\n" not in value else value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "literals":
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _local_path(base: Path, ref: str) -> Path | None:
    """A relative reference that exists (kustomize reads nothing by absolute path)."""
    if "\n" in ref or "://" in ref or len(ref) > 1024 or not ref.strip() or ref.startswith("/"):
        return None
    try:
        target = (base / ref).resolve()
        return target if target.exists() else None
    except (OSError, ValueError):
        return None


def cache_key(directory: Path, renderer: Renderer) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{renderer.version}\0{directory}\0".encode())
    for path in sorted(kustomization_inputs(directory)):
        digest.update(str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def render(directory: Path, renderer: Renderer, cache_dir: Path) -> Rendered:
    """Render one kustomization with origin annotations, from cache when nothing changed."""
    started = time.perf_counter()
    try:
        key = cache_key(directory, renderer)
    except OSError as exc:
        return Rendered(directory, "", f"cannot read {exc.filename}: {exc.strerror}", False, 0.0)
    cached = cache_dir / "render" / f"{key}.yaml"
    if cached.is_file():
        text = cached.read_text(encoding="utf-8")
        return Rendered(directory, text, None, True, time.perf_counter() - started, cached)
    wrapper = wrapper_dir(directory, cache_dir)
    write_atomically(
        wrapper / "kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        f"resources:\n  - {os.path.relpath(directory, wrapper)}\n"
        "buildMetadata: [originAnnotations]\n",
        make_parents=True,
    )
    try:
        proc = subprocess.run(
            [*renderer.command, str(wrapper)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Rendered(directory, "", f"renderer failed to run: {exc}", False, 0.0)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        return Rendered(directory, "", _kustomize_error(proc.stderr, wrapper), False, seconds)
    write_atomically(cached, proc.stdout, make_parents=True)
    return Rendered(directory, proc.stdout, None, False, seconds, cached)


def _kustomize_error(stderr: str, wrapper: Path) -> str:
    """kustomize's message without klog noise and with our wrapper's paths made readable."""
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    message = lines[-1] if lines else "kustomize failed without a message"
    if '"command failed" err=' in message:
        message = message.split('"command failed" err=', 1)[1].strip().strip('"')
    message = message.replace("\\'", "'").replace('\\"', '"')
    return message.replace(str(wrapper) + "/", "").replace(str(wrapper), ".")


def render_all(
    directories: Iterable[Path], renderer: Renderer, cache_dir: Path, jobs: int | None = None
) -> dict[Path, Rendered]:
    """Render many kustomizations in parallel (kustomize runs in its own processes)."""
    unique = sorted(set(directories))
    workers = max(1, min(len(unique), jobs or os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda d: render(d, renderer, cache_dir), unique)
        return {r.directory: r for r in results}


def origin_of(obj: dict[str, Any], wrapper_base: Path) -> Path | None:
    """The source file an object came from, from its origin annotation (then removed)."""
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if not isinstance(annotations, dict) or ORIGIN_ANNOTATION not in annotations:
        return None
    raw = annotations.pop(ORIGIN_ANNOTATION)
    if not annotations:
        del metadata["annotations"]  # type: ignore[union-attr]
    try:
        origin = load_documents(str(raw))[0] or {}
    except (YamlError, IndexError):
        return None
    ref = origin.get("path") or origin.get("configuredIn") if isinstance(origin, dict) else None
    if not isinstance(ref, str):
        return None
    return Path(os.path.normpath(wrapper_base / ref))


def wrapper_dir(directory: Path, cache_dir: Path) -> Path:
    return cache_dir / "wrap" / hashlib.sha256(str(directory).encode()).hexdigest()[:16]
