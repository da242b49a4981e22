"""Render kustomizations with `kustomize build` (or `kubectl kustomize`): in parallel, cached
on disk by the content of every file they can read, each object annotated with its origin."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gitops_tools.errors import FatalError
from gitops_tools.fileio import kustomization_file, write_atomically
from gitops_tools.yamlio import YamlError, decode_text, load_documents

CACHE_FORMAT = "2"
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
    unavailable: str = ""  # what could not be had offline (helm charts to pull): not rendered


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


@dataclass(frozen=True)
class Scan:
    """What a kustomization reaches: its files (a conservative superset), and what it may not
    read: references outside the allowed root, remote resources, helm charts to pull."""

    files: frozenset[Path]
    outside: tuple[str, ...] = ()
    remote: tuple[str, ...] = ()
    helm_charts: bool = False  # a `helmCharts` entry: kustomize needs --enable-helm
    charts_to_pull: tuple[str, ...] = ()  # helmCharts entries not vendored under chartHome


_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|(?:github|gitlab)\.com/|bitbucket\.org/)")


def is_remote(ref: str) -> bool:
    """A kustomize resource that names a repository or URL, not a path."""
    return bool(_REMOTE.match(ref.strip())) or "?ref=" in ref or "?version=" in ref


def kustomization_inputs(directory: Path, root: Path | None = None) -> frozenset[Path]:
    """Every file the kustomization at `directory` may read (a conservative superset): all
    files under each kustomization directory it reaches, plus files it names outside them.
    With `root`, nothing outside `root` (or `directory` itself) is walked or read."""
    return kustomization_scan(directory, root).files


@lru_cache(maxsize=1024)
def kustomization_scan(directory: Path, root: Path | None = None) -> Scan:
    """Walk the kustomization tree from `directory` (within `root` when given)."""
    walk = _ScanWalk(directory.resolve(), root)
    stack = [walk.start]
    seen: set[Path] = set()
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack += walk.visit(current)
    return Scan(
        frozenset(walk.files),
        tuple(walk.outside),
        tuple(dict.fromkeys(walk.remote)),
        walk.helm_charts,
        tuple(walk.to_pull),
    )


class _ScanWalk:
    """What `kustomization_scan` has found so far."""

    def __init__(self, start: Path, root: Path | None) -> None:
        self.start = start
        self.roots = [start] + ([root.resolve()] if root is not None else [])
        self.bounded = root is not None
        self.files: set[Path] = set()
        self.outside: list[str] = []
        self.remote: list[str] = []
        self.to_pull: list[str] = []
        self.helm_charts = False

    def allowed(self, path: Path) -> bool:
        return not self.bounded or any(path.is_relative_to(r) for r in self.roots)

    def visit(self, current: Path) -> list[Path]:
        """Take the files of `current`; the directories its kustomization refers to."""
        self.files.update(_regular_files(current, self.allowed))
        kfile = kustomization_file(current)
        if kfile is None:
            return []
        try:
            docs = load_documents(decode_text(kfile.read_bytes()))
        except (OSError, YamlError):
            return []  # kustomize itself reports it, with its own words
        for doc in docs:
            if isinstance(doc, dict):
                self._remote_and_charts(current, doc)
        return [target for ref in _strings(docs) if (target := self._follow(current, ref))]

    def _remote_and_charts(self, current: Path, doc: dict[str, Any]) -> None:
        for key in ("resources", "components", "bases"):
            items = doc.get(key)
            self.remote += [
                ref for ref in (items if isinstance(items, list) else []) if _remote_str(ref)
            ]
        charts = doc.get("helmCharts")
        if isinstance(charts, list) and charts:
            self.helm_charts = True
            self.to_pull += _charts_to_pull(current, doc, charts)

    def _follow(self, current: Path, ref: str) -> Path | None:
        """A directory to visit for `ref`, after taking it as a file or refusing it."""
        if is_remote(ref):
            return None
        if _escapes(current, ref, self.allowed):
            self.outside.append(ref)
            return None
        target = _local_path(current, ref)
        if target is None or not self.allowed(target):
            return None
        if target.is_dir():
            return target
        if target.is_file():
            self.files.add(target)
        return None


def _remote_str(ref: Any) -> bool:
    return isinstance(ref, str) and is_remote(ref)


def _escapes(base: Path, ref: str, allowed: Any) -> bool:
    """A `../` reference that leads out of the allowed root (whether it exists or not)."""
    if "\n" in ref or len(ref) > 1024 or ".." not in Path(ref).parts or ref.startswith("/"):
        return False
    try:
        return not allowed((base / ref).resolve())
    except (OSError, ValueError, RuntimeError):
        return True


def _regular_files(directory: Path, allowed: Any) -> Iterator[Path]:
    """Regular files below `directory`: hidden directories, symlinked directories, FIFOs,
    sockets and devices skipped; a symlinked file only when it stays inside the root."""
    for base, dirs, names in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(base, name)
            try:
                if path.is_symlink() and not allowed(path.resolve()):
                    continue
                if stat.S_ISREG(path.stat().st_mode):
                    yield path
            except OSError:
                continue


def _charts_to_pull(directory: Path, doc: dict[str, Any], charts: list[Any]) -> list[str]:
    """`helmCharts` entries with a `repo` whose chart is not under chartHome (kustomize would
    pull them: `<chartHome>/<name>-<version>/<name>`, or `<chartHome>/<name>`)."""
    globals_ = doc["helmGlobals"] if isinstance(doc.get("helmGlobals"), dict) else {}
    home = directory / str(globals_.get("chartHome") or "charts")
    missing = []
    for chart in charts:
        if not isinstance(chart, dict) or not chart.get("repo") or not chart.get("name"):
            continue
        name, version = str(chart["name"]), str(chart.get("version") or "")
        candidates = [home / f"{name}-{version}" / name] if version else []
        candidates.append(home / name)
        if not any((c / "Chart.yaml").is_file() for c in candidates):
            missing.append(f"{name} {version} ({chart['repo']})".replace("  ", " "))
    return missing


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


def cache_key(
    directory: Path, renderer: Renderer, root: Path | None = None, extra: str = ""
) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{renderer.version}\0{directory}\0{extra}\0".encode())
    for path in sorted(kustomization_inputs(directory, root)):
        digest.update(str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def refusal(scan: Scan, directory: Path, root: Path | None, allow_remote: bool) -> str | None:
    """Why a kustomization is not rendered at all (kustomize would read outside the
    repository, or fetch from the network without --allow-remote), or None."""
    if scan.outside:
        where = f"outside the repository {root}" if root else "outside the kustomization"
        return (
            f"refers to {', '.join(scan.outside)}, {where}: refused (nothing outside the "
            "repository is read; check that tree with `gitops check --repo` on its own root)"
        )
    if scan.remote and not allow_remote:
        return (
            f"remote resource {', '.join(scan.remote)} refused: kustomize would fetch it from "
            "the network (pass --allow-remote to let it, or vendor it into the repository)"
        )
    return None


def render(
    directory: Path,
    renderer: Renderer,
    cache_dir: Path,
    root: Path | None = None,
    allow_remote: bool = False,
) -> Rendered:
    """Render one kustomization with origin annotations, from cache when nothing changed."""
    started = time.perf_counter()
    scan = kustomization_scan(directory, root)
    refused = refusal(scan, directory, root, allow_remote)
    if refused is not None:
        return Rendered(directory, "", refused, False, 0.0)
    command = list(renderer.command)
    extra = ""
    if scan.helm_charts:
        from gitops_tools.helm import find_helm

        helm = find_helm(cache_dir)
        if scan.charts_to_pull and not allow_remote:
            charts = ", ".join(scan.charts_to_pull)
            return Rendered(directory, "", None, False, 0.0, unavailable=f"helmCharts {charts}")
        if helm is None:
            return Rendered(
                directory,
                "",
                "helmCharts need helm, which is not installed (run `make setup`)",
                False,
                0.0,
            )
        command += ["--enable-helm", "--helm-command", helm.binary]
        extra = f"helm {helm.version}"
    try:
        key = cache_key(directory, renderer, root, extra)
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
            [*command, str(wrapper)],
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
    """kustomize's whole message (klog's multi-line `err=<` block joined into one line),
    without klog noise and with our wrapper's paths made readable."""
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    block = next((i for i, ln in enumerate(lines) if ln.rstrip().endswith("err=<")), None)
    if block is not None:
        body = []
        for line in lines[block + 1 :]:
            if line.strip() == ">":
                break
            body.append(line.strip())
        message = " ".join(body)
    else:
        message = lines[-1] if lines else ""
        if '"command failed" err=' in message:
            message = message.split('"command failed" err=', 1)[1].strip().strip('"')
    message = message.replace("\\'", "'").replace('\\"', '"').strip()
    message = message or "kustomize failed without a message"
    return message.replace(str(wrapper) + "/", "").replace(str(wrapper), ".")


def render_all(
    directories: Iterable[Path],
    renderer: Renderer,
    cache_dir: Path,
    jobs: int | None = None,
    root: Path | None = None,
    allow_remote: bool = False,
    done: Callable[[], None] = lambda: None,
) -> dict[Path, Rendered]:
    """Render many kustomizations in parallel (kustomize runs in its own processes); `done` is
    called (from a worker thread) as each one is rendered."""
    unique = sorted(set(directories))
    workers = max(1, min(len(unique), jobs or os.cpu_count() or 1))

    def one(directory: Path) -> Rendered:
        result = render(directory, renderer, cache_dir, root, allow_remote)
        done()
        return result

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return {r.directory: r for r in pool.map(one, unique)}


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
