"""Git plumbing the commands share: run git, resolve a ref, list changed files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from gitops_tools.errors import FatalError


def git(repo_root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo_root), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FatalError(f"cannot run git: {exc}") from None
    if proc.returncode != 0:
        said = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "no message"
        raise FatalError(f"git {args[0]} failed: {said}")
    return proc.stdout


def resolve_commit(repo_root: Path, ref: str, flag: str) -> str:
    """The full SHA of `ref`, or one clear error naming the flag."""
    try:
        return git(repo_root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except FatalError:
        raise FatalError(
            f"{flag} {ref}: not a commit in this repository",
            f"use a branch, tag or SHA, e.g. {flag} origin/main (fetch it first in CI)",
        ) from None


def changed_paths(repo_root: Path, base: str, head: str | None) -> set[str]:
    """Repository-relative paths that differ between `base` and `head` (the work tree, with
    untracked files, when `head` is None)."""
    args = ["diff", "--name-only", "-z", "--no-renames", base]
    names = git(repo_root, *args, *([head] if head else []), "--").split("\0")
    if head is None:
        untracked = git(
            repo_root, "ls-files", "--others", "--exclude-standard", "--full-name", "-z"
        )
        names += untracked.split("\0")
    return {n for n in names if n}
