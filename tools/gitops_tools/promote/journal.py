"""A promotion interrupted between writing the overlay and committing it, recovered.

Before the overlay is replaced, a journal in the git directory records the file, the text it
had and the text being written. The commit removes it. A run that finds a journal left behind
(the process was killed while git's hooks ran, say) settles it before anything else: when HEAD
already holds the new text the commit happened and the journal goes; when the work tree holds
the new text but HEAD the old one, the overlay is put back as it was (the promotion is run
again, gates and all); when the file holds anything else, it refuses rather than guess.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from gitops_tools.errors import FatalError
from gitops_tools.fileio import write_atomically
from gitops_tools.promote.atomic import content_hash, read_text
from gitops_tools.promote.gitrepo import Git

JOURNAL_NAME = "gitops-promote.journal"


@dataclass(frozen=True)
class Entry:
    """The overlay a promotion was writing: its path in git, its old and new text."""

    overlay_rel: str
    original_text: str
    edited_text: str
    pid: int


def journal_path(git: Git) -> Path:
    return git.git_dir / JOURNAL_NAME


@contextlib.contextmanager
def journaled(git: Git, overlay_rel: str, original: str, edited: str) -> Iterator[None]:
    """Record the write for the span of the block; kept only if the process dies inside it."""
    path = journal_path(git)
    entry = Entry(overlay_rel, original, edited, os.getpid())
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(asdict(entry)), encoding="utf-8")
    temp.replace(path)
    ok = False
    try:
        yield
        ok = True
    finally:
        # a failure that this process handled (the overlay was put back) needs no recovery
        if ok or read_text(git.top / overlay_rel) == original:
            path.unlink(missing_ok=True)


def _read(path: Path) -> Entry | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Entry(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        raise FatalError(
            f"{path}: an interrupted promotion left a journal that cannot be read ({exc})",
            f"check the overlays with `git status`, then delete {path}",
        ) from None


def recover(git: Git, echo: Callable[[str], None]) -> None:
    """Settle what an interrupted promotion left behind (the caller holds the lock)."""
    path = journal_path(git)
    entry = _read(path)
    if entry is None:
        return
    overlay = git.top / entry.overlay_rel
    committed = git.show(entry.overlay_rel)
    try:
        current: str | None = read_text(overlay)
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise FatalError(f"{entry.overlay_rel}: cannot read: {exc.strerror}") from None
    if committed == entry.edited_text or current == entry.original_text:
        path.unlink(missing_ok=True)  # committed after all, or never written
        return
    if current != entry.edited_text or committed != entry.original_text:
        raise FatalError(
            f"an interrupted promotion (pid {entry.pid}) was writing {entry.overlay_rel}, and the "
            "file has changed since; nothing was written",
            f"check it with `git diff -- {entry.overlay_rel}`, restore or commit it, then delete "
            f"{path} and run the command again",
        )
    _clear_stale_index_lock(git, path)
    write_atomically(overlay, entry.original_text, entry.overlay_rel, durable=True)
    git.run("reset", "--quiet", "--", entry.overlay_rel)
    path.unlink(missing_ok=True)
    echo(
        f"Recovered an interrupted promotion (pid {entry.pid}): {entry.overlay_rel} was written "
        "but never committed; it was put back as HEAD has it "
        f"(sha256 {content_hash(entry.original_text)[:12]})."
    )


def _clear_stale_index_lock(git: Git, journal: Path) -> None:
    """git's index.lock left by the killed commit: newer than our journal and its writer gone."""
    lock = git.git_dir / "index.lock"
    try:
        if lock.stat().st_mtime < journal.stat().st_mtime:
            raise FatalError(
                f"{lock} exists and is older than the interrupted promotion: another git "
                "command may be running; nothing was written",
                "wait for it, or remove the lock if no git command runs, then try again",
            )
    except FileNotFoundError:
        return
    lock.unlink(missing_ok=True)
