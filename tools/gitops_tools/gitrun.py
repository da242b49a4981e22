"""The one git runner: run git in a work tree (text or bytes), resolve a ref, list changed
files. Every failure is one FatalError naming the git command."""

from __future__ import annotations

import subprocess
from pathlib import Path

from gitops_tools.errors import FatalError

GIT_TIMEOUT = 120.0


def run_git(
    root: Path, *args: str, stdin: bytes | None = None, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """`git -C root ARGS` with its output as bytes; a failure (when `check`) is a FatalError
    with git's last line of complaint."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FatalError(f"cannot run git: {exc}", "install git") from None
    if check and proc.returncode != 0:
        said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FatalError(f"git {args[0]} failed in {root}: {said[-1] if said else 'no message'}")
    return proc


def git(repo_root: Path, *args: str, stdin: str | None = None, check: bool = True) -> str:
    """`git -C repo_root ARGS`, its standard output as text."""
    data = stdin.encode("utf-8") if stdin is not None else None
    return run_git(repo_root, *args, stdin=data, check=check).stdout.decode("utf-8", "replace")


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
