"""How a plan and the history read on a terminal."""

from __future__ import annotations

import datetime as dt

from gitops_tools.promote.plan import PromotionPlan
from gitops_tools.promote.provenance import BUILD, Record


def when(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def describe_plan(plan: PromotionPlan) -> list[str]:
    if plan.kind == "set":
        head = f"Set image of {plan.app} in {plan.target_env} (from a build)"
    elif plan.kind == "rollback":
        head = f"Roll back {plan.app} in {plan.target_env}"
    else:
        head = f"Promote {plan.app}: {plan.source_env} -> {plan.target_env}"
    lines = [head]
    if plan.source_rel:
        lines.append(f"  source  {plan.source_rel} at HEAD")
    lines.append(f"  target  {plan.overlay_rel}")
    width = max(len(m.entry) for m in plan.moves)
    for move in plan.moves:
        if move.changes_overlay:
            change = f"{move.shown_current} -> {move.shown}"
        else:
            change = f"{move.shown} (unchanged)"
        lines.append(f"  {move.entry:<{width}}  {change}")
        if move.source != move.target:
            lines.append(f"  {'':<{width}}  from {move.source} to {move.target}")
    if plan.skipped:
        lines.append(f"  skips   {', '.join(plan.skipped)}")
    if plan.reason:
        lines.append(f"  reason  {plan.reason}")
    lines.append("Gates")
    return lines


def describe_history(records: list[Record], order: list[str], app: str) -> list[str]:
    if not records:
        return [f"no promotion of {app} is recorded (commits with the trailer `App: {app}`)"]
    envs = [e for e in order if any(r.target_env == e for r in records)]
    envs += sorted({r.target_env for r in records} - set(envs))
    lines = []
    for env in envs:
        lines.append(env)
        current: set[str] = set()
        for record in (r for r in records if r.target_env == env):
            origin = "build" if record.source_env == BUILD else f"from {record.source_env}"
            for reference, digest in record.images:
                repository = _without_tag(reference)
                mark = "*" if repository not in current else " "
                current.add(repository)
                reason = f"  reason: {record.reason}" if record.reason else ""
                lines.append(
                    f"  {mark} {when(record.time)}  {reference}@{digest[:19]}  {origin:<12} "
                    f"{record.commit[:12]}{reason}"
                )
    lines.append("* = what the environment runs now")
    return lines


def _without_tag(reference: str) -> str:
    colon = reference.rfind(":")
    return reference[:colon] if colon > reference.rfind("/") else reference
