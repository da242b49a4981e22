"""The image tag scheme (docs/runbooks/image-tags.md): `.github/scripts/image-version` derives
a semantic version from the release tags and the commit, every tag it makes is one that Argo CD
Image Updater's allowTags admits, and semver orders them as the commits are ordered."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from gitops_tools.yamlio import decode_text, load_documents

from .conftest import REPO_ROOT

SCRIPT = REPO_ROOT / ".github/scripts/image-version"
UPDATER = REPO_ROOT / "apps/platform/argocd-image-updater/overlays/dev/imageupdater-workloads.yaml"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "ci@example.invalid")
    git(tmp_path, "config", "user.name", "ci")
    return tmp_path


def commit(repo: Path, tag: str = "") -> str:
    git(repo, "commit", "-q", "--allow-empty", "-m", "change")
    if tag:
        git(repo, "tag", tag)
    return git(repo, "rev-parse", "HEAD")[:7]


def version(repo: Path) -> str:
    proc = subprocess.run([str(SCRIPT), "qr-generator/v"], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def precedence(tag: str) -> tuple[object, ...]:
    """Semantic-versioning precedence: a release sorts after its pre-releases; numeric
    identifiers compare as numbers, below alphanumeric ones."""
    core, _, pre = tag.partition("-")
    fields = tuple(int(p) for p in core.split("."))
    if not pre:
        return (*fields, 1, ())
    ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (*fields, 0, ids)


def allow_tags() -> re.Pattern[str]:
    doc = load_documents(decode_text(UPDATER.read_bytes()))[0]
    pattern: str = doc["spec"]["commonUpdateSettings"]["allowTags"]
    return re.compile(pattern.removeprefix("regexp:"))


def test_versions_follow_the_release_tags(repo: Path) -> None:
    first = commit(repo)
    seen = [version(repo)]
    assert seen[-1] == f"0.0.1-dev.1.g{first}"
    commit(repo, "qr-generator/v1.4.2")
    seen.append(version(repo))
    assert seen[-1] == "1.4.2"
    sha = commit(repo)
    seen.append(version(repo))
    assert seen[-1] == f"1.4.3-dev.1.g{sha}"
    commit(repo, "qr-generator/v1.5.0-rc.1")
    seen.append(version(repo))
    assert seen[-1] == "1.5.0-rc.1"
    commit(repo)
    sha = commit(repo)
    seen.append(version(repo))
    assert seen[-1] == f"1.5.0-rc.1.dev.2.g{sha}"
    commit(repo, "qr-generator/v1.5.0-rc.2")
    seen.append(version(repo))
    commit(repo, "qr-generator/v1.5.0")
    seen.append(version(repo))
    assert seen[-2:] == ["1.5.0-rc.2", "1.5.0"]
    assert sorted(seen, key=precedence) == seen
    admitted = allow_tags()
    for tag in seen:
        assert admitted.fullmatch(tag), tag


def test_other_tags_are_ignored_and_bad_release_tags_refused(repo: Path) -> None:
    commit(repo, "movie-catalog/v9.0.0")
    assert version(repo).startswith("0.0.1-dev.1.g")
    commit(repo, "qr-generator/v2.0")
    proc = subprocess.run([str(SCRIPT), "qr-generator/v"], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "is not qr-generator/vX.Y.Z" in proc.stderr


def test_the_workflow_tags_images_with_the_script() -> None:
    workflow = (REPO_ROOT / ".github/workflows/qr-images.yaml").read_text()
    assert ".github/scripts/image-version qr-generator/v" in workflow
    assert "platforms: linux/amd64,linux/arm64" in workflow
    assert 'GITHUB_SHA" --digest' not in workflow and '--tag "$TAG"' in workflow
