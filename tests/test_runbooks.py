"""The runbooks stay true to the desired state: docs/runbooks/secrets.md lists every AWS Secrets
Manager secret an ExternalSecret of any environment reads, and nothing that none reads."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gitops_tools.manifests import Manifest
from gitops_tools.pipeline import run_environments, select_clusters

from .conftest import REPO_ROOT

pytestmark = pytest.mark.integration
RUNBOOKS = REPO_ROOT / "docs/runbooks"


def remote_keys(m: Manifest) -> set[str]:
    spec: dict[str, Any] = m.obj.get("spec") or {}
    keys = {item["extract"]["key"] for item in spec.get("dataFrom") or [] if "extract" in item}
    keys |= {item["remoteRef"]["key"] for item in spec.get("data") or [] if "remoteRef" in item}
    return keys


def test_secrets_runbook_lists_every_secret_read(tmp_path_factory: pytest.TempPathFactory) -> None:
    runs = run_environments(
        REPO_ROOT, select_clusters(REPO_ROOT, []), tmp_path_factory.mktemp("cache")
    )
    read: dict[str, set[str]] = {}
    for run in runs:
        for m in run.loaded.manifests:
            if m.kind == "ExternalSecret":
                for key in remote_keys(m):
                    env, _, rest = key.partition("/")
                    assert env == run.cluster.environment, (key, run.cluster.environment)
                    read.setdefault(f"ENV/{rest}", set()).add(env)
    text = (RUNBOOKS / "secrets.md").read_text()
    rows = dict(re.findall(r"^\| `([^`]+)` \| ([a-z, ]+) \|", text, flags=re.M))
    listed = {
        (name if name.startswith("ENV/") else f"ENV/{name.partition('/')[2]}"): {
            e.strip() for e in envs.split(",")
        }
        for name, envs in rows.items()
    }
    assert listed == read


def test_runbook_index_links_every_runbook() -> None:
    index = (RUNBOOKS / "README.md").read_text()
    for page in sorted(RUNBOOKS.glob("*.md")):
        if page.name != "README.md":
            assert f"]({page.name})" in index, page.name
