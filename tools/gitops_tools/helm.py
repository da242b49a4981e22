"""Render a Helm source as Argo CD's repo server does: `helm template` with the Application's
release name, destination namespace, values files, values, parameters, CRD choice and the
cluster's Kubernetes version and API versions. Cached on disk by every input; each rendered
document keeps the chart template it came from (helm's `# Source:` comment)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CACHE_FORMAT = "1"
HELM_TIMEOUT = 300
_SOURCE = re.compile(r"^# Source: (.+?)\s*$", re.M)
_SEPARATOR = re.compile(r"^---[ \t]*$", re.M)


@dataclass(frozen=True)
class ValueFile:
    """One `helm.valueFiles` entry: as written, and the file in this repository it names (None
    when it is not in this repository: another repository's `$ref`, a URL)."""

    ref: str
    path: Path | None
    index: int
    outside: bool = False  # names a file outside the repository: refused, never read


@dataclass(frozen=True)
class HelmSource:
    """One Argo CD Helm source: a chart from a repository, or a chart directory in git."""

    app: str
    declared_in: Path  # the manifest holding the Application (or ApplicationSet)
    doc_index: int
    field: tuple[str | int, ...]  # the source entry, e.g. ("spec", "sources", 0)
    repo_url: str  # chart repository ("" for a chart in git)
    chart: str  # chart name in the repository ("" for a chart in git)
    version: str  # targetRevision of a repository chart
    chart_dir: Path | None  # the chart in this repository
    release_name: str
    namespace: str
    value_files: tuple[ValueFile, ...] = ()
    ignore_missing_value_files: bool = False
    values_yaml: str = ""  # `helm.valuesObject` (as JSON) or else `helm.values`
    values_field: str = ""  # "valuesObject" or "values": which one values_yaml came from
    parameters: tuple[tuple[str, str, bool], ...] = ()  # name, value, forceString
    file_parameters: tuple[tuple[str, str], ...] = ()
    skip_crds: bool = False
    skip_schema_validation: bool = False

    @property
    def label(self) -> str:
        if self.chart_dir is not None:
            return f"chart {self.chart_dir.name} (in git)"
        return f"chart {self.chart} {self.version} from {self.repo_url}"


@dataclass(frozen=True)
class Helm:
    binary: str
    version: str


@dataclass(frozen=True)
class HelmRendered:
    """`helm template` output (one document per object, `# Source:` kept), or why it failed."""

    text: str
    error: str | None
    cached: bool
    seconds: float
    output: Path | None = None
    templates: tuple[str, ...] = ()  # per document: the chart-relative template


def find_helm(cache_dir: Path) -> Helm | None:
    """The helm that `make setup` puts in the venv, else one on PATH; None when there is none."""
    venv_helm = Path(sys.executable).parent / "helm"
    candidates = [str(venv_helm)] if venv_helm.is_file() else []
    candidates += [p for p in [shutil.which("helm")] if p]
    for binary in candidates:
        version = _version(binary, cache_dir)
        if version:
            return Helm(binary, version)
    return None


def _version(binary: str, cache_dir: Path) -> str | None:
    try:
        stat = Path(binary).stat()
    except OSError:
        return None
    key = f"{Path(binary).resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    memo = cache_dir / "helm.json"
    try:
        known = json.loads(memo.read_text())
        if known.get("key") == key:
            return str(known["version"])
    except (OSError, ValueError):
        pass
    try:
        out = subprocess.run(
            [binary, "version", "--template", "{{.Version}}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    version = out.stdout.strip()
    if out.returncode != 0 or not version.startswith("v"):
        return None
    write_text(memo, json.dumps({"key": key, "version": version}))
    return version


def helm_env(cache_dir: Path) -> dict[str, str]:
    """helm with homes of its own: the user's repositories and plugins do not change a render."""
    home = cache_dir / "helm-home"
    return dict(
        os.environ,
        HELM_CACHE_HOME=str(home / "cache"),
        HELM_CONFIG_HOME=str(home / "config"),
        HELM_DATA_HOME=str(home / "data"),
    )


def template_argv(
    helm: Helm,
    source: HelmSource,
    chart: Path,
    values_file: Path | None,
    kube_version: str,
    api_versions: tuple[str, ...],
    skip_schema_validation: bool,
) -> list[str]:
    argv = [helm.binary, "template", source.release_name, str(chart)]
    argv += ["--namespace", source.namespace or "default", "--kube-version", kube_version]
    if api_versions:
        argv += ["--api-versions", ",".join(api_versions)]
    argv.append("--skip-crds" if source.skip_crds else "--include-crds")
    if skip_schema_validation or source.skip_schema_validation:
        argv.append("--skip-schema-validation")
    for value_file in source.value_files:
        if value_file.path is not None and value_file.path.is_file():
            argv += ["--values", str(value_file.path)]
    if values_file is not None:
        argv += ["--values", str(values_file)]
    for name, value, force_string in source.parameters:
        argv += ["--set-string" if force_string else "--set", f"{name}={value}"]
    for name, path in source.file_parameters:
        argv += ["--set-file", f"{name}={path}"]
    return argv


def chart_digest(chart: Path) -> str:
    """The content of a chart directory (every file under it, by relative path)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in chart.rglob("*") if p.is_file() and not p.is_symlink()):
        digest.update(str(path.relative_to(chart)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def render_source(
    helm: Helm,
    source: HelmSource,
    chart: Path,
    kube_version: str,
    api_versions: tuple[str, ...],
    cache_dir: Path,
    skip_schema_validation: bool = False,
) -> HelmRendered:
    """Render one Helm source from `chart` (a chart directory), from cache when unchanged."""
    started = time.perf_counter()
    key = hashlib.sha256(
        "\0".join(
            [CACHE_FORMAT, helm.version, chart_digest(chart), repr(source), kube_version]
            + list(api_versions)
            + [str(skip_schema_validation)]
            + [_file_digest(v.path) for v in source.value_files]
        ).encode()
    ).hexdigest()
    cached = cache_dir / "helm" / f"{key}.yaml"
    if cached.is_file():
        text = cached.read_text(encoding="utf-8")
        return HelmRendered(
            text, None, True, time.perf_counter() - started, cached, source_templates(text)
        )
    values_file = None
    if source.values_yaml:
        values_file = cache_dir / "helm" / "values" / f"{key}.yaml"
        write_text(values_file, source.values_yaml)
    argv = template_argv(
        helm, source, chart, values_file, kube_version, api_versions, skip_schema_validation
    )
    try:
        proc = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=HELM_TIMEOUT,
            check=False,
            env=helm_env(cache_dir),
            cwd=chart,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return HelmRendered("", f"helm failed to run: {exc}", False, 0.0)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        return HelmRendered("", helm_error(proc.stderr, chart), False, seconds)
    text = normalize(proc.stdout)
    write_text(cached, text)
    return HelmRendered(text, None, False, seconds, cached, source_templates(text))


def _file_digest(path: Path | None) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path else "-"
    except OSError:
        return "missing"


def helm_error(stderr: str, chart: Path) -> str:
    lines = [ln.strip() for ln in stderr.strip().splitlines() if ln.strip()]
    message = " ".join(lines) or "helm template failed without a message"
    return message.removeprefix("Error: ").replace(str(chart) + "/", "")


def normalize(text: str) -> str:
    """One document per object, each with its `# Source:` line; empty documents dropped."""
    documents = [d.strip("\n") for d in _SEPARATOR.split(text)]
    kept = [d for d in documents if any(_is_content(ln) for ln in d.splitlines())]
    return "".join(f"---\n{d}\n" for d in kept)


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def source_templates(text: str) -> tuple[str, ...]:
    """The `# Source:` template of each document of a normalized render ("" when none)."""
    found = []
    for document in _SEPARATOR.split(text)[1:]:
        match = _SOURCE.search(document)
        found.append(match.group(1) if match else "")
    return tuple(found)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(path)
