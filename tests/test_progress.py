"""The progress interface: stages begun and ended around their work, their times summed for
`-v`, nothing told anywhere by default or when standard error is not a terminal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_tools import progress
from gitops_tools.cli import main
from gitops_tools.progress import SILENT, StageTimes, on_terminal, stage


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def begin(
        self,
        stage: str,
        what: str,
        total: int | None = None,
        unit: str = "",
        *,
        beside: bool = False,
    ) -> None:
        self.calls.append(("begin", stage, what, str(total), unit, str(beside)))

    def advance(self, stage: str) -> None:
        self.calls.append(("advance", stage))

    def end(self, stage: str) -> None:
        self.calls.append(("end", stage))


def clock(monkeypatch: pytest.MonkeyPatch, *ticks: float) -> None:
    """`time.perf_counter` as seen by the progress module returns these values in turn."""
    values: Iterator[float] = iter(ticks)
    monkeypatch.setattr(progress.time, "perf_counter", lambda: next(values))


def test_stage_times_sum_each_stage_and_put_the_parallel_one_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inner = Recorder()
    times = StageTimes(inner)
    clock(monkeypatch, 0.0, 1.0, 3.5, 3.5, 3.75, 4.0, 4.5, 19.0)
    times.begin("terraform", "terraform scan (checkov)", beside=True)  # at 0.0
    times.begin("render", "rendering", 2, "entry points")  # 1.0
    times.advance("render")
    times.end("render")  # 3.5: 2.5 s
    times.begin("load", "loading dev")  # 3.5
    times.end("load")  # 3.75
    times.begin("load", "loading prod")  # 4.0
    times.end("load")  # 4.5: 0.75 s in all
    times.end("terraform")  # 19.0
    assert times.line() == "render 2.5 s, load 0.8 s, terraform 19.0 s (parallel)"
    assert inner.calls[1] == ("begin", "render", "rendering", "2", "entry points", "False")
    assert ("advance", "render") in inner.calls
    assert inner.calls[-1] == ("end", "terraform")


def test_a_stage_ends_when_its_work_fails() -> None:
    inner = Recorder()
    with pytest.raises(ValueError), stage(inner, "validate", "validating") as done:
        done()
        raise ValueError("bad input")
    assert inner.calls[1:] == [("advance", "validate"), ("end", "validate")]


def test_no_terminal_no_display() -> None:
    """Under pytest standard error is captured (not a terminal); disabled is disabled."""
    with on_terminal() as shown:
        assert shown is SILENT
    with on_terminal(enabled=False) as shown:
        assert shown is SILENT


@pytest.mark.integration
def test_verbose_prints_the_stage_times_to_stderr(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--repo", str(repo_copy), "--env", "dev", "-v", "--summary"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("0 error(s), ")  # the report is as without -v
    (line,) = captured.err.splitlines()
    names = re.findall(r"(\S+) \d+\.\d s", line)
    assert names == ["discover", "render", "helm", "load", "validate", "policy", "terraform"]
    assert line.startswith("gitops: discover ")
    assert line.endswith(" s (parallel)")


@pytest.mark.integration
def test_check_without_verbose_is_silent_on_stderr(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--repo", str(repo_copy), "--env", "dev", "-o", "json"]) == 0
    assert capsys.readouterr().err == ""
