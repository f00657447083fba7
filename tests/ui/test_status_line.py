"""The status bar: the provider and how it is doing, the run's tokens, and today's totals."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.pipeline.events import PipelineEvent, StepWaiting
from app.store import DiskFull, RunTotals
from tests.ui.conftest import RUN_ID, FakeWorkspace, failing_run, full_run
from tests.ui.test_main_window import make_window, run_draft
from ui.loop import StepwiseLoop


def test_todays_totals_are_read_at_start_and_after_each_run(
    qtbot: QtBot, qloop: StepwiseLoop
) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    today = window.status_line.today
    assert today.text() == "Today: 3 runs · in 4,200 · out 900 tokens · $0.0123"
    workspace.store.totals = RunTotals(4, 4_680, 1_060, 0.0161, cost_estimated=True)
    run_draft(qtbot, window)
    assert today.text() == "Today: 4 runs · in 4,680 · out 1,060 tokens · ~$0.0161"
    assert window.provider_label.text() == "Provider: https://api.openai.com/v1 · connected"
    workspace.store.totals = RunTotals(1, 480, 160, 0.002)
    window.status_line.refresh_today()
    assert today.text() == "Today: 1 run · in 480 · out 160 tokens · $0.0020"


def test_a_store_problem_leaves_the_last_totals(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)

    def broken(_since: object) -> RunTotals:
        raise DiskFull("The disk is full.")

    workspace.store.totals_since = broken  # type: ignore[method-assign]
    window.status_line.refresh_today()
    assert window.status_line.today.text().startswith("Today: 3 runs")


def test_rate_limit_waits_show_with_their_seconds(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    def waits_then_runs(ticket_id: str) -> list[PipelineEvent]:
        events = full_run(ticket_id)
        budget = StepWaiting(RUN_ID, "intent", "budget", 3.2, "Waiting for the rate limit")
        retry = StepWaiting(RUN_ID, "reply", "retry", 1.0, "The provider is overloaded.")
        reply_started = next(i for i, e in enumerate(events) if getattr(e, "step", "") == "reply")
        events.insert(reply_started + 1, retry)
        events.insert(1, budget)
        return events

    workspace = FakeWorkspace()
    workspace.script = waits_then_runs
    window = make_window(qtbot, workspace)
    seen: list[str] = []
    window.bridge.waitStarted.connect(lambda *_: seen.append(window.provider_label.text()))
    run_draft(qtbot, window)
    assert seen == [
        "Provider: https://api.openai.com/v1 · rate limit: sending in 3 s",
        "Provider: https://api.openai.com/v1 · retrying in 1 s",
    ]
    assert window.provider_label.text().endswith("· connected")


def test_a_rejected_key_shows_in_the_provider_state(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    workspace.script = failing_run
    window = make_window(qtbot, workspace)
    run_draft(qtbot, window)
    assert window.provider_label.text() == "Provider: https://api.openai.com/v1 · key rejected"
