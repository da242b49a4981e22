"""Terraform checks: checkov's failed checks and unexplained skips, `terraform fmt -check`, and
checkov's Kubernetes checks on rendered manifests.

checkov runs as a subprocess from its own venv (tools/bootstrap/ensure-checkov.sh): its
dependency tree would fight the tool's pins. It runs offline: no platform mapping or guideline
download, no update check, no API key, no external module download.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from gitops_tools import catalog
from gitops_tools.errors import FatalError
from gitops_tools.fileio import display
from gitops_tools.findings import Finding

CHECKOV_ENV = "GITOPS_CHECKOV"
CHECKOV_TIMEOUT = 300.0
INSTALL_HINT = "run `tools/bootstrap/ensure-checkov.sh`, or set GITOPS_CHECKOV to a checkov binary"
FMT_MISSING = "terraform not installed: skipped terraform fmt -check"
_OFFLINE_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE",
    "DOWNLOAD_EXTERNAL_MODULES": "FALSE",
}
_PLATFORM_ENV = ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL")  # would make checkov upload
# Not --quiet: it drops skipped_checks from the JSON, and GO502 needs them.
_CHECKOV_ARGS = (
    "-o",
    "json",
    "--compact",
    "--skip-download",
    "--download-external-modules",
    "false",
)
_NO_REASON = {"", "No comment provided"}  # checkov's text for `#checkov:skip=ID` alone
_SKIP_COMMENT = re.compile(r"(?:checkov|bridgecrew|cortex):skip=\s*([\w,-]+)")

# A rendered object to scan, and the line of its source (0 when unknown), keyed by its path.
ObjectsByPath = Mapping[str, Sequence[tuple[Mapping[str, Any], int]]]


def find_checkov(repo_root: Path) -> str | None:
    """$GITOPS_CHECKOV, else the repository's .venv-checkov, else `checkov` on PATH."""
    configured = os.environ.get(CHECKOV_ENV)
    if configured:
        return configured
    local = repo_root / ".venv-checkov" / "bin" / "checkov"
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("checkov")


def checkov_env() -> dict[str, str]:
    """This process's environment made offline for checkov, without platform credentials."""
    return {k: v for k, v in os.environ.items() if k not in _PLATFORM_ENV} | _OFFLINE_ENV


def scan_terraform(
    directory: Path, repo_root: Path, checkov: str, timeout: float = CHECKOV_TIMEOUT
) -> list[Finding]:
    """GO501 per failed check (and per file checkov cannot parse), GO502 per reasonless skip."""
    if not _has_tf_files(directory):
        return []
    findings = []
    for results in _run_checkov(checkov, directory, "terraform", timeout):
        for check in results.get("failed_checks") or []:
            findings.append(_failed_check(check, repo_root))
        for check in results.get("skipped_checks") or []:
            reason = str((check.get("check_result") or {}).get("suppress_comment") or "").strip()
            if reason in _NO_REASON:
                findings.append(_skip_without_reason(check, repo_root))
        for parse_error in results.get("parsing_errors") or []:
            findings.append(
                Finding(
                    display(Path(str(parse_error)), repo_root),
                    0,
                    0,
                    catalog.TERRAFORM_CHECKOV.id,
                    "checkov cannot parse this file: none of its resources were checked",
                    severity=catalog.TERRAFORM_CHECKOV.severity,
                    hint="run `terraform validate` (or `terraform fmt`) to see the syntax error",
                )
            )
    return sorted(findings)


def terraform_fmt(directory: Path, repo_root: Path) -> tuple[list[Finding], str | None]:
    """GO503 per file `terraform fmt -check` would rewrite; a notice when it cannot run."""
    if not _has_tf_files(directory):
        return [], None
    terraform = shutil.which("terraform")
    if terraform is None:
        return [], FMT_MISSING
    try:
        proc = subprocess.run(
            [terraform, "fmt", "-check", "-recursive", "-list=true", "-no-color"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "TF_IN_AUTOMATION": "1"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [], f"terraform fmt -check failed to run: {exc}"
    if proc.returncode not in (0, 3):  # 3: some files need formatting
        said = [ln.strip(" │╷╵") for ln in proc.stderr.splitlines() if ln.strip(" │╷╵")]
        errors = [i for i, ln in enumerate(said) if ln.startswith("Error:")]  # not CLI warnings
        error = " ".join(said[errors[0] :] if errors else said) or f"exit code {proc.returncode}"
        return [], f"terraform fmt -check failed in {display(directory, repo_root)}: {error}"
    return [
        Finding(
            display(directory / name, repo_root),
            0,
            0,
            catalog.TERRAFORM_FMT.id,
            "file is not in canonical Terraform format",
            severity=catalog.TERRAFORM_FMT.severity,
            hint=f"run `terraform fmt` in {display(directory, repo_root)}",
        )
        for name in sorted(proc.stdout.split())
    ], None


def scan_rendered_manifests(
    objects_by_path: ObjectsByPath,
    checkov: str,
    workdir: Path,
    timeout: float = CHECKOV_TIMEOUT,
) -> list[Finding]:
    """GO504 per failed checkov Kubernetes check, at the path and line the caller gave."""
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="checkov-k8s-", dir=workdir) as scratch:
        written: dict[str, tuple[str, Mapping[str, Any], int]] = {}
        for path, objects in objects_by_path.items():
            for obj, line in objects:
                name = f"{len(written):05d}.yaml"  # one object per file: a result maps back
                (Path(scratch) / name).write_text(yaml.safe_dump(dict(obj), sort_keys=False))
                written[name] = (path, obj, line)
        if not written:
            return []
        reports = _run_checkov(checkov, Path(scratch), "kubernetes", timeout)
        findings = []
        for results in reports:
            for check in results.get("failed_checks") or []:
                file_name = Path(str(check.get("file_abs_path") or check.get("file_path"))).name
                path, obj, line = written.get(file_name, ("", {}, 0))
                kind, namespace, name = _identity(obj, str(check.get("resource", "")))
                findings.append(
                    Finding(
                        path,
                        line,
                        0,
                        catalog.CHECKOV_KUBERNETES.id,
                        _check_message(check),
                        severity=catalog.CHECKOV_KUBERNETES.severity,
                        api_version=str(obj.get("apiVersion", "")),
                        kind=kind,
                        namespace=namespace,
                        name=name,
                        hint=_check_hint(check, kubernetes=True),
                    )
                )
    return sorted(findings)


def _run_checkov(
    checkov: str, directory: Path, framework: str, timeout: float
) -> Iterator[dict[str, Any]]:
    """checkov's `results` blocks (one per framework report) for one directory."""
    argv = [checkov, "-d", str(directory), "--framework", framework, *_CHECKOV_ARGS]
    try:
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, check=False, env=checkov_env()
        )
    except subprocess.TimeoutExpired:
        raise FatalError(
            f"checkov did not finish within {timeout:.0f}s on {directory}",
            hint=f"run `{checkov} -d {directory} --framework {framework}` to see where it stalls",
        ) from None
    except OSError as exc:
        raise FatalError(
            f"cannot run checkov ({checkov}): {exc.strerror or exc}", hint=INSTALL_HINT
        ) from None
    errors = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
    if proc.returncode not in (0, 1):  # 1: some checks failed
        raise FatalError(
            f"checkov ({checkov}) failed on {directory} with exit code {proc.returncode}: "
            f"{errors[-1] if errors else 'no message'}",
            hint=INSTALL_HINT,
        )
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = None
    reports = data if isinstance(data, list) else [data]
    if not all(isinstance(r, dict) for r in reports):
        raise FatalError(
            f"checkov ({checkov}) gave no JSON report on {directory}: "
            f"{(errors[-1] if errors else proc.stdout.strip()[:200]) or 'no output'}",
            hint=INSTALL_HINT,
        )
    for report in reports:
        results = report.get("results")  # absent when nothing was scanned (a bare summary)
        if isinstance(results, dict):
            yield results


def _failed_check(check: Mapping[str, Any], repo_root: Path) -> Finding:
    path, first_line = _location(check, repo_root)
    address = str(check.get("resource", ""))
    return Finding(
        path,
        first_line,
        0,
        catalog.TERRAFORM_CHECKOV.id,
        f"{_check_message(check)} ({address})",
        severity=catalog.TERRAFORM_CHECKOV.severity,
        kind=_resource_type(check, address),
        name=address,
        hint=_check_hint(check),
    )


def _skip_without_reason(check: Mapping[str, Any], repo_root: Path) -> Finding:
    path, first_line = _location(check, repo_root)
    check_id = str(check.get("check_id", ""))
    address = str(check.get("resource", ""))
    lines = check.get("file_line_range") or [first_line, first_line]
    return Finding(
        path,
        _skip_line(repo_root / path, check_id, lines[0], lines[-1]) or first_line,
        0,
        catalog.CHECKOV_SKIP_WITHOUT_REASON.id,
        f"`checkov:skip={check_id}` gives no reason ({address})",
        severity=catalog.CHECKOV_SKIP_WITHOUT_REASON.severity,
        kind=_resource_type(check, address),
        name=address,
        hint=f"write the reason after a colon: `#checkov:skip={check_id}:<why it does not apply>`",
    )


def _location(check: Mapping[str, Any], repo_root: Path) -> tuple[str, int]:
    lines = check.get("file_line_range") or [0]
    file = check.get("file_abs_path") or check.get("file_path") or ""
    return display(Path(str(file)), repo_root), int(lines[0])


def _skip_line(file: Path, check_id: str, first: int, last: int) -> int:
    """The line of the skip comment for `check_id` within the resource, 0 if not found."""
    try:
        text = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    for number in range(max(first, 1), min(last, len(text)) + 1):
        match = _SKIP_COMMENT.search(text[number - 1])
        if match and check_id in match.group(1).split(","):
            return number
    return 0


def _check_message(check: Mapping[str, Any]) -> str:
    return f"{check.get('check_id', '')}: {check.get('check_name', '')}"


def _check_hint(check: Mapping[str, Any], kubernetes: bool = False) -> str:
    if check.get("guideline"):
        return str(check["guideline"])
    check_id = check.get("check_id", "")
    if kubernetes:
        return f"fix the object, or annotate it `checkov.io/skip1: {check_id}=<reason>`"
    return f"fix the resource, or add `#checkov:skip={check_id}:<reason>` inside it"


def _resource_type(check: Mapping[str, Any], address: str) -> str:
    entity = (check.get("check_result") or {}).get("entity")
    if isinstance(entity, dict) and len(entity) == 1:
        return str(next(iter(entity)))
    parts = address.split(".")
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    return parts[0] if len(parts) > 1 else ""


def _identity(obj: Mapping[str, Any], resource_id: str) -> tuple[str, str, str]:
    """kind, namespace, name: from the object scanned, else from checkov's `Kind.ns.name`."""
    metadata = obj.get("metadata")
    if isinstance(metadata, dict) and obj.get("kind") and metadata.get("name"):
        return str(obj["kind"]), str(metadata.get("namespace") or ""), str(metadata["name"])
    kind, _, rest = resource_id.partition(".")
    namespace, _, name = rest.partition(".")  # names may hold dots; kinds and namespaces cannot
    return kind, namespace, name


def _has_tf_files(directory: Path) -> bool:
    return any(".terraform" not in p.parts for p in directory.rglob("*.tf"))  # as checkov skips
