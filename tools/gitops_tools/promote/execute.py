"""Carry out a planned promotion whose gates passed, under the clone's promotion lock: refuse
if the overlay changed since it was read, copy what the target registry lacks, write the
overlay atomically and commit it with provenance trailers. A failed commit puts it back."""

from __future__ import annotations

from collections.abc import Callable

from gitops_tools.errors import FatalError
from gitops_tools.fileio import write_atomically
from gitops_tools.promote.atomic import promotion_lock, replace_if_unchanged
from gitops_tools.promote.gates import GateOutcome
from gitops_tools.promote.gitrepo import Git
from gitops_tools.promote.journal import journaled, recover
from gitops_tools.promote.plan import ImageMove, PromotionPlan
from gitops_tools.promote.provenance import ImageChange, commit_message
from gitops_tools.promote.store import Registries
from gitops_tools.promote.transfer import copy_image

Echo = Callable[[str], None]


def copy_missing(
    plan: PromotionPlan, outcome: GateOutcome, registries: Registries, echo: Echo
) -> dict[str, str]:
    """Copy each image the target registry lacks; what happened, per entry, for the trailer."""
    done = {}
    for move in plan.moves:
        if move.source == move.target:
            done[move.entry] = f"none (same repository {move.target})"
        elif not outcome.needs_copy.get(move.entry):
            done[move.entry] = f"none ({move.target.reference(move.tag)} already present)"
        else:
            report = copy_image(registries, move.source, move.target, move.digest, move.tag)
            echo(
                f"copied {move.entry} {move.source.reference(None, move.digest)} -> "
                f"{move.target.reference(move.tag)}: {report.summary()}; digest verified"
            )
            done[move.entry] = f"{move.source} -> {move.target}; {report.summary()}"
    return done


def subject(plan: PromotionPlan) -> str:
    def images(moves: list[ImageMove]) -> str:
        return ", ".join(f"{m.entry} {m.tag or m.digest[:19]}" for m in moves)

    changed = plan.changed
    if plan.kind == "set":
        return f"Set {plan.app} image in {plan.target_env}: {images(changed)}"
    if plan.kind == "rollback":
        return f"Roll back {plan.app} in {plan.target_env}: {images(changed)}"
    skipping = f", skipping {', '.join(plan.skipped)}" if plan.skipped else ""
    return (
        f"Promote {plan.app} to {plan.target_env}: {images(changed)} "
        f"(from {plan.source_env}{skipping})"
    )


def apply(
    plan: PromotionPlan, outcome: GateOutcome, registries: Registries, git: Git, echo: Echo
) -> str | None:
    """Under the clone's promotion lock: refuse if the overlay changed since it was planned,
    copy what the target registry lacks, write the overlay and commit it. The new commit's
    id, or None when the overlay already pinned these images."""
    with promotion_lock(git.git_dir):
        recover(git, echo)
        ensure_unchanged(plan)
        copies = copy_missing(plan, outcome, registries, echo)
        if not plan.changed:
            return None
        return write_and_commit(plan, copies, git)


def ensure_unchanged(plan: PromotionPlan) -> None:
    replace_if_unchanged(plan.overlay, None, plan.original_hash, plan.overlay_rel)


def write_and_commit(plan: PromotionPlan, copies: dict[str, str], git: Git) -> str:
    """Write the edited overlay and commit it (the caller holds the lock); the commit's id."""
    changes = [
        ImageChange(m.entry, m.target.reference(m.tag), m.digest, copies.get(m.entry, "none"))
        for m in plan.changed
    ]
    message = commit_message(
        subject(plan),
        plan.app,
        plan.source_env,
        plan.target_env,
        changes,
        plan.source_commit,
        plan.reason,
    )
    with journaled(git, plan.overlay_rel, plan.original_text, plan.edited_text):
        replace_if_unchanged(plan.overlay, plan.edited_text, plan.original_hash, plan.overlay_rel)
        try:
            return git.commit_file(plan.overlay_rel, message)
        except FatalError as exc:
            write_atomically(plan.overlay, plan.original_text, plan.overlay_rel, durable=True)
            raise FatalError(
                f"{exc.message}; {plan.overlay_rel} was put back as it was",
                exc.hint or "set git user.name and user.email, then run the command again",
            ) from None
