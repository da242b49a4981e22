"""What a promotion (or an image set) will do, worked out from the repository alone before
anything is touched: source and target environment, the images to move, the edited overlay."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitops_tools.cluster import Cluster, load_clusters
from gitops_tools.errors import FatalError
from gitops_tools.promote.atomic import content_hash, read_text
from gitops_tools.promote.gitrepo import Git
from gitops_tools.promote.names import Repository, in_registry
from gitops_tools.promote.oci_manifest import short
from gitops_tools.promote.overlay import ImageEntry, find_entry, overlay_file
from gitops_tools.promote.overlay_edit import set_image
from gitops_tools.promote.overlay_history import EntryVersion


@dataclass(frozen=True)
class ImageMove:
    """One image the target overlay should run: from where, to where, which tag and digest."""

    entry: str  # the images: entry's name
    source: Repository  # where the bytes are taken from when the target lacks them
    target: Repository
    tag: str | None
    digest: str
    current_tag: str | None
    current_digest: str | None
    since: EntryVersion | None = None  # since when the source environment runs it

    @property
    def changes_overlay(self) -> bool:
        return (self.tag, self.digest) != (self.current_tag, self.current_digest)

    @property
    def shown(self) -> str:
        return f"{self.tag or '(no tag)'}@{short(self.digest)}"

    @property
    def shown_current(self) -> str:
        if not self.current_digest:
            return f"{self.current_tag or '(no tag)'} (no digest)"
        return f"{self.current_tag or '(no tag)'}@{short(self.current_digest)}"


@dataclass(frozen=True)
class PromotionPlan:
    """Everything a promotion needs to run its gates, copy, write and commit."""

    app: str
    kind: str  # "promote", "rollback" or "set"
    source_env: str
    target_env: str
    moves: tuple[ImageMove, ...]
    overlay: Path
    overlay_rel: str
    source_rel: str | None
    original_text: str
    edited_text: str
    soak_hours: float = 0.0
    skipped: tuple[str, ...] = ()  # environments passed over
    allow_skip: bool = False
    reason: str | None = None
    source_commit: str | None = None

    @property
    def original_hash(self) -> str:
        return content_hash(self.original_text)

    @property
    def changed(self) -> list[ImageMove]:
        return [m for m in self.moves if m.changes_overlay]


def check_reason(allow_skip: bool, reason: str | None) -> str | None:
    if reason is not None and not reason.strip():
        raise FatalError("--reason is empty", "say why, in a few words: it goes into the commit")
    if allow_skip and not reason:
        raise FatalError("--allow-skip needs --reason", "say why: the reason is recorded in git")
    return reason.strip() if reason else None


def load_target(git: Git, cluster: Cluster, app: str, repo_root: Path) -> tuple[Path, str, str]:
    """The target overlay's file, its git path and its text, which must be committed as is."""
    path = overlay_file(cluster, app, repo_root)
    rel = git.relative(path)
    if not git.is_clean(rel):
        raise FatalError(
            f"{rel} has uncommitted changes",
            "commit or stash them first: a promotion commits this file and nothing else",
        )
    try:
        return path, rel, read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise FatalError(f"{rel}: cannot read: {exc}") from None


def select_entries(
    entries: list[ImageEntry], registry: str, image: str | None, shown: str, env: str
) -> list[ImageEntry]:
    """The app's own images: entries under the environment's registry (or the one named)."""
    own = [e for e in entries if in_registry(e.repository_name, registry)]
    if image is not None:
        entry = find_entry(entries, image, shown)
        if entry not in own:
            raise FatalError(
                f"{shown}:{entry.line}: {image} ({entry.repository_name}) is not in {env}'s "
                f"registry {registry}",
                "promotion moves the images built into the environment registries",
            )
        return [entry]
    if not own:
        raise FatalError(
            f"{shown}: no images: entry is in {env}'s registry {registry}",
            f"the app's images must have newName under {registry} (clusters/{env}/cluster.yaml)",
        )
    return own


def edited(text: str, moves: list[ImageMove], shown: str) -> str:
    for move in moves:
        if move.changes_overlay:
            text = set_image(text, move.entry, move.tag, move.digest, shown)
    return text


def clusters_of(repo_root: Path, *envs: str) -> dict[str, Cluster]:
    clusters = load_clusters(repo_root)
    for env in envs:
        if env not in clusters:
            raise FatalError(
                f"no cluster for environment {env!r}",
                f"environments in promotion order: {' -> '.join(clusters)}",
            )
    return clusters
