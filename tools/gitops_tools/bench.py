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
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from gitops_tools.manifests import Loaded, load_file
from gitops_tools.pipeline import run_environments, select_clusters
from gitops_tools.policy.registry import RULES
from gitops_tools.schemas import SchemaStore
from gitops_tools.terraform import checkov_env, find_checkov
from gitops_tools.yamlio import load_documents, load_stream

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
        sources.add_loaded(one)
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


UPSTREAM = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "upstream"


class Bench:
    """One `make bench` run: the corpus, its texts and objects, and the tools' paths."""

    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args = args
        self.tmp = tmp
        self.repo_root = args.repo.resolve()
        corpus_dir = tmp / "corpus"
        corpus_dir.mkdir()
        self.files, self.total = build_corpus(self.repo_root, corpus_dir, args.copies)
        self.texts = [f.read_text() for f in self.files]
        objs = [o for t in self.texts for o in yaml.load_all(t, Loader=yaml.CSafeLoader)]
        self.store = SchemaStore(args.version)
        self.builtin = [
            o for o in objs if self.store.validator(o["apiVersion"], o["kind"]) is not None
        ]
        self.upstream = sorted(args.upstream.glob("*.yaml")) if args.upstream.is_dir() else []
        self.gitops = str(Path(sys.executable).parent / "gitops")
        self.kv_cli = str(Path(sys.executable).parent / "kubernetes-validate")
        print(
            f"corpus: {self.total} objects in {len(self.files)} files, {len(self.builtin)} of "
            f"built-in kinds; upstream: {len(self.upstream)} files"
        )


def bench_parsing(b: Bench) -> None:
    """The loader (values and every position) next to libyaml's C parse of the same bytes."""
    print("\nYAML loading vs libyaml (PyYAML CSafeLoader) on the same bytes")
    corpora = [("this repository", b.texts, b.total)]
    if b.upstream:
        texts = [f.read_text(encoding="utf-8") for f in b.upstream]
        corpora.append(("upstream corpus (big CRDs)", texts, sum(map(_count_documents, texts))))
    for label, texts, objects in corpora:
        libyaml, _ = timed(partial(_load_all_libyaml, texts))
        ours, _ = timed(partial(_load_all_ours, texts))
        print(row(f"{label}: libyaml", libyaml, objects))
        print(row(f"{label}: gitops loader", ours, objects, libyaml))
        faster = "gitops loader" if ours < libyaml else "libyaml"
        print(f"  {faster} is faster ({max(libyaml, ours) / min(libyaml, ours):.1f}x)")


def _load_all_libyaml(texts: list[str]) -> list[list[Any]]:
    return [list(yaml.load_all(text, Loader=yaml.CSafeLoader)) for text in texts]


def _load_all_ours(texts: list[str]) -> list[Any]:
    return [load_stream(text) for text in texts]


def _count_documents(text: str) -> int:
    return sum(1 for d in load_documents(text) if d is not None)


def _cli(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    return timed(lambda: subprocess.run(args, capture_output=True, text=True, check=False))


def bench_validate_cli(b: Bench) -> None:
    """`gitops validate` vs `kubernetes-validate --strict`, CLI to CLI, same files."""
    version = b.args.version
    builtin_dir = b.tmp / "builtin"
    builtin_dir.mkdir()
    (builtin_dir / "all.yaml").write_text(yaml.safe_dump_all(b.builtin, sort_keys=False))
    sets = [("this repository", [builtin_dir / "all.yaml"], len(b.builtin))]
    if b.upstream:
        sets.append(
            (
                "upstream corpus",
                b.upstream,
                sum(_count_documents(f.read_text(encoding="utf-8")) for f in b.upstream),
            )
        )
    print(
        f"\nSchema validation, CLI to CLI, Kubernetes {version}, strict "
        "(kubernetes-validate: one run; gitops: the better of two)"
    )
    for label, files, objects in sets:
        paths = [str(f) for f in files]
        kv, kv_proc = _cli([b.kv_cli, "--strict", "-k", f"{version}.0", *paths])
        validate = [b.gitops, "validate", "-k", version, "--format", "json", *paths]
        runs = [_cli(validate) for _ in range(2)]
        ours, proc = min(runs, key=lambda run: run[0])  # the better of two: start-up is noisy
        print(row(f"{label}: kubernetes-validate --strict", kv, objects))
        print(row(f"{label}: gitops validate", ours, objects, kv))
        findings = json.loads(proc.stdout)["findings"] if proc.stdout else []
        errors = {f["path"] for f in findings if f["severity"] == "error"}
        print(
            f"  exit codes: kubernetes-validate {kv_proc.returncode}, gitops {proc.returncode}; "
            f"gitops errors in {len(errors)} files (target >= 100x, same verdicts)"
        )


def bench_validator_library(b: Bench) -> None:
    """jsonschema (the correctness reference) vs jsonschema-rs on the same objects."""
    import kubernetes_validate  # type: ignore[import-untyped]

    version = b.args.version
    store, builtin = b.store, b.builtin[: b.args.kv_sample]  # kubernetes-validate is slow
    print(f"\nValidators in process, {len(builtin)} built-in objects, Kubernetes {version}, strict")
    theirs: dict[int, bool] = {}

    def kubernetes_validate_all() -> None:
        for i, obj in enumerate(builtin):
            try:
                kubernetes_validate.validate(obj, f"{version}.0", strict=True)
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
    disagree = sum(theirs[i] != mine[i] for i in theirs)
    invalid = sum(not v for v in theirs.values())
    print(f"  verdicts: {len(theirs)} objects, {invalid} invalid, {disagree} disagreements")


def bench_policy_vs_checkov(b: Bench) -> None:
    """All rules with every finding located vs checkov --framework kubernetes, objects/s."""
    print("\nPolicy engine (all built-in rules, prod profile) vs checkov --framework kubernetes")
    loaded = [load_file(f) for f in b.files]
    bare_seconds, _ = timed(lambda: _run_policies(b.repo_root, loaded, lines=False))
    print(row(f"gitops rules ({len(RULES)} rules), no line lookup", bare_seconds, b.total))
    policy_seconds, policy_findings = timed(lambda: _run_policies(b.repo_root, loaded))
    print(row("gitops rules, with file:line of every finding", policy_seconds, b.total))
    checkov = find_checkov(b.repo_root)
    if checkov is None:
        print("  checkov: not installed (run tools/bootstrap/ensure-checkov.sh); skipped")
        return
    subset = b.files[: max(1, b.args.checkov_files)]
    subset_objects = sum(len(load_documents(f.read_text())) for f in subset)
    ck_dir = b.tmp / "checkov"
    ck_dir.mkdir()
    for f in subset:
        shutil.copy(f, ck_dir / f.name)
    command = [checkov, "-d", str(ck_dir), "--framework", "kubernetes", "-o", "json"]
    ck_seconds, _ = timed(
        lambda: subprocess.run(
            [*command, "--quiet", "--compact", "--skip-download"],
            capture_output=True,
            check=False,
            env=checkov_env(),
        )
    )
    print(row(f"checkov ({len(subset)} of {len(b.files)} files)", ck_seconds, subset_objects))
    their_rate = subset_objects / ck_seconds
    print(
        f"  objects/s ratio: {b.total / bare_seconds / their_rate:,.0f}x rules alone, "
        f"{b.total / policy_seconds / their_rate:,.0f}x with every finding located "
        f"({policy_findings} findings; target >= 100x)"
    )


def bench_check(b: Bench) -> None:
    """`gitops check` of this repository, cold and warm render cache."""
    print("\ngitops check of this repository")
    cache = b.tmp / "cache"
    check = [b.gitops, "check", "--repo", str(b.repo_root), "--cache-dir", str(cache)]
    cold, _ = _cli([*check, "--format", "json"])
    warm, proc = _cli([*check, "--format", "json"])
    objects = json.loads(proc.stdout)["summary"]["objects"] if proc.stdout else 0
    print(row("cold (empty render cache)", cold, objects))
    print(row("warm (cached renders)", warm, objects, cold))
    shutil.rmtree(cache, ignore_errors=True)


def bench_diff(b: Bench) -> None:
    """`gitops diff` of a one-overlay change in a clone of this repository."""
    print("\ngitops diff of a one-overlay change (prod image tag) in a clone of this repository")
    clone = b.tmp / "clone"
    subprocess.run(["git", "clone", "-q", str(b.repo_root), str(clone)], check=True)
    overlay = clone / "apps/workloads/qr-generator/overlays/prod/kustomization.yaml"
    overlay.write_text(overlay.read_text().replace("newTag: 1.4.2", "newTag: 1.4.3", 1))
    diff = [b.gitops, "diff", "--base", "HEAD", "--format", "json"]
    cold, _ = timed(lambda: subprocess.run(diff, cwd=clone, capture_output=True, check=False))
    warm, _ = timed(lambda: subprocess.run(diff, cwd=clone, capture_output=True, check=False))
    print(f"  cold (new worktree, empty cache) {cold:8.3f}s")
    print(f"  warm (second run)                {warm:8.3f}s   target: under 2 s")


COMPARISONS = [
    bench_parsing,
    bench_validate_cli,
    bench_validator_library,
    bench_policy_vs_checkov,
    bench_check,
    bench_diff,
]


def compile_package() -> None:
    """Byte-compile this package, as `pip install` does: CLI start-up is measured as a user
    meets it, not with every module compiled anew (an editable install under
    PYTHONDONTWRITEBYTECODE never keeps its bytecode)."""
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parent, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gitops-bench")
    parser.add_argument("--repo", type=Path, default=Path())
    parser.add_argument("--upstream", type=Path, default=UPSTREAM)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--version", default="1.33")
    parser.add_argument("--checkov-files", type=int, default=5, help="corpus files for checkov")
    parser.add_argument("--kv-sample", type=int, default=1000, help="objects validated in process")
    parser.add_argument(
        "--only",
        action="append",
        choices=[c.__name__.removeprefix("bench_") for c in COMPARISONS],
        help="run only this comparison (repeatable)",
    )
    args = parser.parse_args(argv)
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(args, Path(tmp))
        for comparison in COMPARISONS:
            if not args.only or comparison.__name__.removeprefix("bench_") in args.only:
                comparison(bench)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
