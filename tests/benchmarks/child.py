"""A benchmark fixture in its own process, so its CPU never competes with the measured client.

The child prints one line when it is ready (its port or URL) and exits when its stdin closes, so
it cannot outlive the benchmark even if the parent is killed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout, so ``-m tests...`` imports


@contextmanager
def child_process(module: str, *args: str, stop_timeout_s: float = 15.0) -> Iterator[str]:
    """Run ``python -m module args``; yield the first line it prints; stop it on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        yield process.stdout.readline().strip()
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=stop_timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
