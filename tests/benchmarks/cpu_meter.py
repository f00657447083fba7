"""CPU time of this process, of its child processes and of the whole machine, over a span.

The development machine has two cores shared with other people's test runs, so a UI benchmark
reports where the CPU went while it measured: its own process, the simulator in its child
process, and everything else. Linux only (``/proc``); elsewhere the figures are left out.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

_TICK_S = 1 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.01


@dataclass(frozen=True)
class CpuSample:
    at: float  # time.perf_counter()
    own_s: float  # this process's CPU time
    children_s: float  # its live child processes' (the simulator's)
    busy_s: float  # all cores of the machine, busy
    cores: int

    @staticmethod
    def now() -> CpuSample:
        return CpuSample(
            time.perf_counter(), time.process_time(), _children_s(), _busy_s(), _cores()
        )


@dataclass(frozen=True)
class CpuUse:
    """Cores used on average over a span (1.0 = one core busy all the time)."""

    own: float
    children: float
    others: float  # the rest of the machine: other processes, the kernel
    idle: float
    cores: int

    @staticmethod
    def between(start: CpuSample, end: CpuSample) -> CpuUse | None:
        span = end.at - start.at
        if span <= 0 or not start.cores:
            return None
        own = (end.own_s - start.own_s) / span
        children = (end.children_s - start.children_s) / span
        busy = (end.busy_s - start.busy_s) / span
        others = max(busy - own - children, 0.0)
        return CpuUse(own, children, others, max(start.cores - busy, 0.0), start.cores)

    def describe(self) -> str:
        return (
            f"this process {self.own:.2f}, simulator {self.children:.2f},"
            f" others {self.others:.2f}, idle {self.idle:.2f} (of {self.cores} cores)"
        )


def _children_s() -> float:
    total = 0.0
    for pid in _child_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) * _TICK_S  # utime, stime
    return total


def _child_pids() -> list[str]:
    pids: list[str] = []
    try:
        for task in Path(f"/proc/{os.getpid()}/task").iterdir():
            pids += (task / "children").read_text().split()
    except OSError:
        return []
    return pids


def _busy_s() -> float:
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    values = [int(v) for v in first]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) * _TICK_S  # guest time is already counted in user


def _cores() -> int:
    return (os.cpu_count() or 0) if Path("/proc/stat").exists() else 0
