"""The checks a promotion passes before it writes anything: the digest is in a registry and is
the image, not one platform of it; no deny-listed digest; the soak time in the source
environment; the target tag free or already this digest; the edited overlay passes check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gitops_tools.errors import FatalError
from gitops_tools.promote.check_gate import check_edited_overlay
from gitops_tools.promote.denylist import DENYLIST, denied_digests
from gitops_tools.promote.gitrepo import Git
from gitops_tools.promote.oci_manifest import Manifest, short
from gitops_tools.promote.plan import ImageMove, PromotionPlan
from gitops_tools.promote.store import Registries

Echo = Callable[[str], None]


@dataclass
class GateOutcome:
    """What the gates learnt: which images the target registry still needs."""

    needs_copy: dict[str, bool] = field(default_factory=dict)
    soak_skipped: bool = False


def run_gates(
    plan: PromotionPlan,
    registries: Registries,
    git: Git,
    repo_root: Path,
    echo: Echo,
    *,
    platform_digest: bool = False,
    verify_registry: bool = True,
    now: float | None = None,
) -> GateOutcome:
    outcome = GateOutcome()
    denied = denied_digests(repo_root)
    for move in plan.moves:
        manifest = _in_registry(move, registries, echo) if verify_registry else None
        if manifest is not None:
            _tag_agrees(move, registries, platform_digest, echo)
        listed = (
            {move.digest} | {c.digest for c in manifest.children()} if manifest else {move.digest}
        )
        for digest in sorted(listed & denied.keys()):
            raise FatalError(
                f"{move.entry} {short(digest)} is on the promotion deny-list ({DENYLIST}): "
                f"{denied[digest]}",
                "promote a fixed build instead",
            )
        outcome.soak_skipped |= _soaked(plan, move, echo, now)
        outcome.needs_copy[move.entry] = verify_registry and _target_tag(move, registries, echo)
    if denied:
        echo(f"  ok  deny-list: no digest is listed in {DENYLIST}")
    if plan.edited_text != plan.original_text:
        objects = check_edited_overlay(git, plan.target_env, plan.overlay_rel, plan.edited_text)
        echo(
            f"  ok  check: {plan.overlay_rel} passes `gitops check` for {plan.target_env} "
            f"after the edit ({objects} objects)"
        )
    return outcome


def _in_registry(move: ImageMove, registries: Registries, echo: Echo) -> Manifest:
    found = registries.of(move.target).manifest(move.target.path, move.digest)
    where = move.target
    if found is None and move.source != move.target:
        found = registries.of(move.source).manifest(move.source.path, move.digest)
        where = move.source
    if found is None:
        raise FatalError(
            f"{move.entry} {short(move.digest)} is not in {move.source}"
            + (f" nor in {move.target}" if move.source != move.target else "")
            + "; nothing was changed",
            "the overlay pins a digest its registry does not have: push the image again, "
            "or pin a digest that exists",
        )
    echo(f"  ok  registry: {move.entry} {short(move.digest)} is in {where} ({found.describe()})")
    return found


def _tag_agrees(move: ImageMove, registries: Registries, allowed: bool, echo: Echo) -> None:
    """Refuse one platform's manifest when the tag is a multi-arch index containing it; say
    so when the tag has moved on since the digest was pinned (the digest is what moves)."""
    if not move.tag:
        return
    tagged = registries.of(move.source).manifest(move.source.path, move.tag)
    if tagged is None or tagged.digest == move.digest:
        return
    platforms = {c.digest: c.platform for c in tagged.children()}
    if move.digest not in platforms:
        echo(
            f"  !!  tag: {move.source.reference(move.tag)} now points at {short(tagged.digest)};"
            f" the pinned {short(move.digest)} is what moves"
        )
        return
    if not allowed:
        raise FatalError(
            f"{move.entry} {short(move.digest)} is the {platforms[move.digest]} image of the "
            f"multi-arch index {short(tagged.digest)} ({move.source}:{move.tag}); refused",
            f"pin the index digest {tagged.digest} instead, or pass --platform-digest to "
            "promote this platform only",
        )


def _soaked(plan: PromotionPlan, move: ImageMove, echo: Echo, now: float | None) -> bool:
    """Whether the soak time was skipped (allowed with --allow-skip); refuses otherwise."""
    if plan.kind != "promote" or plan.soak_hours <= 0 or move.since is None:
        return False
    if not move.changes_overlay:
        return False
    elapsed = (now if now is not None else dt.datetime.now(dt.UTC).timestamp()) - move.since.time
    needed = plan.soak_hours * 3600
    hours = f"{elapsed / 3600:.1f}h of {plan.soak_hours:g}h"
    if elapsed >= needed:
        echo(
            f"  ok  soak: {move.entry} has run in {plan.source_env} for {hours} "
            f"(since {move.since.commit[:12]})"
        )
        return False
    ready = dt.datetime.fromtimestamp(move.since.time + needed, dt.UTC).strftime(
        "%Y-%m-%d %H:%M UTC"
    )
    if plan.allow_skip:
        echo(
            f"  --  soak: {move.entry} has run in {plan.source_env} for {hours} only; "
            "skipped (--allow-skip, reason recorded)"
        )
        return True
    raise FatalError(
        f"{move.entry} {short(move.digest)} has run in {plan.source_env} for {hours} only "
        f"(soakHours in clusters/{plan.target_env}/cluster.yaml); refused",
        f"promote after {ready}, or pass --allow-skip --reason '...' to record why not",
    )


def _target_tag(move: ImageMove, registries: Registries, echo: Echo) -> bool:
    """Whether the target registry still needs the image; refuses a tag that is taken."""
    if move.source == move.target:
        return False
    store = registries.of(move.target)
    ref = move.tag or move.digest
    current = store.manifest_digest(move.target.path, ref)
    if current is None:
        echo(f"  ok  target: {move.target.reference(move.tag)} is free: the image will be copied")
        return True
    if current != move.digest:
        raise FatalError(
            f"{move.target.reference(move.tag)} already exists with digest {short(current)}, not "
            f"{short(move.digest)}; refused (a promoted tag never moves)",
            "find out who pushed that tag; promote a build with a new tag",
        )
    echo(f"  ok  target: {move.target.reference(move.tag)} already holds {short(move.digest)}")
    return False
