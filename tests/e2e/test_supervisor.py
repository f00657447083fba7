"""From the desk to the supervisor's view: a run drafted in the window is in the history, and
opening it shows its inspector, against the simulator and the real store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from tests.e2e.conftest import RUN_MS
from ui.main_window import MainWindow


def test_a_drafted_run_is_in_the_history_and_opens_in_the_inspector(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, shot: Callable[..., Path]
) -> None:
    assert window.inbox.select("T-1001")
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as finished:
        window.draft_action.trigger()
    run_id = finished.args[0].run_id
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)

    window.supervisor_action.trigger()
    supervisor = window.supervisor
    assert supervisor is not None and supervisor.isVisible()
    model = supervisor.history.model
    qtbot.waitUntil(lambda: model.rowCount() >= 1, timeout=RUN_MS)
    assert model.run_id(0) == run_id  # newest first
    shot(supervisor, "e2e_supervisor_history")

    inspector = supervisor.inspect(run_id)
    assert inspector.isVisible()
    assert set(inspector.sections) == {"intent", "retrieval", "reasoning", "reply"}
    assert "T-1001" in inspector.windowTitle()
    shot(inspector, "e2e_supervisor_inspector")

    window.supervisor_action.trigger()  # shown again, not a second window
    assert window.supervisor is supervisor
