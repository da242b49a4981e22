"""`gitops image set APP --env dev --tag T --digest D`: the CI build step pins what it pushed
in the first environment's overlay. Setting a later environment directly skips the ones
before it, so it needs `--allow-skip --reason`, like a promotion that skips."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitops_tools.errors import FatalError
from gitops_tools.promote.gitrepo import Git
from gitops_tools.promote.names import checked_digest, repository_of
from gitops_tools.promote.overlay import image_entries
from gitops_tools.promote.plan import (
    ImageMove,
    PromotionPlan,
    check_reason,
    clusters_of,
    edited,
    load_target,
    select_entries,
)
from gitops_tools.promote.provenance import BUILD


@dataclass(frozen=True)
class SetRequest:
    app: str
    env: str
    tag: str
    digest: str
    image: str | None = None
    source_commit: str | None = None
    allow_skip: bool = False
    reason: str | None = None


def plan_image_set(git: Git, repo_root: Path, request: SetRequest) -> PromotionPlan:
    reason = check_reason(request.allow_skip, request.reason)
    checked_digest(request.digest, "--digest")
    clusters = clusters_of(repo_root, request.env)
    cluster = clusters[request.env]
    if cluster.promoted_from is not None and not request.allow_skip:
        first = next(iter(clusters))
        raise FatalError(
            f"{request.env} receives images by promotion from {cluster.promoted_from}; "
            "setting them directly skips it",
            f"set the image in {first}, then `gitops promote {request.app} --to ...`; or pass "
            "--allow-skip --reason '...'",
        )
    path, rel, text = load_target(git, cluster, request.app, repo_root)
    entries = select_entries(
        image_entries(text, rel), cluster.registry, request.image, rel, request.env
    )
    if len(entries) > 1:
        names = ", ".join(e.name for e in entries)
        raise FatalError(
            f"{request.app} has {len(entries)} images in {rel} ({names}); which one was built?",
            "add --image NAME",
        )
    entry = entries[0]
    repository = repository_of(entry.repository_name, f"{rel}:{entry.line}")
    move = ImageMove(
        entry.name,
        repository,
        repository,
        request.tag,
        request.digest,
        entry.new_tag,
        entry.digest,
    )
    return PromotionPlan(
        app=request.app,
        kind="set",
        source_env=BUILD,
        target_env=request.env,
        moves=(move,),
        overlay=path,
        overlay_rel=rel,
        source_rel=None,
        original_text=text,
        edited_text=edited(text, [move], rel),
        skipped=tuple(list(clusters)[: list(clusters).index(request.env)]),
        allow_skip=request.allow_skip,
        reason=reason,
        source_commit=git.commit_id(request.source_commit or "HEAD"),
    )
