"""Fixtures of the promotion tests: two real registries (Debian's docker-registry) for the
session, and per test a git repository holding a copy of this repository's clusters/, apps/
and policies/ whose registries are those two (dev on A; staging on B; prod on B under /prod)."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gitops_tools.promote.commands import main

from ..conftest import REPO_ROOT
from .oci import Registry, ensure_registry_binary, start_registry

DEV_REGISTRY = "111111111111.dkr.ecr.us-east-1.amazonaws.com"
STAGING_REGISTRY = "222222222222.dkr.ecr.us-east-1.amazonaws.com"
PROD_REGISTRY = "333333333333.dkr.ecr.us-east-1.amazonaws.com"
_COUNTER = itertools.count(1)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Release Engineer",
    "GIT_AUTHOR_EMAIL": "release@example.com",
    "GIT_COMMITTER_NAME": "Release Engineer",
    "GIT_COMMITTER_EMAIL": "release@example.com",
}


@dataclass(frozen=True)
class Registries:
    a: Registry
    b: Registry


@pytest.fixture(scope="session")
def registries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registries]:
    why_not = ensure_registry_binary(REPO_ROOT)
    if why_not:
        message = f"PROMOTION REGISTRY TESTS SKIPPED: no docker-registry: {why_not}"
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("registries")
    a = start_registry(root / "a")
    try:
        b = start_registry(root / "b")
    except BaseException:
        a.stop()
        raise
    yield Registries(a, b)
    a.stop()
    b.stop()


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GITOPS_REGISTRY_RETRIES", "0")
    monkeypatch.setenv("GITOPS_LOCK_TIMEOUT", "2")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("DOCKER_CONFIG", "/nonexistent/docker-config")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


@dataclass
class Run:
    code: int
    out: str
    err: str


def gitops(*argv: str) -> Run:
    """Run the promotion commands in-process, as `gitops ...` would."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Run(code, out.getvalue(), err.getvalue())


@dataclass
class PromoRepo:
    """A test repository and where its environments' images live."""

    root: Path
    dev: str  # registry prefix of each environment, e.g. 127.0.0.1:5000/t3
    staging: str
    prod: str

    def overlay(self, app: str, env: str) -> Path:
        return self.root / "apps" / "workloads" / app / "overlays" / env / "kustomization.yaml"

    def head(self) -> str:
        return git(self.root, "rev-parse", "HEAD").strip()

    def commits(self) -> int:
        return int(git(self.root, "rev-list", "--count", "HEAD"))

    def set_soak(self, env: str, hours: float) -> None:
        path = self.root / "clusters" / env / "cluster.yaml"
        text = re.sub(r"soakHours: [0-9.]+", f"soakHours: {hours:g}", path.read_text())
        path.write_text(text)
        git(self.root, "commit", "-qam", f"soak {env} {hours}h")

    def run(self, *argv: str) -> Run:
        return gitops(*argv, "--repo", str(self.root))


def make_repo(root: Path, dev: str, staging: str, prod: str) -> PromoRepo:
    """This repository's desired state with its registries replaced, committed in a new repo."""
    tracked = git(REPO_ROOT, "ls-files", "-z", "clusters", "apps", "policies").split("\0")
    for rel in filter(None, tracked):
        if "/service/" in rel:
            continue
        source = REPO_ROOT / rel
        if not source.is_file():
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in (".yaml", ".yml", ".md"):
            text = source.read_text(encoding="utf-8")
            text = text.replace(DEV_REGISTRY, dev).replace(STAGING_REGISTRY, staging)
            text = text.replace(PROD_REGISTRY, prod)
            text = re.sub(r"soakHours: [0-9.]+", "soakHours: 0", text)
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copy2(source, target)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Desired state")
    return PromoRepo(root, dev, staging, prod)


@pytest.fixture
def promo_repo(tmp_path: Path, registries: Registries) -> PromoRepo:
    """A fresh repository whose images live in the session's registries, under a path of its
    own (so tests never see each other's tags)."""
    space = f"t{next(_COUNTER)}-{os.getpid()}"
    return make_repo(
        tmp_path / "repo",
        dev=f"{registries.a.host}/{space}",
        staging=f"{registries.b.host}/{space}",
        prod=f"{registries.b.host}/{space}/prod",
    )
