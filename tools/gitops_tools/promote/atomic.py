"""Writing an overlay safely: one promotion at a time per clone (a lock file in the git
directory), the file replaced atomically and durably (`fileio.write_atomically`), and only
when it still has the content the promotion read, so a concurrent change is refused, never
overwritten."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from gitops_tools.errors import FatalError
from gitops_tools.fileio import write_atomically

LOCK_NAME = "gitops-promote.lock"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def promotion_lock(git_dir: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the clone's promotion lock; refuse when another promotion holds it too long."""
    if wait_seconds is None:
        wait_seconds = float(os.environ.get("GITOPS_LOCK_TIMEOUT", "60"))
    path = git_dir / LOCK_NAME
    with path.open("a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise FatalError(
                        f"another promotion holds {path} ({holder}); nothing was written",
                        "wait for it to finish, then run the command again",
                    ) from None
                time.sleep(0.05)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_text(path: Path) -> str:
    """A file's text with its line endings as they are (a hash must see the real bytes)."""
    return path.read_bytes().decode("utf-8")


def replace_if_unchanged(path: Path, text: str | None, expected_hash: str, shown: str) -> None:
    """Write `text` to `path` atomically if the file still hashes to `expected_hash` (with
    `text` None, only check that it does)."""
    try:
        current = read_text(path)
    except OSError as exc:
        raise FatalError(f"{shown}: cannot read: {exc.strerror}") from None
    if content_hash(current) != expected_hash:
        raise FatalError(
            f"{shown} changed while this promotion was running (another promotion or an edit "
            "got there first); nothing was written",
            "run the command again: it starts from the file as it is now",
        )
    if text is not None:
        write_atomically(path, text, shown, durable=True)
