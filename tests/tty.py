"""Helpers of the terminal tests: run `gitops` with standard error (or output) on a
pseudo-terminal, as a user's shell would, and collect what reached the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

GITOPS = [sys.executable, "-m", "gitops_tools"]


@dataclass(frozen=True)
class Ran:
    returncode: int
    terminal: bytes  # everything written to the pseudo-terminal
    stdout: bytes  # a pipe, unless stdout was the terminal
    stderr: bytes  # a pipe, unless stderr was the terminal


class TerminalReader:
    """The master side of a fresh pseudo-terminal, read in a thread until every writer closed
    the slave (the reading must not wait: a full terminal buffer blocks the writer)."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        self._chunks: list[bytes] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the slave side is closed
                return
            if not data:
                return
            self._chunks.append(data)

    def close_slave(self) -> None:
        os.close(self.slave)

    def text(self) -> bytes:
        """Everything written, once the slave is closed (by us and by any child)."""
        self._thread.join(timeout=60)
        os.close(self.master)
        return b"".join(self._chunks)


def run_on_terminal(
    args: Sequence[str],
    *,
    cwd: Path,
    stream: str = "stderr",
    env: Mapping[str, str] | None = None,
) -> Ran:
    """`gitops ARGS` with `stream` ("stderr" or "stdout") on a pseudo-terminal, the other a pipe."""
    terminal = TerminalReader()
    environ = dict(os.environ, TERM="xterm-256color", COLUMNS="120") | dict(env or {})
    on_tty = {stream: terminal.slave}
    piped = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | on_tty
    proc = subprocess.Popen(
        [*GITOPS, *args], cwd=cwd, env=environ, stdin=subprocess.DEVNULL, **piped
    )
    terminal.close_slave()
    out, err = proc.communicate(timeout=600)
    return Ran(proc.returncode, terminal.text(), out or b"", err or b"")
