"""`make bench`: our speed next to the tools a user would otherwise run, in one run, as ratios.

Corpus: this repository's rendered overlays, copied under many namespaces (3,000+ objects),
with the CRDs the repository uses, their custom resources, and a few broken objects so that
verdict agreement covers failures too. Compared:
- YAML parsing alone (the floor): libyaml vs our loader;
- schema validation: kubernetes-validate --strict (its Python API, per object, as its CLI does)
  vs `gitops validate` (a fresh process over the same files);
- validator library: jsonschema (reference) vs jsonschema-rs on the same objects;
- `gitops check` of this repository, cold (empty cache) and warm.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from gitops_tools.manifests import Loaded, load_file
from gitops_tools.pipeline import run_environments, select_clusters
from gitops_tools.policy.registry import RULES
from gitops_tools.schemas import SchemaStore
from gitops_tools.terraform import checkov_env, find_checkov
from gitops_tools.yamlio import load_documents

BROKEN_EVERY = 40  # one object in 40 gets an unknown field


def build_corpus(repo_root: Path, out: Path, copies: int) -> tuple[list[Path], int]:
    """Rendered objects of every environment, `copies` times under renamed namespaces."""
    with tempfile.TemporaryDirectory() as cache:
        runs = run_environments(repo_root, select_clusters(repo_root, []), Path(cache))
    objects = [m.obj for run in runs for m in run.loaded.manifests]
    files = []
    count = 0
    for copy in range(copies):
        docs = []
        for index, obj in enumerate(objects):
            clone = json.loads(json.dumps(obj))
            meta = clone.setdefault("metadata", {})
            if meta.get("namespace"):
                meta["namespace"] = f"{meta['namespace']}-{copy}"
            if clone.get("kind") == "Namespace":
                meta["name"] = f"{meta['name']}-{copy}"
            if (index + copy) % BROKEN_EVERY == 0:
                clone.setdefault("spec", {})["unexpectedField"] = True
            docs.append(clone)
        path = out / f"corpus-{copy:03d}.yaml"
        path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
        files.append(path)
        count += len(docs)
    return files, count


class _NoLines:
    """Stands in for SourceIndex to time the rules without the per-finding line lookup."""

    def position(self, m: Any, path: Any) -> tuple[Path, int, int]:
        return m.path, 0, 0


def _run_policies(repo_root: Path, loaded: list[Loaded], lines: bool = True) -> int:
    """All rules over the (already loaded) corpus as one environment with the prod profile;
    the number of findings."""
    from gitops_tools.cluster import load_clusters
    from gitops_tools.locations import SourceIndex
    from gitops_tools.policy.config import load_policy_config
    from gitops_tools.policy.engine import run_rules
    from gitops_tools.policy.index import ResourceIndex
    from gitops_tools.policy.model import Context

    manifests = [m for one in loaded for m in one.manifests]
    sources = SourceIndex()
    for one in loaded:
        sources.add_counts(one.document_counts)
    cluster = load_clusters(repo_root)["prod"]
    profile = load_policy_config(repo_root).profile("prod")
    context = Context("prod", profile, ResourceIndex(manifests), cluster, repo_root)
    locator: Any = sources if lines else _NoLines()
    return len(run_rules(manifests, context, RULES, locator))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def row(label: str, seconds: float, objects: int, baseline: float | None = None) -> str:
    rate = objects / seconds if seconds else float("inf")
    ratio = f"{baseline / seconds:8.1f}x" if baseline else " " * 9
    return f"  {label:<44} {seconds:8.3f}s {rate:>10,.0f} obj/s {ratio}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gitops-bench")
    parser.add_argument("--repo", type=Path, default=Path())
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--version", default="1.33")
    parser.add_argument("--checkov-files", type=int, default=5, help="corpus files for checkov")
    args = parser.parse_args(argv)
    repo_root = args.repo.resolve()
    import kubernetes_validate  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory() as tmp:
        corpus_dir = Path(tmp) / "corpus"
        corpus_dir.mkdir()
        files, total = build_corpus(repo_root, corpus_dir, args.copies)
        texts = [f.read_text() for f in files]
        objs = [o for t in texts for o in yaml.load_all(t, Loader=yaml.CSafeLoader)]
        store = SchemaStore(args.version)
        builtin = [o for o in objs if store.validator(o["apiVersion"], o["kind"]) is not None]
        print(f"corpus: {total} objects in {len(files)} files, {len(builtin)} of built-in kinds")

        print("\nYAML parsing only (the floor)")
        libyaml, _ = timed(lambda: [list(yaml.load_all(t, Loader=yaml.CSafeLoader)) for t in texts])
        ours, _ = timed(lambda: [load_documents(t) for t in texts])
        print(row("PyYAML CSafeLoader (libyaml)", libyaml, total))
        print(row("gitops loader (rapidyaml fast path)", ours, total, libyaml))

        print(f"\nSchema validation, built-in kinds, Kubernetes {args.version}, strict")
        theirs: dict[int, bool] = {}

        def kubernetes_validate_all() -> None:
            for i, obj in enumerate(builtin):
                try:
                    kubernetes_validate.validate(obj, f"{args.version}.0", strict=True)
                    theirs[i] = True
                except kubernetes_validate.ValidationError:
                    theirs[i] = False

        kv_seconds, _ = timed(kubernetes_validate_all)
        print(row("kubernetes-validate --strict, in process", kv_seconds, len(builtin)))
        mine = {
            i: store.validator(o["apiVersion"], o["kind"]).is_valid(o)  # type: ignore[union-attr]
            for i, o in enumerate(builtin)
        }
        rs_seconds, _ = timed(
            lambda: [
                list(store.validator(o["apiVersion"], o["kind"]).iter_errors(o))  # type: ignore[union-attr]
                for o in builtin
            ]
        )
        print(row("gitops (jsonschema-rs), in process", rs_seconds, len(builtin), kv_seconds))
        builtin_dir = Path(tmp) / "builtin"
        builtin_dir.mkdir()
        (builtin_dir / "all.yaml").write_text(yaml.safe_dump_all(builtin, sort_keys=False))
        gitops = str(Path(sys.executable).parent / "gitops")
        kv_cli = str(Path(sys.executable).parent / "kubernetes-validate")
        kv_cli_seconds, _ = timed(
            lambda: subprocess.run(
                [
                    kv_cli,
                    "--strict",
                    "--quiet",
                    "-k",
                    f"{args.version}.0",
                    str(builtin_dir / "all.yaml"),
                ],
                capture_output=True,
                check=False,
            )
        )
        print(
            row("kubernetes-validate --strict (its CLI, same file)", kv_cli_seconds, len(builtin))
        )
        cli_seconds, proc = timed(
            lambda: subprocess.run(
                [gitops, "validate", "-k", args.version, "--format", "json", str(builtin_dir)],
                capture_output=True,
                text=True,
                check=False,
            )
        )
        print(
            row(
                "gitops validate (its CLI, same file)",
                cli_seconds,
                len(builtin),
                kv_seconds,
            )
        )
        disagree = sum(theirs[i] != mine[i] for i in theirs)
        invalid = sum(not v for v in theirs.values())
        print(f"  verdicts: {len(theirs)} objects, {invalid} invalid, {disagree} disagreements")
        cli_errors = json.loads(proc.stdout)["summary"]["errors"] if proc.stdout else -1
        print(f"  gitops validate reported {cli_errors} errors (every error, not only the first)")

        print("\nValidator library on the same objects (correctness reference vs chosen)")
        sample = builtin[: max(1, len(builtin) // 10)]
        import jsonschema
        from referencing import Registry, Resource

        from gitops_tools.schemas import DEFINITIONS_URI, _builtin_schema, _definitions

        defs = _definitions(store.version)
        registry = Registry().with_resource(DEFINITIONS_URI, Resource.from_contents(defs))
        py_validators: dict[tuple[str, str], Any] = {}

        def reference() -> list[bool]:
            out = []
            for o in sample:
                key = (o["apiVersion"], o["kind"])
                if key not in py_validators:
                    schema = _builtin_schema(store.version, *key) or {}
                    py_validators[key] = jsonschema.Draft202012Validator(schema, registry=registry)
                out.append(not list(py_validators[key].iter_errors(o)))
            return out

        js_seconds, ref = timed(reference)
        rs_sample, got = timed(
            lambda: [store.validator(o["apiVersion"], o["kind"]).is_valid(o) for o in sample]  # type: ignore[union-attr]
        )
        print(row("jsonschema (pure Python)", js_seconds, len(sample)))
        print(row("jsonschema-rs", rs_sample, len(sample), js_seconds))
        agree = sum(a == b for a, b in zip(ref, got, strict=True))
        print(f"  verdicts agree on {agree}/{len(sample)}")

        print(
            "\nPolicy engine (all built-in rules, prod profile) vs checkov --framework kubernetes"
        )
        loaded = [load_file(f) for f in files]  # loading was measured above
        bare_seconds, _ = timed(lambda: _run_policies(repo_root, loaded, lines=False))
        print(row(f"gitops rules ({len(RULES)} rules), no line lookup", bare_seconds, total))
        policy_seconds, policy_findings = timed(lambda: _run_policies(repo_root, loaded))
        print(row("gitops rules, with file:line of every finding", policy_seconds, total))
        checkov = find_checkov(repo_root)
        if checkov is None:
            print("  checkov: not installed (run tools/bootstrap/ensure-checkov.sh); skipped")
        else:
            subset = files[: max(1, args.checkov_files)]
            subset_objects = sum(len(load_documents(f.read_text())) for f in subset)
            ck_dir = Path(tmp) / "checkov"
            ck_dir.mkdir()
            for f in subset:
                shutil.copy(f, ck_dir / f.name)
            ck_seconds, _ = timed(
                lambda: subprocess.run(
                    [
                        checkov,
                        "-d",
                        str(ck_dir),
                        "--framework",
                        "kubernetes",
                        "-o",
                        "json",
                        "--quiet",
                        "--compact",
                        "--skip-download",
                    ],
                    capture_output=True,
                    check=False,
                    env=checkov_env(),
                )
            )
            print(row(f"checkov ({len(subset)} of {len(files)} files)", ck_seconds, subset_objects))
            their_rate = subset_objects / ck_seconds
            print(
                f"  objects/s ratio: {total / bare_seconds / their_rate:,.0f}x rules alone, "
                f"{total / policy_seconds / their_rate:,.0f}x with line lookup"
            )
        print(f"  gitops rules reported {policy_findings} findings on the corpus")

        print("\ngitops check of this repository")
        cache = Path(tmp) / "cache"
        check = [
            gitops,
            "check",
            "--repo",
            str(repo_root),
            "--cache-dir",
            str(cache),
            "--format",
            "json",
        ]
        cold, _ = timed(lambda: subprocess.run(check, capture_output=True, check=False))
        warm, proc = timed(lambda: subprocess.run(check, capture_output=True, check=False))
        objects = json.loads(proc.stdout)["summary"]["objects"] if proc.stdout else 0
        print(row("cold (empty render cache)", cold, objects))
        print(row("warm (cached renders)", warm, objects, cold))
        shutil.rmtree(cache, ignore_errors=True)

        print(
            "\ngitops diff of a one-overlay change (prod image tag) in a clone of this repository"
        )
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(repo_root), str(clone)], check=True)
        overlay = clone / "apps/workloads/qr-generator/overlays/prod/kustomization.yaml"
        overlay.write_text(overlay.read_text().replace("newTag: 1.4.2", "newTag: 1.4.3", 1))
        diff = [gitops, "diff", "--base", "HEAD", "--format", "json"]
        cold, _ = timed(lambda: subprocess.run(diff, cwd=clone, capture_output=True, check=False))
        warm, _ = timed(lambda: subprocess.run(diff, cwd=clone, capture_output=True, check=False))
        print(f"  cold (new worktree, empty cache) {cold:8.3f}s")
        print(f"  warm (second run)                {warm:8.3f}s   target: under 2 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
