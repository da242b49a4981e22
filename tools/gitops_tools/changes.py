"""`--changed-since REF`: which files changed, so only what they feed is checked again."""

from __future__ import annotations

import subprocess
from pathlib import Path

from gitops_tools.errors import FatalError


def _git(repo_root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo_root), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FatalError(f"cannot run git: {exc}", "install git, or drop --changed-since") from None
    if proc.returncode != 0:
        said = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "no message"
        raise FatalError(f"git {' '.join(args[:2])} failed: {said}")
    return proc.stdout


def changed_files(repo_root: Path, ref: str) -> set[Path]:
    """Files that differ between REF and the work tree (staged or not), plus untracked ones."""
    try:
        _git(repo_root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except FatalError:
        raise FatalError(
            f"--changed-since {ref}: not a commit in this repository",
            "use a branch, tag or SHA, e.g. --changed-since origin/main",
        ) from None
    top = Path(_git(repo_root, "rev-parse", "--show-toplevel").strip())
    names = _git(repo_root, "diff", "--name-only", "-z", ref, "--").split("\0")
    names += _git(
        repo_root, "ls-files", "--others", "--exclude-standard", "--full-name", "-z"
    ).split("\0")
    return {(top / n).resolve() for n in names if n}
