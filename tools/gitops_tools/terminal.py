"""`Progress` on a terminal: one live line per running stage on standard error ("rendering
12/40 entry points", "terraform scan (checkov)"), gone when the stage ends. Imports rich, so
only `progress.on_terminal` imports this module, and only when standard error is a terminal."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn


@dataclass
class _Stage:
    task: TaskID
    what: str
    total: int | None
    unit: str
    done: int = 0


class TerminalProgress:
    def __init__(self, stream: TextIO) -> None:
        self._display = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,  # the report follows on a clean screen
            redirect_stdout=False,  # standard output is the report's alone
        )
        self._stages: dict[str, _Stage] = {}
        self._lock = threading.Lock()  # render workers advance while the main thread begins

    def __enter__(self) -> TerminalProgress:
        self._display.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._display.stop()

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
            task = self._display.add_task(_describe(what, 0, total, unit), total=total)
            self._stages[stage] = _Stage(task, what, total, unit)
        self._display.refresh()  # a stage shorter than a refresh period is still shown

    def advance(self, stage: str) -> None:
        with self._lock:
            running = self._stages.get(stage)
            if running is None:
                return
            running.done += 1
            self._display.update(
                running.task,
                completed=running.done,
                description=_describe(running.what, running.done, running.total, running.unit),
            )

    def end(self, stage: str) -> None:
        with self._lock:
            running = self._stages.pop(stage, None)
            if running is not None:
                self._display.remove_task(running.task)


def _describe(what: str, done: int, total: int | None, unit: str) -> str:
    """`rendering 12/40 entry points`, or only `what` for a stage that is not counted."""
    return f"{what} {done}/{total} {unit}".rstrip() if total is not None else what
