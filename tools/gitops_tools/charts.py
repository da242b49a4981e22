"""The chart cache: `.cache/charts/<repository>/<chart>/<version>/<digest>/`, each a chart
pulled once from its repository (https index or OCI registry) with `helm pull` and unpacked.
Filled by `gitops charts pull`, and by `gitops check` where the network allows."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from gitops_tools.helm import Helm, write_text

CHARTS_DIR = "charts"
PULL_TIMEOUT = float(os.environ.get("GITOPS_CHART_TIMEOUT", "10"))
PULL_COMMAND = "gitops charts pull"


@dataclass(frozen=True)
class ChartRef:
    repo_url: str
    chart: str
    version: str

    @property
    def is_oci(self) -> bool:
        """`oci://host/path`, or a repository URL without a scheme (Argo CD's OCI form)."""
        return self.repo_url.startswith("oci://") or "://" not in self.repo_url

    @property
    def oci_reference(self) -> str:
        base = self.repo_url.removeprefix("oci://").rstrip("/")
        return f"oci://{base}/{self.chart}"

    def __str__(self) -> str:
        return f"{self.chart} {self.version} ({self.repo_url})"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:60] or "_"


def chart_home(cache_dir: Path, ref: ChartRef) -> Path:
    """Where the versions of one chart of one repository are kept."""
    norm = ref.repo_url.strip().rstrip("/").lower()
    repo = f"{_slug(norm.split('://', 1)[-1])}-{hashlib.sha256(norm.encode()).hexdigest()[:8]}"
    return cache_dir / CHARTS_DIR / repo / _slug(ref.chart) / _slug(ref.version)


def cached_chart(cache_dir: Path, ref: ChartRef) -> Path | None:
    """The unpacked chart directory of `ref` in the cache, or None."""
    home = chart_home(cache_dir, ref)
    found = sorted(home.glob("sha256-*/chart.json")) if home.is_dir() else []
    for meta in found:
        chart = meta.parent / ref.chart
        if (chart / "Chart.yaml").is_file():
            return chart
    return None


def pull(helm: Helm, ref: ChartRef, cache_dir: Path, timeout: float = PULL_TIMEOUT) -> Path:
    """Pull `ref` into the cache and return its chart directory; OSError/RuntimeError when
    the repository cannot be reached or has no such chart version."""
    found = cached_chart(cache_dir, ref)
    if found is not None:
        return found
    home = chart_home(cache_dir, ref)
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home, prefix=".pull-") as temp:
        argv = [helm.binary, "pull", "--version", ref.version, "--destination", temp]
        if ref.is_oci:
            argv.insert(2, ref.oci_reference)
            if _loopback(ref.oci_reference):
                argv.append("--plain-http")
        else:
            argv[2:2] = ["--repo", ref.repo_url, ref.chart]
        try:
            proc = subprocess.run(
                argv, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"no answer within {timeout:g}s") from None
        if proc.returncode != 0:
            lines = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
            raise RuntimeError((lines[-1] if lines else "helm pull failed").removeprefix("Error: "))
        archives = sorted(Path(temp).glob("*.tgz"))
        if len(archives) != 1:
            raise RuntimeError(f"helm pull wrote {len(archives)} archives, expected one")
        return store(cache_dir, ref, archives[0])


def store(cache_dir: Path, ref: ChartRef, archive: Path) -> Path:
    """Keep a chart archive (.tgz) in the cache as `ref`, unpacked; its chart directory."""
    home = chart_home(cache_dir, ref)
    home.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    target = home / f"sha256-{digest}"
    with tempfile.TemporaryDirectory(dir=home, prefix=".unpack-") as temp:
        unpacked = Path(temp) / "chart"
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
        if not (unpacked / ref.chart / "Chart.yaml").is_file():
            raise RuntimeError(f"the archive holds no chart named {ref.chart!r}")
        shutil.copy2(archive, unpacked / f"{ref.chart}-{ref.version}.tgz")
        meta = {
            "repoURL": ref.repo_url,
            "chart": ref.chart,
            "version": ref.version,
            "digest": f"sha256:{digest}",
        }
        write_text(unpacked / "chart.json", json.dumps(meta, indent=2) + "\n")
        if not target.exists():
            unpacked.rename(target)
    found = cached_chart(cache_dir, ref)
    if found is None:
        raise RuntimeError("the chart is not in the cache after storing it")
    return found


def _loopback(url: str) -> bool:
    """A registry on this machine speaks plain HTTP (the test registries do)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
