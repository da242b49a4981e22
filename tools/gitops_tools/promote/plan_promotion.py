"""`gitops promote APP --to ENV`: the source is the environment before ENV in the promotion
order, the images are what the source overlay pins in git. Skipping an environment, or moving
a digest the source does not run, needs `--allow-skip --reason`; moving back to a digest the
target ran before is a rollback and needs `--reason`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitops_tools.cluster import Cluster
from gitops_tools.errors import FatalError
from gitops_tools.promote.gitrepo import Git
from gitops_tools.promote.names import checked_digest, repository_of
from gitops_tools.promote.oci_manifest import short
from gitops_tools.promote.overlay import ImageEntry, find_entry, image_entries, overlay_file
from gitops_tools.promote.overlay_history import entry_history, recorded, running_since
from gitops_tools.promote.plan import (
    ImageMove,
    PromotionPlan,
    check_reason,
    clusters_of,
    edited,
    load_target,
    select_entries,
)


@dataclass(frozen=True)
class PromoteRequest:
    app: str
    to_env: str
    from_env: str | None = None
    digest: str | None = None
    tag: str | None = None
    image: str | None = None
    allow_skip: bool = False
    reason: str | None = None


def plan_promotion(git: Git, repo_root: Path, request: PromoteRequest) -> PromotionPlan:
    reason = check_reason(request.allow_skip, request.reason)
    clusters = clusters_of(repo_root, request.to_env, *filter(None, [request.from_env]))
    target = clusters[request.to_env]
    source_env, skipped = _source_env(clusters, target, request)
    source = clusters[source_env]
    source_rel = git.relative(overlay_file(source, request.app, repo_root))
    source_text = git.show(source_rel)
    if source_text is None:
        raise FatalError(
            f"{source_rel} is not committed",
            "commit it first: promotion reads what the source environment runs from git",
        )
    shown_source = f"{source_rel} (HEAD)"
    entries = select_entries(
        image_entries(source_text, shown_source),
        source.registry,
        request.image,
        shown_source,
        source_env,
    )
    if request.digest is not None:
        checked_digest(request.digest, "--digest")
        if len(entries) > 1:
            names = ", ".join(e.name for e in entries)
            raise FatalError(
                f"--digest names one image, and {request.app} has {len(entries)}: {names}",
                "add --image NAME",
            )
    path, rel, text = load_target(git, target, request.app, repo_root)
    target_entries = image_entries(text, rel)
    moves: list[ImageMove] = []
    kind, source_commit = "promote", None
    for entry in entries:
        current = find_entry(target_entries, entry.name, rel)
        move, move_kind, commit = _move(git, source_rel, rel, entry, current, request)
        moves.append(move)
        if move_kind == "rollback":
            kind = "rollback"
            if reason is None:
                raise FatalError(
                    f"rolling {entry.name} in {request.to_env} back to {short(move.digest)} "
                    "needs --reason",
                    "say why: the reason is recorded in the commit",
                )
        elif move_kind == "skip":
            skipped += (f"{source_env}'s current digest",)
        source_commit = commit or source_commit
    return PromotionPlan(
        app=request.app,
        kind=kind,
        source_env=source_env,
        target_env=request.to_env,
        moves=tuple(moves),
        overlay=path,
        overlay_rel=rel,
        source_rel=source_rel,
        original_text=text,
        edited_text=edited(text, moves, rel),
        soak_hours=target.soak_hours,
        skipped=skipped,
        allow_skip=request.allow_skip,
        reason=reason,
        source_commit=source_commit,
    )


def _source_env(
    clusters: dict[str, Cluster], target: Cluster, request: PromoteRequest
) -> tuple[str, tuple[str, ...]]:
    order = " -> ".join(clusters)
    if target.promoted_from is None:
        raise FatalError(
            f"{target.environment} is the first environment of the promotion order ({order}): "
            "nothing is promoted into it",
            f"set its images with `gitops image set {request.app} --env {target.environment} "
            "--tag TAG --digest DIGEST`",
        )
    chain: list[str] = []  # the environments before the target, nearest first
    env: str | None = target.promoted_from
    while env is not None and env not in chain:
        chain.append(env)
        env = clusters[env].promoted_from
    source_env = request.from_env or chain[0]
    if source_env not in chain:
        raise FatalError(
            f"{source_env} does not come before {target.environment} in the promotion order "
            f"({order})",
            f"promote into {target.environment} from {chain[0]}",
        )
    skipped = tuple(chain[: chain.index(source_env)])
    if skipped and not request.allow_skip:
        raise FatalError(
            f"promoting {request.app} from {source_env} to {target.environment} skips "
            f"{', '.join(reversed(skipped))}; refused",
            f"promote to {skipped[-1]} first (`gitops promote {request.app} --to {skipped[-1]}`), "
            "or pass --allow-skip --reason '...' to record why not",
        )
    return source_env, skipped


def _move(
    git: Git,
    source_rel: str,
    target_rel: str,
    entry: ImageEntry,
    current: ImageEntry,
    request: PromoteRequest,
) -> tuple[ImageMove, str, str | None]:
    """The move of one image, its kind (promote, rollback, skip) and its Source-Commit."""
    source_repo = repository_of(entry.repository_name, f"{source_rel}:{entry.line}")
    target_repo = repository_of(current.repository_name, f"{target_rel}:{current.line}")
    here = f"{source_rel}:{entry.line}"
    if request.digest is None or request.digest == entry.digest:
        if not entry.digest:
            raise FatalError(
                f"{here}: {entry.name} is not pinned by digest, so what the source runs is "
                "not known exactly",
                f"pin it: `gitops image set {request.app} --env ... --image {entry.name} "
                "--tag TAG --digest sha256:...`",
            )
        since = running_since(entry_history(git, source_rel, entry.name), entry.digest)
        move = ImageMove(
            entry.name,
            source_repo,
            target_repo,
            request.tag or entry.new_tag,
            entry.digest,
            current.new_tag,
            current.digest,
            since,
        )
        return move, "promote", since.commit if since else None
    digest = request.digest
    if digest == current.digest:  # already running it: nothing to move
        tag = request.tag or current.new_tag
        move = ImageMove(
            entry.name, target_repo, target_repo, tag, digest, current.new_tag, current.digest
        )
        return move, "promote", None
    ran_here = recorded(entry_history(git, target_rel, entry.name), digest)
    if ran_here is not None:
        tag = request.tag or ran_here.tag
        move = ImageMove(
            entry.name, source_repo, target_repo, tag, digest, current.new_tag, current.digest
        )
        return move, "rollback", ran_here.commit
    if not request.allow_skip:
        raise FatalError(
            f"{entry.name} {short(digest)} is not what {source_rel} runs "
            f"({short(entry.digest or '')}) nor a digest {request.to_env} ran before; refused",
            "promote what the source runs, roll back to a digest the target ran before, or "
            "pass --allow-skip --reason '...'",
        )
    seen = recorded(entry_history(git, source_rel, entry.name), digest)
    tag = request.tag or (seen.tag if seen else None)
    if tag is None:
        raise FatalError(
            f"{short(digest)} never ran in the source environment, so its tag is not known",
            "pass --tag TAG",
        )
    move = ImageMove(
        entry.name, source_repo, target_repo, tag, digest, current.new_tag, current.digest
    )
    return move, "skip", seen.commit if seen else None
