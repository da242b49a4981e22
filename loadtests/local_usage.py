"""CPU time and memory of a process group on this machine, from /proc (Linux): how much the
local service worked and held during a run, without instrumenting it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def _group(pgid: int) -> Iterator[tuple[Path, list[str]]]:
    """/proc/<pid> and the fields of its stat after the command, for each process of the group."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:  # fields[0] is the state; pgrp is the 5th field of stat
            yield stat.parent, fields


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of every live process in the group."""
    total = sum(int(fields[11]) + int(fields[12]) for _, fields in _group(pgid))
    return total / os.sysconf("SC_CLK_TCK")


def group_peak_rss_mib(pgid: int) -> float:
    """The largest resident set each live process of the group has had (VmHWM), summed."""
    total_kib = 0
    for proc, _ in _group(pgid):
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024
