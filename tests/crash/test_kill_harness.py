"""The kill harness, reduced: 6 kills (2 while streaming, 2 while typing, 2 while sending).

The full count is a documented command (``python -m tests.crash.kill_harness --kills 60``).
Each run draws a new seed and prints it; ``STEPWISE_KILL_SEED=N`` repeats a run.
"""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

from tests.crash.kill_harness import run_harness, summary

KILLS = 6


def test_sigkill_while_streaming_typing_and_sending_loses_nothing(tmp_path: Path) -> None:
    seed = int(os.environ.get("STEPWISE_KILL_SEED") or random.randrange(2**31))
    out = io.StringIO()
    figures = run_harness(KILLS, seed, tmp_path / "workspace", out)
    print(out.getvalue())  # shown with -s or on failure: the rounds and the figures
    assert figures.ok(), f"seed {seed}:\n{summary(figures)}"
    assert dict(figures.kills) == {"streaming": 2, "typing": 2, "sending": 2}
    assert figures.restarts == KILLS + 1 and figures.crash_reports == 0
