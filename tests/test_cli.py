"""The headless commands, run as a user would run them (a fresh process each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stepwise(*args: str, data_dir: Path, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STEPWISE_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "ui.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_draft_prints_one_json_event_per_line_for_all_four_steps(data_dir: Path) -> None:
    result = stepwise("draft", "--demo", "--ticket", "T-1001", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    started = [e["step"] for e in events if e["event"] == "step_started"]
    done = [e["step"] for e in events if e["event"] == "step_finished"]
    assert started == done == ["intent", "retrieval", "reasoning", "reply"]
    assert sum(e["event"] == "text_delta" for e in events) > 20
    assert events[-1]["event"] == "run_finished" and events[-1]["ok"] is True
    finished = [e for e in events if e["event"] == "step_finished"]
    assert all(e["usage"]["output_tokens"] > 0 for e in finished)
    # The demo never touches the real workspace: only the demo folder was created.
    assert sorted(p.name for p in data_dir.iterdir()) == ["demo"]


def test_draft_on_an_unknown_ticket_says_so(data_dir: Path) -> None:
    result = stepwise("--demo", "draft", "--ticket", "T-nope", data_dir=data_dir)
    assert result.returncode == 2
    assert "T-nope" in result.stderr and "Traceback" not in result.stderr


def test_self_test_passes_headless(data_dir: Path) -> None:
    result = stepwise("--self-test", data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_demo_self_test_runs_the_demo_pipeline(data_dir: Path) -> None:
    result = stepwise("--demo", "--self-test", data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok   demo pipeline" in result.stdout and "ok   qt" in result.stdout


def test_draft_json_shows_skips_flags_budgets_costs_and_a_rerun(data_dir: Path) -> None:
    result = stepwise("--demo", "draft", "--ticket", "T-1026", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = {e["event"] for e in events}
    assert {"step_budget", "policy_flag", "step_finished", "run_finished"} <= kinds
    flag = next(e for e in events if e["event"] == "policy_flag")
    assert flag["rule"] == "refund_agent_cap_usd" and flag["policy_id"] == "POL-REFUNDS"
    finished = events[-1]
    assert finished["needs_approval"] is True and finished["cost_usd"] > 0
    assert all(e["cost_usd"] > 0 for e in events if e["event"] == "step_finished")

    simple = stepwise("--demo", "draft", "--ticket", "T-1027", "--json", data_dir=data_dir)
    skipped = [json.loads(line) for line in simple.stdout.splitlines()]
    assert [e["step"] for e in skipped if e["event"] == "step_skipped"] == ["reasoning"]

    again = stepwise(
        "--demo", "draft", "--rerun", finished["run_id"], "--from", "reply", "--json",
        data_dir=data_dir,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    rerun = [json.loads(line) for line in again.stdout.splitlines()]
    kept = {e["step"]: e["kept"] for e in rerun if e["event"] == "step_finished"}
    assert kept == {"intent": True, "retrieval": True, "reasoning": True, "reply": False}
