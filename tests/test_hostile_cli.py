"""Hostile input to the CLI, table-driven: each case asserts the exit code, one message that
names the thing, no traceback, and that no file changed (nothing replaced, nothing written).

Also: no output format ever shows a Secret's values, and a crash inside the tool is one line
with "please report" and exit code 3 (never 1, which CI reads as findings).
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gitops_tools.cli import main
from gitops_tools.errors import EXIT_CRASH, EXIT_ERROR, EXIT_FINDINGS

CLUSTER_YAML = """\
environment: dev
kubernetesVersion: "1.33"
aws: {region: us-east-1, accountId: "111111111111"}
registry: 111111111111.dkr.ecr.us-east-1.amazonaws.com
promotion: {from: null}
policyProfile: dev
argocd: {repoURL: https://github.com/example-org/gitops-platform.git, targetRevision: main}
"""
APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {metadata}
spec: {spec}
"""
GOOD_APP_SPEC = (
    "{project: default, source: {repoURL: 'https://github.com/example-org/gitops-platform.git', "
    "path: m}, destination: {server: 'https://kubernetes.default.svc', namespace: shop}}"
)
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: b}\n"
SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: shop
stringData:
  password: 98127361287361
  pin: 4711.5
  enabled: true
data:
  nested:
    deep: s3cr3tNestedValue
    deeper: {x: 55512345678}
  list: [alpha-secret-item, 7777777]
"""
SECRET_VALUES = [
    "98127361287361",
    "4711.5",
    "s3cr3tNestedValue",
    "55512345678",
    "alpha-secret-item",
    "7777777",
]
FORMATS = ["text", "json", "sarif", "junit", "github"]


def make_repo(root: Path, app_metadata: str = "{name: web, namespace: argocd}") -> Path:
    """A repository with one environment whose Application deploys plain manifests."""
    (root / "clusters/dev/apps").mkdir(parents=True)
    (root / "clusters/dev/cluster.yaml").write_text(CLUSTER_YAML)
    (root / "m").mkdir()
    (root / "m/configmap.yaml").write_text(CONFIGMAP)
    app = APP.format(metadata=app_metadata, spec=GOOD_APP_SPEC)
    (root / "clusters/dev/apps/web.yaml").write_text(app)
    return root


def snapshot(root: Path) -> dict[str, tuple[str, str]]:
    """Every node under `root`: its type and (for regular files) a hash of its content."""
    out = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            out[str(path)] = ("link", str(path.readlink()))
        elif stat.S_ISREG(info.st_mode):
            out[str(path)] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            out[str(path)] = (stat.filemode(info.st_mode)[0], "")
    return out


@dataclass
class Case:
    name: str
    argv: Callable[[Path], list[str]]  # from the scratch directory
    exit_code: int
    names: str  # the message must contain this (formatted with the scratch directory)
    prepare: Callable[[Path], None] = field(default=lambda root: None)
    xfail: str = ""


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _char_device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("creating a device node needs root")
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null


def _validate(output: str) -> Callable[[Path], list[str]]:
    return lambda root: ["validate", "-k", "1.33", str(root / "repo/m"), "--output", output]


def _check(*extra: str) -> Callable[[Path], list[str]]:
    return lambda root: [
        "check",
        "--repo",
        str(root / "repo"),
        *(a.format(root=root) for a in extra),
    ]


def _app(metadata: str, spec: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        (root / "repo/clusters/dev/apps/web.yaml").write_text(
            APP.format(metadata=metadata, spec=spec)
        )

    return write


CASES = [
    Case("output-empty", _validate(""), EXIT_ERROR, "--output ''"),
    Case("output-dot", _validate("."), EXIT_ERROR, "--output '.'"),
    Case(
        "output-fifo",
        _validate("{root}/fifo"),
        EXIT_ERROR,
        "fifo: is a FIFO",
        prepare=lambda root: _fifo(root / "fifo"),
    ),
    Case(
        "output-device",
        _validate("{root}/null"),
        EXIT_ERROR,
        "null: is a device",
        prepare=lambda root: _char_device(root / "null"),
    ),
    Case("output-directory", _validate("{root}/repo"), EXIT_ERROR, "repo: is a directory"),
    Case(
        "output-dangling-symlink",
        _validate("{root}/dangling"),
        EXIT_ERROR,
        "dangling: is a symlink to",
        prepare=lambda root: (root / "dangling").symlink_to(root / "nowhere"),
    ),
    Case(
        "output-symlink-to-fifo",
        _validate("{root}/to-fifo"),
        EXIT_ERROR,
        "to-fifo: is a FIFO",
        prepare=lambda root: (_fifo(root / "fifo"), (root / "to-fifo").symlink_to("fifo")),
    ),
    Case(
        "output-missing-directory",
        _validate("{root}/no/such/dir/report.txt"),
        EXIT_ERROR,
        "report.txt: cannot write",
    ),
    Case(
        "cache-dir-is-a-file",
        _check("--cache-dir", "{root}/repo/m/configmap.yaml"),
        EXIT_ERROR,
        "--cache-dir {root}/repo/m/configmap.yaml: exists and is not a directory",
    ),
    Case(
        "cache-dir-is-a-fifo",
        _check("--cache-dir", "{root}/fifo"),
        EXIT_ERROR,
        "fifo: exists and is not a directory",
        prepare=lambda root: _fifo(root / "fifo"),
    ),
]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=c.xfail, strict=False) if c.xfail else ())
        for c in CASES
    ],
    ids=[c.name for c in CASES],
)
def test_hostile_input(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_repo(tmp_path / "repo")
    case.prepare(tmp_path)
    before = snapshot(tmp_path)
    argv = [a.format(root=tmp_path) for a in case.argv(tmp_path)]
    assert main(argv) == case.exit_code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    errors = [line for line in captured.err.splitlines() if line.startswith("gitops: ")]
    assert len(errors) == 1, captured.err
    assert case.names.format(root=tmp_path) in errors[0]
    after = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(f"{tmp_path}/cache")}
    assert after == before


MALFORMED_APPLICATIONS = [
    Case(
        "application-spec-is-a-string",
        _check("--cache-dir", "{root}/cache"),
        EXIT_FINDINGS,
        "web.yaml",
        prepare=_app("{name: web, namespace: argocd}", "'just a string'"),
    ),
    Case(
        "application-spec-is-a-list",
        _check("--cache-dir", "{root}/cache"),
        EXIT_FINDINGS,
        "web.yaml",
        prepare=_app("{name: web, namespace: argocd}", "[1, 2]"),
    ),
    Case(
        "application-metadata-is-a-string",
        _check("--cache-dir", "{root}/cache"),
        EXIT_FINDINGS,
        "web.yaml",
        prepare=_app("'x'", GOOD_APP_SPEC),
    ),
]


@pytest.mark.parametrize("case", MALFORMED_APPLICATIONS, ids=lambda c: c.name)
def test_a_malformed_application_is_a_schema_finding_not_a_crash(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The API server refuses such an Application; so do we, at its file, as a finding."""
    make_repo(tmp_path / "repo")
    assert case.prepare is not None
    case.prepare(tmp_path)
    argv = [a.format(root=tmp_path) for a in case.argv(tmp_path)]
    assert main(argv) == case.exit_code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    # GO004 here: this bare repository has no Argo CD CRD (with one, GO003 names the field)
    located = [ln for ln in captured.out.splitlines() if "GO00" in ln and case.names in ln]
    assert located, captured.out


def test_output_to_standard_output_replaces_nothing(tmp_path: Path) -> None:
    """`--output /dev/stdout`, `-` or a link to /proc/self/fd/1 (as root in CI) writes the
    report to standard output; before, the rename replaced the device and printed nothing."""
    make_repo(tmp_path / "repo")
    (tmp_path / "fd1").symlink_to("/proc/self/fd/1")
    gitops = [sys.executable, "-m", "gitops_tools"]
    for output in ("-", "/dev/stdout", str(tmp_path / "fd1")):
        proc = subprocess.run(
            [*gitops, "validate", "-k", "1.33", str(tmp_path / "repo/m"), "--output", output],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert "0 error(s), 0 warning(s) in 1 objects" in proc.stdout, output
    assert (tmp_path / "fd1").is_symlink()
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()


def test_output_through_a_symlink_writes_the_file_it_points_at(tmp_path: Path) -> None:
    make_repo(tmp_path / "repo")
    (tmp_path / "report.txt").write_text("old\n")
    (tmp_path / "report.txt").chmod(0o640)
    (tmp_path / "link").symlink_to("report.txt")
    argv = ["validate", "-k", "1.33", str(tmp_path / "repo/m"), "--output", str(tmp_path / "link")]
    assert main(argv) == 0
    assert (tmp_path / "link").is_symlink()
    assert "0 error(s)" in (tmp_path / "report.txt").read_text()
    assert stat.S_IMODE((tmp_path / "report.txt").stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "repo", "report.txt"]


def test_a_crash_is_one_line_please_report_and_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gitops_tools.validate_files

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("unexpected")

    monkeypatch.setattr(gitops_tools.validate_files, "validate_paths", broken)
    monkeypatch.delenv("GITOPS_DEBUG", raising=False)
    make_repo(tmp_path / "repo")
    assert main(["validate", str(tmp_path / "repo/m")]) == EXIT_CRASH
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1
    assert err.startswith("gitops: internal error: KeyError: 'unexpected' at test_hostile_cli.py")
    assert "please report" in err


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("command", ["validate", "check"])
def test_no_format_shows_a_secret_value(
    format_name: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Numeric, boolean, nested and listed values under a Secret's data and stringData are
    schema errors (GO003) and a policy finding (GO110): none of them shows a value."""
    (tmp_path / "secret.yaml").write_text(SECRET)
    argv = [command, str(tmp_path / "secret.yaml"), "--format", format_name]
    if command == "check":
        argv += ["--repo", str(tmp_path), "--cache-dir", str(tmp_path / "cache")]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "GO003" in out
    assert "stringData.password" in out
    if command == "check":
        assert "GO110" in out
    for value in SECRET_VALUES:
        assert value not in out, (format_name, value)
