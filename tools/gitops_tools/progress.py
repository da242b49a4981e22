"""What a long command tells about its stages while it runs: the `Progress` interface the
pipeline calls, a silent default, and `StageTimes` (seconds per stage, for `-v`).

The stages say what they do ("rendering", "loading prod") and how far they are; where that
goes is the command's choice: nowhere (the default, and whenever standard error is not a
terminal), a live line per stage on a terminal (`terminal.TerminalProgress`, which imports
rich, so only then), a timing line. Every method may be called from any thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Protocol


class Progress(Protocol):
    def begin(
        self,
        stage: str,
        what: str,
        total: int | None = None,
        unit: str = "",
        *,
        beside: bool = False,
    ) -> None:
        """`stage` (a short name: "render") starts doing `what` ("rendering"), in `total`
        steps of `unit` when counted; `beside`: it runs in parallel with the other stages."""

    def advance(self, stage: str) -> None:
        """One step of `stage` is done."""

    def end(self, stage: str) -> None:
        """`stage` is over (it may begin again, e.g. once per environment)."""


class Silent:
    """Tells nothing: what runs where nobody watches (CI, pipes, hooks, tests)."""

    def begin(
        self,
        stage: str,
        what: str,
        total: int | None = None,
        unit: str = "",
        *,
        beside: bool = False,
    ) -> None:
        pass

    def advance(self, stage: str) -> None:
        pass

    def end(self, stage: str) -> None:
        pass


SILENT = Silent()


@contextmanager
def stage(
    progress: Progress,
    name: str,
    what: str,
    total: int | None = None,
    unit: str = "",
    *,
    beside: bool = False,
) -> Iterator[Callable[[], None]]:
    """`name` begun around the block, ended however the block ends; yields its `advance`."""
    progress.begin(name, what, total, unit, beside=beside)
    try:
        yield lambda: progress.advance(name)
    finally:
        progress.end(name)


class StageTimes:
    """Seconds spent in each stage (summed over its runs), passing every call on to `inner`."""

    def __init__(self, inner: Progress = SILENT) -> None:
        self.inner = inner
        self.seconds: dict[str, float] = {}
        self.beside: set[str] = set()
        self._started: dict[str, float] = {}
        self._lock = threading.Lock()

    def begin(
        self,
        stage: str,
        what: str,
        total: int | None = None,
        unit: str = "",
        *,
        beside: bool = False,
    ) -> None:
        with self._lock:
            self._started[stage] = time.perf_counter()
            self.seconds.setdefault(stage, 0.0)
            if beside:
                self.beside.add(stage)
        self.inner.begin(stage, what, total, unit, beside=beside)

    def advance(self, stage: str) -> None:
        self.inner.advance(stage)

    def end(self, stage: str) -> None:
        with self._lock:
            started = self._started.pop(stage, None)
            if started is not None:
                self.seconds[stage] += time.perf_counter() - started
        self.inner.end(stage)

    def line(self) -> str:
        """`render 3.2 s, load 0.4 s, ..., terraform 9.8 s (parallel)`: the stages in the order
        they began, those that ran beside the others last."""
        with self._lock:
            order = sorted(self.seconds, key=lambda s: s in self.beside)  # stable
            return ", ".join(
                f"{s} {self.seconds[s]:.1f} s" + (" (parallel)" if s in self.beside else "")
                for s in order
            )


def on_terminal(enabled: bool = True) -> AbstractContextManager[Progress]:
    """A live progress display on standard error when it is a terminal and `enabled`, else
    `SILENT`. Used as a context manager: the display ends with the block."""
    import sys

    if not enabled or not sys.stderr.isatty():
        return nullcontext(SILENT)
    from gitops_tools.terminal import TerminalProgress  # imports rich: only on a terminal

    return TerminalProgress(sys.stderr)
