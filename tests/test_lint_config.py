"""`make fmt` fixes what `make lint` checks (the same paths), with the complexity rules on."""

from __future__ import annotations

import re
import tomllib

from .conftest import REPO_ROOT


def recipe(target: str) -> list[str]:
    text = (REPO_ROOT / "Makefile").read_text()
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.M)
    assert match, target
    return [line.strip() for line in match.group(1).splitlines()]


def test_fmt_covers_the_paths_lint_checks() -> None:
    lint = [line for line in recipe("lint") if "ruff" in line]
    fmt = [line for line in recipe("fmt") if "ruff" in line]
    assert lint and fmt
    assert {line.split()[-1] for line in lint} == {line.split()[-1] for line in fmt}


def test_complexity_rules_are_on() -> None:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert {"C901", "PLR0915"} <= set(config["select"])
