"""`gitops validate`: one fixture per schema error class, asserting rule, file, line, message."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from gitops_tools.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "validate"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code = main(["validate", "--format", "json", "-k", "1.33", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)["findings"]


def only(findings: list[dict[str, Any]]) -> tuple[str, str, int, str]:
    assert len(findings) == 1, findings
    f = findings[0]
    return f["rule_id"], Path(f["path"]).name, f["line"], f["message"]


CASES = [
    ("unknown_field.yaml", "GO003", 7, "spec.replica: unknown field"),
    (
        "wrong_type.yaml",
        "GO003",
        19,
        'spec.template.spec.containers[0].ports[0].containerPort: "8080" is not of type "integer"',
    ),
    (
        "missing_required.yaml",
        "GO003",
        16,
        "spec.template.spec.containers[0]: missing required field 'name'",
    ),
    (
        "bad_enum.yaml",
        "GO003",
        18,
        "spec.template.spec.containers[0].imagePullPolicy: 'Sometimes' is not one of "
        "'Always', 'IfNotPresent', 'Never'",
    ),
    (
        "bad_quantity.yaml",
        "GO003",
        20,
        "spec.template.spec.containers[0].resources.requests.cpu: 'half a core' is not a "
        "quantity (like 500m, 2, 1.5Gi or 128Mi)",
    ),
    (
        "bad_int_or_string.yaml",
        "GO003",
        10,
        "spec.ports[0].targetPort: 80.5 is neither an integer nor a string",
    ),
    (
        "duplicate_key.yaml",
        "GO002",
        5,
        "duplicate key 'name' in one mapping (the API server rejects it; keep one)",
    ),
    (
        "malformed.yaml",
        "GO002",
        7,
        "malformed YAML: while parsing a flow sequence did not find expected ',' or ']'",
    ),
    ("unknown_kind.yaml", "GO004", 2, "no schema for Deploymnet apps/v1"),
]


@pytest.mark.parametrize(("name", "rule", "line", "message"), CASES)
def test_error_class(
    capsys: pytest.CaptureFixture[str], name: str, rule: str, line: int, message: str
) -> None:
    code, findings = run_json(capsys, str(FIXTURES / name))
    assert only(findings) == (rule, name, line, message)
    assert code == (2 if rule == "GO002" else 1)


def test_valid_file_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, str(FIXTURES / "valid.yaml")) == (0, [])


def test_custom_resource_checked_against_crd_in_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = run_json(capsys, str(FIXTURES / "crd.yaml"))
    assert code == 1
    got = [(f["line"], f["object"]["name"], f["message"]) for f in findings]
    assert got == [
        (51, "bad", 'spec.size: "3" is not of type "integer"'),
        (52, "bad", "spec.colour: 'green' is not one of 'red', 'blue'"),
        (53, "bad", "spec.shape: unknown field"),
        (
            54,
            "bad",
            "spec.port: 1.5 is not valid under any of the schemas listed in the 'anyOf' keyword",
        ),
    ]


def test_crds_flag_supplies_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    widget = tmp_path / "widget.yaml"
    widget.write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n"
    )
    code, findings = run_json(capsys, "--crds", str(FIXTURES / "crd.yaml"), str(widget))
    assert code == 1
    assert only(findings) == (
        "GO003",
        "widget.yaml",
        6,
        "spec.size: 0 is less than the minimum of 1",
    )
    code, findings = run_json(capsys, str(widget))
    assert only(findings)[0] == "GO004"


def test_every_error_of_an_object_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = (FIXTURES / "valid.yaml").read_text().replace("name: web\n          image", "image")
    bad = bad.replace("  selector:", "  replica: 2\n  paused: maybe\n  selector:")
    (tmp_path / "many.yaml").write_text(bad)
    code, findings = run_json(capsys, str(tmp_path / "many.yaml"))
    assert code == 1
    messages = sorted(f["message"] for f in findings)
    assert messages == [
        'spec.paused: "maybe" is not of type "boolean"',
        "spec.replica: unknown field",
        "spec.template.spec.containers[0]: missing required field 'name'",
    ]


def test_empty_file_is_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = run_json(capsys, str(FIXTURES / "empty.yaml"))
    assert code == 0
    assert findings[0]["rule_id"] == "GO007"
    assert findings[0]["severity"] == "warning"
    assert main(["validate", "--fail-on", "warning", str(FIXTURES / "empty.yaml")]) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not YAML or JSON text"),
        (b"apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \xe9t\xe9\n", "not UTF-8 text (byte 0xe9"),
    ],
)
def test_binary_and_non_utf8(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    code, findings = run_json(capsys, str(path))
    assert code == 2
    assert findings[0]["rule_id"] == "GO002"
    assert findings[0]["message"].startswith(message)


def test_fifty_megabyte_file_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w") as fh:
        line = "# " + "x" * 1000 + "\n"
        for _ in range(50 * 1024):
            fh.write(line)
    code, findings = run_json(capsys, str(path))
    assert code == 2
    assert "MiB limit for one manifest file; split it" in only(findings)[3]


def test_alias_bomb_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bomb = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\na: &a [x, x, x, x, x, x, x, x, x]\n"
    )
    for i, prev in zip("bcdefghi", "abcdefgh", strict=True):
        bomb += f"{i}: &{i} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    (tmp_path / "bomb.yaml").write_text(bomb)
    code, findings = run_json(capsys, str(tmp_path / "bomb.yaml"))
    assert code == 2
    assert "alias bomb" in only(findings)[3]


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no/such/file.yaml"]) == 2
    err = capsys.readouterr().err
    assert err == "gitops: error: no/such/file.yaml: no such file or directory\n"


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "unknown_field.yaml").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, findings = run_json(capsys, "-")
    assert code == 1
    assert only(findings) == ("GO003", "<stdin>", 7, "spec.replica: unknown field")


def test_directory_is_walked_recursively(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "x.yml").write_text((FIXTURES / "wrong_type.yaml").read_text())
    (tmp_path / "a" / "ignored.txt").write_text("not yaml: [")
    code, findings = run_json(capsys, str(tmp_path))
    assert code == 1
    assert only(findings)[:3] == ("GO003", "x.yml", 19)


def test_version_too_old(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-k", "1.10", str(FIXTURES / "valid.yaml")]) == 2
    assert "no schemas for Kubernetes 1.10" in capsys.readouterr().err


# Hostile input (issue 17): each case exits as stated, one message naming the file, no traceback.
def _socket(path: Path) -> None:
    import socket

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


@pytest.mark.parametrize("make", [os.mkfifo, _socket], ids=["fifo", "socket"])
@pytest.mark.parametrize("flag", [[], ["--crds"]], ids=["file", "crds"])
def test_non_regular_files_are_refused_unopened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: Any, flag: list[str]
) -> None:
    special = tmp_path / "special.yaml"
    make(special)
    args = [*flag, str(special)] + ([str(FIXTURES / "valid.yaml")] if flag else [])
    assert main(["validate", "-k", "1.33", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(special) in err and "not a regular file" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("kind: 5\n", "kind must be a non-empty string, not a number (5)", 2),
        ('kind: ""\n', "kind must be a non-empty string, not empty", 2),
        ("kind: [Deployment]\n", "kind must be a non-empty string, not a list", 2),
        ("kind: List\nitems:\n- just a string\n", "item 0 of the List is a string", 4),
    ],
)
def test_odd_kinds_are_one_go005_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, message: str, line: int
) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text("apiVersion: v1\n" + body)
    code, findings = run_json(capsys, str(path))
    rule, name, got_line, got = only(findings)
    assert (rule, name, got_line) == ("GO005", "odd.yaml", line)
    assert got.startswith(message)
    assert code == 1


def test_yaml_11_key_beside_an_anchor_decodes_as_the_api_server_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "cm.yaml"
    path.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
        'data: &d {on: "1", 2: "two"}\nbinaryData: {}\n'
    )
    assert run_json(capsys, str(path)) == (0, [])


def test_enum_with_plain_equals_sign_is_valid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    crd = (FIXTURES / "crd.yaml").read_text().replace("enum: [red, blue]", "enum: [red, blue, =]")
    assert "= ]" not in crd and "blue, =]" in crd
    (tmp_path / "crd.yaml").write_text(crd)
    _, findings = run_json(capsys, str(tmp_path / "crd.yaml"))
    assert "GO002" not in {f["rule_id"] for f in findings}


def test_explain_hint_of_a_top_level_field_names_the_kind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "cm.yaml"
    bad.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndatax: {}\n")
    code, findings = run_json(capsys, str(bad))
    assert code == 1
    assert [(f["line"], f["message"]) for f in findings] == [(5, "datax: unknown field")]
    assert findings[0]["hint"].startswith("see `kubectl explain configmap` ")


# What `gitops validate` of plain files must not import: rendering, Helm, patch origins,
# policies, the reference YAML decoder (PyYAML), the HPA simulator, XML, rich.
NOT_FOR_PLAIN_FILES = (
    "gitops_tools.pipeline",
    "gitops_tools.render",
    "gitops_tools.helm",
    "gitops_tools.field_origins",
    "gitops_tools.policy",
    "gitops_tools.yaml_reference",
    "gitops_tools.hpa.simulate",
    "yaml",
    "concurrent.futures",
    "subprocess",
    "xml.etree.ElementTree",
    "rich",
)


def test_validate_of_plain_files_imports_only_what_it_uses(tmp_path: Path) -> None:
    """Start-up is most of `gitops validate` on a few files: each of these costs 5-40 ms."""
    import subprocess
    import sys

    bad = tmp_path / "cm.yaml"
    bad.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndatax: {}\n")
    script = (
        "import sys\nfrom gitops_tools.cli import main\n"
        f"code = main(['validate', {str(bad)!r}, {str(FIXTURES / 'unknown_field.yaml')!r}])\n"
        "print(code, ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NO_COLOR", "FORCE_COLOR"))}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env
    )
    code, modules = done.stderr.strip().splitlines()[-1].split(" ", 1)
    assert code == "1", done.stderr  # the findings were located and reported
    imported = set(modules.split())
    assert "gitops_tools.validate" in imported
    assert sorted(imported & set(NOT_FOR_PLAIN_FILES)) == []
