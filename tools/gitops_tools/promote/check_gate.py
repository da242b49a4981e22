"""The last gate before a write: the target overlay, as the promotion would leave it, passes
`gitops check` for its environment. The check runs in-process on a scratch copy of the
repository's desired state (clusters/, policies/ and the overlay's tree) holding the edit, so
the real work tree is never touched by a promotion that fails it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from gitops_tools.cluster import CLUSTERS_DIR, load_clusters
from gitops_tools.errors import FatalError
from gitops_tools.findings import Finding, Severity
from gitops_tools.pipeline import (
    apply_exemptions,
    police_runs,
    relative_findings,
    run_environments,
    validate_runs,
)
from gitops_tools.policy.config import load_policy_config
from gitops_tools.promote.gitrepo import Git

SHOWN_FINDINGS = 5


def check_edited_overlay(git: Git, env: str, overlay_rel: str, edited_text: str) -> int:
    """Check the overlay with `edited_text` in place; the number of objects it renders.
    Refuses (FatalError) when any error-level finding remains."""
    tops = {CLUSTERS_DIR, "policies", overlay_rel.split("/", 1)[0]}
    tracked = [f for f in git.run("ls-files", "-z").split("\0") if f.split("/", 1)[0] in tops]
    with tempfile.TemporaryDirectory(prefix="gitops-promote-") as scratch:
        root = Path(scratch) / "repo"
        for rel in tracked:
            source = git.top / rel
            if source.is_file():
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, root / rel, follow_symlinks=False)
        overlay = root / overlay_rel
        overlay.parent.mkdir(parents=True, exist_ok=True)
        overlay.write_text(edited_text, encoding="utf-8")
        cluster = load_clusters(root)[env]
        config = load_policy_config(root)
        # kept in the git directory: content-keyed, and never an untracked file in the tree
        cache = git.git_dir / "gitops-cache"
        runs = run_environments(root, [cluster], cache, paths=[overlay.parent])
        stages = [
            *validate_runs(runs, root, Severity.ERROR, cache),
            *police_runs(runs, root, config, complete=False),
        ]
        found = [f for run in runs for f in run.findings]
        found += [f for stage in stages for f in stage.findings]
        findings = relative_findings(apply_exemptions(found, config), root)
        errors = [f for f in findings if f.severity >= Severity.ERROR and not f.suppression]
        if errors:
            raise FatalError(
                f"{overlay_rel} would fail `gitops check` for {env} after the edit; nothing was "
                f"written:\n"
                + "\n".join(_line(f) for f in sorted(errors)[:SHOWN_FINDINGS])
                + (
                    f"\n  ... and {len(errors) - SHOWN_FINDINGS} more"
                    if len(errors) > SHOWN_FINDINGS
                    else ""
                ),
                f"run `gitops check --env {env} {Path(overlay_rel).parent}` and fix the overlay "
                "first",
            )
        return sum(len(run.loaded.manifests) for run in runs)


def _line(finding: Finding) -> str:
    return f"  {finding.path}:{finding.line}: {finding.rule_id} {finding.message}"
