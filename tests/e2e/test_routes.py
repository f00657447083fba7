"""The router and the cache, seen from the desk: a skipped step says why, a reused one says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from tests.e2e.conftest import RUN_MS
from ui.main_window import MainWindow


def draft(qtbot: QtBot, window: MainWindow, ticket_id: str) -> None:
    assert window.inbox.select(ticket_id)
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as finished:
        window.draft_action.trigger()
    assert finished.args is not None and finished.args[0].ok
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)


def test_a_skipped_step_and_a_cached_run_are_labelled(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, shot: Callable[..., Path]
) -> None:

    draft(qtbot, window, "T-1027")  # "where is order 4509?": nothing to reason about
    reasoning = window.panels["reasoning"]
    assert reasoning.state() == "skipped"
    assert "plain order-status question" in reasoning.hint.text()
    assert window.panels["reply"].state() == "done" and window.editor.text()
    shot(window, "e2e_skipped_reasoning")

    draft(qtbot, window, "T-1027")  # the same ticket again, within the cache's lifetime
    states = {name: panel.state() for name, panel in window.panels.items()}
    assert states == {
        "intent": "cached",
        "retrieval": "cached",
        "reasoning": "skipped",
        "reply": "cached",
    }
    assert "no model was called" in window.panels["reply"].hint.text()
    shot(window.steps, "e2e_cached_steps")
