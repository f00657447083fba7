"""The history benchmark stays runnable: ``history_scale`` over 300 small runs, views included, in
the normal suite. Its speed targets are not judged here (``--no-check``); that its answers agree
is: the store's, the views' and the in-memory baseline's (tests/benchmarks/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.benchmarks import history_scale

VIEW_ROWS = (
    "view: open, 200 rows painted",
    "view: set, reloaded, painted",
    "view: slowest (",
    "view: scroll to end, +200 rows",
    "view: show/refresh() to shown",
    "view pass (history, dashboard)",
)


@pytest.mark.skipif(
    not Path("/proc/self/clear_refs").exists(), reason="measures memory through Linux's /proc"
)
def test_history_benchmark_runs_at_a_tiny_size(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--runs", "300", "--payload", "small", "--repeat", "1", "--no-check"]
    code = history_scale.main([*args, "--keep", str(tmp_path / "history.sqlite")])

    out = capsys.readouterr().out
    assert code == 0, out  # 0 under --no-check: every design gave the same answers
    assert "MISMATCH" not in out
    for row in VIEW_ROWS:
        assert row in out, out
