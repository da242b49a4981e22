"""`--changed-since REF`: which files changed, so only what they feed is checked again."""

from __future__ import annotations

from pathlib import Path

from gitops_tools.gitrun import changed_paths, git, resolve_commit


def changed_files(repo_root: Path, ref: str) -> set[Path]:
    """Files that differ between REF and the work tree (staged or not), plus untracked ones."""
    base = resolve_commit(repo_root, ref, "--changed-since")
    top = Path(git(repo_root, "rev-parse", "--show-toplevel").strip())
    return {(top / name).resolve() for name in changed_paths(repo_root, base, None)}
