"""Reusable git worktrees of a ref, for rendering the base of `gitops diff`."""

from __future__ import annotations

import shutil
from pathlib import Path

from gitops_tools.errors import FatalError
from gitops_tools.gitrun import git

KEEP_WORKTREES = 4


def worktree(repo_root: Path, sha: str, cache_dir: Path) -> Path:
    """A checkout of `sha`, kept under the cache so that a second diff against the same base
    reuses it (and its renders stay cached)."""
    root = cache_dir / "worktrees"
    path = root / sha[:16]
    if (path / ".git").exists():
        try:
            if git(path, "rev-parse", "HEAD").strip() == sha:
                return path
        except FatalError:
            pass
        _remove(repo_root, path)
    root.mkdir(parents=True, exist_ok=True)
    git(repo_root, "worktree", "add", "--detach", "--force", str(path), sha)
    others = sorted((p for p in root.iterdir() if p != path), key=lambda p: p.stat().st_mtime)
    for old in others[: max(0, len(others) - KEEP_WORKTREES + 1)]:
        _remove(repo_root, old)
    return path


def _remove(repo_root: Path, path: Path) -> None:
    try:
        git(repo_root, "worktree", "remove", "--force", str(path))
    except FatalError:
        shutil.rmtree(path, ignore_errors=True)
        git(repo_root, "worktree", "prune")
