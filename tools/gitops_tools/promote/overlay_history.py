"""What an overlay's `images:` entry held over time, from the git history of the file: when the
current digest arrived (soak time, `Source-Commit`) and which digests ran before (rollback)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from gitops_tools.promote.gitrepo import Git


@dataclass(frozen=True)
class EntryVersion:
    """The entry as one commit left it (tag and digest None when it had none)."""

    commit: str
    time: int
    tag: str | None
    digest: str | None


def entry_history(git: Git, rel: str, name: str, rev: str = "HEAD") -> list[EntryVersion]:
    """The entry at every commit that changed the file, newest first."""
    return [EntryVersion(v.commit, v.time, *_entry(v.text, name)) for v in git.versions(rel, rev)]


def running_since(history: list[EntryVersion], digest: str) -> EntryVersion | None:
    """The commit from which the newest version has held `digest` without interruption."""
    since = None
    for version in history:
        if version.digest != digest:
            break
        since = version
    return since


def recorded(history: list[EntryVersion], digest: str) -> EntryVersion | None:
    """The newest version that held `digest`, if any did."""
    return next((v for v in history if v.digest == digest), None)


def _entry(text: str | None, name: str) -> tuple[str | None, str | None]:
    try:
        doc: Any = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return None, None
    images = doc.get("images") if isinstance(doc, dict) else None
    for item in images if isinstance(images, list) else []:
        if isinstance(item, dict) and item.get("name") == name:
            tag, digest = item.get("newTag"), item.get("digest")
            return (str(tag) if tag is not None else None, str(digest) if digest else None)
    return None, None
