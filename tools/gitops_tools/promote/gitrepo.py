"""The git operations promotion needs: files at a revision, a file's history, one-file commits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from gitops_tools.errors import FatalError
from gitops_tools.gitrun import git, run_git

HISTORY_LIMIT = 1000


@dataclass(frozen=True)
class FileVersion:
    """One committed version of a file: the commit that wrote it, its time, its text."""

    commit: str
    time: int  # committer time, seconds since the epoch
    text: str | None  # None where the commit deleted the file


class Git:
    """A git work tree, driven through the git command line."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, *args: str, stdin: str | None = None, check: bool = True) -> str:
        return git(self.root, *args, stdin=stdin, check=check)

    @cached_property
    def top(self) -> Path:
        try:
            return Path(self.run("rev-parse", "--show-toplevel").strip())
        except FatalError:
            raise FatalError(
                f"{self.root} is not in a git repository",
                "promotion records what it does in git: run it in a clone of the repository",
            ) from None

    @cached_property
    def git_dir(self) -> Path:
        return Path(self.run("rev-parse", "--absolute-git-dir").strip())

    def relative(self, path: Path) -> str:
        """A path as git names it: relative to the top of the work tree, with slashes."""
        return path.resolve().relative_to(self.top.resolve()).as_posix()

    def head(self) -> str:
        return self.run("rev-parse", "--verify", "HEAD^{commit}").strip()

    def commit_id(self, rev: str) -> str:
        """The full id of the commit `rev` names; refused when this clone has no such commit."""
        found = self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if not found.strip():
            raise FatalError(
                f"no commit {rev!r} in {self.top}",
                "pass the id of a commit this clone has (fetch it first in a shallow clone)",
            )
        return found.strip()

    def show(self, rel: str, rev: str = "HEAD") -> str | None:
        """A file's text at a revision, None when it does not exist there."""
        out = run_git(self.root, "show", f"{rev}:{rel}", check=False)
        return out.stdout.decode("utf-8", "replace") if out.returncode == 0 else None

    def is_clean(self, rel: str) -> bool:
        """Whether the work tree and index hold the file as HEAD does."""
        return not self.run("status", "--porcelain", "--", rel).strip()

    def versions(self, rel: str, rev: str = "HEAD") -> Iterator[FileVersion]:
        """The commits that changed a file, newest first, each with the text it wrote."""
        log = self.run(
            "log", f"-n{HISTORY_LIMIT}", "--format=%H %ct", rev, "--", rel, check=False
        ).split()
        commits = list(zip(log[0::2], log[1::2], strict=True))
        if not commits:
            return
        batch = "".join(f"{sha}:{rel}\n" for sha, _ in commits).encode()
        out = run_git(self.root, "cat-file", "--batch", stdin=batch, check=False).stdout
        pos = 0
        for sha, when in commits:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) == 2 and header[1] == b"missing":
                yield FileVersion(sha, int(when), None)
                continue
            size = int(header[2])
            text = out[pos : pos + size].decode("utf-8", "replace")
            pos += size + 1
            yield FileVersion(sha, int(when), text)

    def commit_file(self, rel: str, message: str) -> str:
        """Commit the work tree's version of one file (other staged changes stay staged)."""
        self.run("commit", "--quiet", "--file=-", "--only", "--", rel, stdin=message)
        return self.head()
