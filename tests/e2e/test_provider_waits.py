"""A rate-limited provider, seen from the desk: the step's panel says it waits and for how long,
then streams when the retry goes through; nothing fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.sim.server import Fault
from app.workspace import Workspace
from tests.e2e.conftest import RUN_MS
from ui.main_window import MainWindow


def test_a_rate_limited_step_waits_visibly_then_streams(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, shot: Callable[..., Path]
) -> None:
    assert workspace.simulator is not None
    workspace.simulator.inject(Fault("rate_limit", retry_after_s=1, step="intent"))
    assert window.inbox.select("T-1001")
    panel = window.panels["intent"]

    with qtbot.waitSignal(window.bridge.stepWaiting, timeout=RUN_MS) as waiting:
        window.draft_action.trigger()
    assert waiting.args is not None and waiting.args[0] == "intent"
    assert panel.state() == "waiting"
    assert panel.hint.isVisible() and "Retrying in 1 s" in panel.hint.text()
    assert "rate-limiting" in panel.hint.text()
    shot(panel, "e2e_intent_panel_waiting")

    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as finished:
        pass
    assert finished.args is not None and finished.args[0].ok
    assert panel.state() == "done" and not panel.hint.isVisible()
    assert workspace.simulator.rate_limited == 1
