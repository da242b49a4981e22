"""Helpers of the Helm tests: charts written by the tests, a small repository with one
environment, an http chart repository (index.yaml + tgz) on 127.0.0.1, the real helm."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .conftest import REPO_ROOT

REPO_URL = "https://github.com/example-org/foreign.git"
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
          securityContext:
            privileged: {{ .Values.privileged }}
"""


def helm_binary() -> str:
    venv = Path(sys.executable).parent / "helm"
    found = str(venv) if venv.is_file() else shutil.which("helm")
    assert found, "helm is installed by `make setup` (tools/bootstrap/ensure-helm.sh)"
    return found


def write_chart(
    directory: Path,
    name: str = "web",
    version: str = "0.1.0",
    values: str = "replicas: 1\nimage: nginx:1.27\nprivileged: false\n",
    schema: dict[str, object] | None = None,
    templates: dict[str, str] | None = None,
) -> Path:
    """A chart directory written from scratch (not `helm create`: nothing the test did not say)."""
    (directory / "templates").mkdir(parents=True, exist_ok=True)
    (directory / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: '1.0'\n"
    )
    (directory / "values.yaml").write_text(values)
    if schema is not None:
        (directory / "values.schema.json").write_text(json.dumps(schema, indent=2))
    for file, text in (templates or {"deployment.yaml": DEPLOYMENT}).items():
        (directory / "templates" / file).write_text(text)
    return directory


def package(chart: Path, destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [helm_binary(), "package", str(chart), "--destination", str(destination)],
        check=True,
        capture_output=True,
    )
    return next(destination.glob(f"{chart.name}-*.tgz"))


def application(
    name: str, sources: list[dict[str, object]], namespace: str = "web", env: str = "prod"
) -> str:
    return json.dumps(
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": {"name": name, "namespace": "argocd"},
            "spec": {
                "project": "default",
                "sources": sources,
                "destination": {"server": "https://kubernetes.default.svc", "namespace": namespace},
            },
        },
        indent=2,
    )


def make_repo(root: Path, env: str = "prod", apps: dict[str, str] | None = None) -> Path:
    """A repository with one environment (this repository's policies) and `apps` under
    clusters/<env>/apps/ (name -> manifest text)."""
    (root / "clusters" / env / "apps").mkdir(parents=True)
    (root / "clusters" / env / "cluster.yaml").write_text(
        f"environment: {env}\nkubernetesVersion: '1.33'\n"
        "aws: {region: us-east-1, accountId: '333333333333'}\n"
        "registry: 333333333333.dkr.ecr.us-east-1.amazonaws.com\n"
        f"promotion: {{from: null}}\npolicyProfile: {env}\n"
        f"argocd: {{repoURL: '{REPO_URL}', targetRevision: main}}\n"
    )
    shutil.copytree(REPO_ROOT / "policies", root / "policies")
    for name, text in (apps or {}).items():
        (root / "clusters" / env / "apps" / f"{name}.yaml").write_text(text)
    return root


@contextmanager
def chart_repository(directory: Path) -> Iterator[str]:
    """An http chart repository serving `directory` (index.yaml + archives) on 127.0.0.1."""
    subprocess.run([helm_binary(), "repo", "index", str(directory)], check=True)
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
