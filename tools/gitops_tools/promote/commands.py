"""The `promote`, `image set` and `history` commands of `gitops` (`add_commands` registers
them on the main parser; `main` runs them alone, e.g. `python -m gitops_tools.promote`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_tools.errors import EXIT_OK, FatalError, run

if TYPE_CHECKING:  # the handlers import what they need: `gitops check` starts no slower
    from gitops_tools.promote.gitrepo import Git
    from gitops_tools.promote.plan import PromotionPlan


def echo(line: str) -> None:
    print(line, flush=True)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `promote`, `image set` and `history` on the `gitops` subcommand parser."""
    promote = sub.add_parser(
        "promote", help="move the image the previous environment runs into ENV, with provenance"
    )
    promote.add_argument("app", metavar="APP", help="the Argo CD Application's name")
    promote.add_argument("--to", required=True, metavar="ENV", dest="to_env")
    promote.add_argument(
        "--from",
        metavar="ENV",
        dest="from_env",
        help="source environment (default: the one before ENV)",
    )
    promote.add_argument("--digest", help="promote this digest (a rollback, or with --allow-skip)")
    promote.add_argument("--tag", help="tag for --digest when git history does not know it")
    promote.add_argument("--image", metavar="NAME", help="only this images: entry")
    promote.add_argument(
        "--allow-skip",
        action="store_true",
        help="allow skipping an environment or the soak time (needs --reason)",
    )
    promote.add_argument("--reason", help="why: recorded in the commit")
    promote.add_argument(
        "--platform-digest",
        action="store_true",
        help="allow one platform's digest of a multi-arch image",
    )
    promote.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    promote.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    promote.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
    promote.set_defaults(handler=cmd_promote)

    image = sub.add_parser("image", help="set an application's image (the CI build step)")
    image_sub = image.add_subparsers(dest="image_command", required=True, metavar="COMMAND")
    image_set = image_sub.add_parser("set", help="pin a built image in an environment's overlay")
    image_set.add_argument("app", metavar="APP")
    image_set.add_argument("--env", required=True)
    image_set.add_argument("--tag", required=True)
    image_set.add_argument("--digest", required=True)
    image_set.add_argument("--image", metavar="NAME", help="the images: entry (when several)")
    image_set.add_argument(
        "--source-commit", metavar="SHA", help="commit the image was built from (default: HEAD)"
    )
    image_set.add_argument(
        "--platform-digest",
        action="store_true",
        help="allow one platform's digest of a multi-arch image",
    )
    image_set.add_argument(
        "--no-verify", action="store_true", help="do not look the digest up in the registry"
    )
    image_set.add_argument(
        "--allow-skip",
        action="store_true",
        help="allow setting an environment that is promoted into",
    )
    image_set.add_argument("--reason")
    image_set.add_argument("--dry-run", action="store_true")
    image_set.add_argument("--repo", type=Path, default=Path())
    image_set.set_defaults(handler=cmd_image_set)

    history = sub.add_parser("history", help="what ran where and since when, from git")
    history.add_argument("app", metavar="APP")
    history.add_argument("--env", help="only this environment")
    history.add_argument("--repo", type=Path, default=Path())
    history.set_defaults(handler=cmd_history)


def _settled_git(repo: Path) -> Git:
    """The clone, with whatever an interrupted promotion left behind settled first."""
    from gitops_tools.promote.atomic import promotion_lock
    from gitops_tools.promote.gitrepo import Git
    from gitops_tools.promote.journal import recover

    git = Git(repo.resolve())
    with promotion_lock(git.git_dir):
        recover(git, echo)
    return git


def cmd_promote(args: argparse.Namespace) -> int:
    from gitops_tools.promote.plan_promotion import PromoteRequest, plan_promotion

    git = _settled_git(args.repo)
    request = PromoteRequest(
        args.app,
        args.to_env,
        args.from_env,
        args.digest,
        args.tag,
        args.image,
        args.allow_skip,
        args.reason,
    )
    plan = plan_promotion(git, git.top, request)
    return _run(plan, git, args, platform_digest=args.platform_digest, verify=True)


def cmd_image_set(args: argparse.Namespace) -> int:
    from gitops_tools.promote.plan_image_set import SetRequest, plan_image_set

    git = _settled_git(args.repo)
    request = SetRequest(
        args.app,
        args.env,
        args.tag,
        args.digest,
        args.image,
        args.source_commit,
        args.allow_skip,
        args.reason,
    )
    plan = plan_image_set(git, git.top, request)
    args.yes = True  # a CI step: nobody to ask
    return _run(plan, git, args, platform_digest=args.platform_digest, verify=not args.no_verify)


def cmd_history(args: argparse.Namespace) -> int:
    from gitops_tools.cluster import load_clusters
    from gitops_tools.promote.gitrepo import Git
    from gitops_tools.promote.output import describe_history
    from gitops_tools.promote.provenance import records

    git = Git(args.repo.resolve())
    order = list(load_clusters(git.top))
    if args.env is not None and args.env not in order:
        raise FatalError(f"no environment {args.env!r}", f"known environments: {', '.join(order)}")
    found = [r for r in records(git, args.app) if args.env in (None, r.target_env)]
    for line in describe_history(found, order, args.app):
        echo(line)
    return EXIT_OK


def _run(
    plan: PromotionPlan, git: Git, args: argparse.Namespace, *, platform_digest: bool, verify: bool
) -> int:
    from gitops_tools.promote.execute import apply
    from gitops_tools.promote.execute import subject as commit_subject
    from gitops_tools.promote.gates import run_gates
    from gitops_tools.promote.output import describe_plan
    from gitops_tools.promote.store import Registries

    for line in describe_plan(plan):
        echo(line)
    with Registries() as registries:
        outcome = run_gates(
            plan,
            registries,
            git,
            git.top,
            echo,
            platform_digest=platform_digest,
            verify_registry=verify,
        )
        if args.dry_run:
            echo("Dry run: nothing was copied, written or committed.")
            return EXIT_OK
        if not plan.changed and not any(outcome.needs_copy.values()):
            echo(
                f"Nothing to do: {plan.target_env} already runs "
                + ", ".join(f"{m.entry} {m.shown}" for m in plan.moves)
                + "."
            )
            return EXIT_OK
        _confirm(plan, args.yes)
        commit = apply(plan, outcome, registries, git, echo)
    if commit is None:
        echo(f"{plan.overlay_rel} already pins these images: nothing to commit.")
        return EXIT_OK
    echo(f"Committed {commit[:12]} {commit_subject(plan)}")
    echo("Push it (git push) for Argo CD to deploy it.")
    return EXIT_OK


def _confirm(plan: PromotionPlan, yes: bool) -> None:
    from gitops_tools.promote.execute import subject

    if yes:
        return
    if not sys.stdin.isatty():
        raise FatalError("not confirmed: standard input is not a terminal", "pass --yes")
    answer = input(f"{subject(plan)}: go ahead? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise FatalError("not confirmed; nothing was changed")


def main(argv: Sequence[str] | None = None) -> int:
    """These commands alone, with the same error handling as `gitops`."""
    parser = argparse.ArgumentParser(prog="gitops", description=__doc__)
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return run(parser, argv)
