"""Every rule's pass and fail fixtures, run through the same dispatch as the CLI.

Layout: tests/rules/fixtures/<ID>/pass/*.yaml and fail/*.yaml. A fixture file is one whole
environment (every object in it is rendered together). Optional header comments:
`# profile: prod` (default: default) and `# kubernetes: 1.33`. A fail fixture marks each
expected finding with a comment on the line it must point at:
`# expect: <message>`. A pass fixture must yield no finding of its rule.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gitops_tools.cli import main

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*(.+?)\s*$")


def cases() -> list[tuple[str, str, Path]]:
    return [
        (rule_dir.name, outcome, file)
        for rule_dir in sorted(FIXTURES.iterdir())
        if rule_dir.is_dir()
        for outcome in ("pass", "fail")
        for file in sorted((rule_dir / outcome).glob("*.yaml"))
    ]


def header(text: str, key: str, default: str) -> str:
    match = re.search(rf"^#\s*{key}:\s*(\S+)", text, re.M)
    return match.group(1) if match else default


def run_fixture(file: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    text = file.read_text()
    argv = [
        "check",
        "--repo",
        str(HERE),
        "--format",
        "json",
        "--missing-schema",
        "warning",
        "--profile",
        header(text, "profile", "default"),
        "--kubernetes-version",
        header(text, "kubernetes", "1.33"),
        str(file),
    ]
    code = main(argv)
    out = capsys.readouterr()
    assert code in (0, 1), out.err
    findings: list[dict[str, object]] = json.loads(out.out)["findings"]
    return findings


@pytest.mark.parametrize(
    ("rule_id", "outcome", "file"), cases(), ids=lambda v: str(getattr(v, "name", v))
)
def test_rule_fixture(
    rule_id: str, outcome: str, file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = [f for f in run_fixture(file, capsys) if f["rule_id"] == rule_id]
    expected = sorted(
        (number, match.group(1))
        for number, line in enumerate(file.read_text().splitlines(), start=1)
        if (match := EXPECT.search(line))
    )
    if outcome == "pass":
        assert not expected, "a pass fixture carries no `# expect:`"
        assert findings == []
        return
    assert expected, "a fail fixture marks its findings with `# expect:`"
    for f in findings:
        assert (HERE / str(f["path"])).resolve() == file.resolve()
    assert sorted((f["line"], f["message"]) for f in findings) == expected
