"""Running steps again from the window: Regenerate (the reply alone, with an instruction), a
failed panel's Retry / fallback / Settings, a panel's re-run button, and Send's confirmation for
a draft that needs approval."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.config import StepRoute
from app.pipeline.events import (
    PipelineEvent,
    PolicyFlag,
    RunFinished,
    StepFailed,
    StepFinished,
    TextDelta,
)
from tests.ui.conftest import REPLY, RUN_ID, FakeWorkspace, full_run
from tests.ui.test_main_window import RUN_MS, make_window, run_draft
from ui.loop import StepwiseLoop
from ui.main_window import MainWindow

Shot = Callable[..., Path]


def reasoning_fails(ticket_id: str) -> list[PipelineEvent]:
    """Intent and retrieval done, reasoning fails on a provider outage, reply not run."""
    events = [e for e in full_run(ticket_id) if getattr(e, "step", "") in ("intent", "retrieval")]
    events.append(
        StepFailed(RUN_ID, "reasoning", "The provider is overloaded right now.", "Overloaded")
    )
    return [*events, RunFinished(RUN_ID, ticket_id, False, "", ("reasoning",), "failed")]


def flagged_run(ticket_id: str) -> list[PipelineEvent]:
    flag = PolicyFlag(RUN_ID, "reasoning", "refund_agent_cap_usd", "Refund $389 is over $250.", "P")
    *events, finished = full_run(ticket_id)
    assert isinstance(finished, RunFinished)
    return [*events, dataclasses.replace(finished, needs_approval=True, flags=(flag,))]


def test_regenerate_redrafts_the_reply_alone_with_the_instruction(
    qtbot: QtBot, qloop: StepwiseLoop, shot: Shot
) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    run_draft(qtbot, window)
    qtbot.keyClicks(window.editor.instruction, "shorter")
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(window.editor.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)
    assert workspace.runs == ["T-1001"]  # no second full run
    assert workspace.reruns == [(RUN_ID, "reply", None, "shorter")]
    states = {name: panel.state() for name, panel in window.panels.items()}
    assert states == {"intent": "kept", "retrieval": "kept", "reasoning": "kept", "reply": "done"}
    assert window.editor.text() == REPLY
    assert window.editor.instruction.text() == ""  # used once
    shot(window, "main_window_regenerated")


def test_regenerate_with_no_run_yet_drafts_everything_afresh(
    qtbot: QtBot, qloop: StepwiseLoop
) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(window.editor.regenerate_button, Qt.MouseButton.LeftButton)
    assert workspace.runs == ["T-1001"] and workspace.cache_used == [False]
    assert workspace.reruns == []


def test_a_failed_step_offers_retry_and_the_fallback_model(
    qtbot: QtBot, qloop: StepwiseLoop, shot: Shot
) -> None:
    workspace = FakeWorkspace()
    routes = dict(workspace.settings.routes)
    routes["reasoning"] = StepRoute("model-reasoning", fallback_model="model-backup")
    workspace.settings = dataclasses.replace(workspace.settings, routes=routes)
    workspace.script = reasoning_fails
    window = make_window(qtbot, workspace)
    run_draft(qtbot, window)
    error = window.panels["reasoning"].error
    assert error.retry_button.isVisible() and error.retry_button.isEnabled()
    assert error.fallback_button.isVisible()
    assert error.fallback_button.text() == "Use model-backup"
    assert not error.settings_button.isVisible()  # an outage is not a setting
    shot(window.panels["reasoning"], "step_panel_failed_with_actions", fit_height=True)
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(error.fallback_button, Qt.MouseButton.LeftButton)
    assert workspace.reruns == [(RUN_ID, "reasoning", "model-backup", "")]
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)
    assert window.panels["reasoning"].state() == "done"
    assert window.panels["intent"].state() == "kept"


def test_a_rejected_key_offers_settings(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    workspace.script = lambda ticket_id: [
        StepFailed(RUN_ID, "intent", "The provider rejected the API key.", "AuthError"),
        RunFinished(RUN_ID, ticket_id, False, "", ("intent",), "failed"),
    ]
    run_draft(qtbot, window)
    error = window.panels["intent"].error
    assert error.settings_button.isVisible() and not error.fallback_button.isVisible()
    qtbot.mouseClick(error.settings_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(QDialog, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_each_finished_panel_can_run_its_step_again(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    rerun = window.panels["retrieval"].header.rerun
    assert not rerun.isVisible()  # nothing to re-run before a run
    run_draft(qtbot, window)
    assert rerun.isVisible()
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(rerun, Qt.MouseButton.LeftButton)
        assert not rerun.isVisible()  # not while a run is in progress
    assert workspace.reruns == [(RUN_ID, "retrieval", None, "")]


def test_sending_a_flagged_draft_asks_first(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    workspace.script = flagged_run
    window = make_window(qtbot, workspace)
    run_draft(qtbot, window)
    box = confirm_send(qtbot, window)
    assert "Refund $389 is over $250." in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert workspace.sent == [] and not window.editor.is_sent()
    box = confirm_send(qtbot, window)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert workspace.sent == [("T-1001", REPLY)] and window.editor.is_sent()


def confirm_send(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)
    box = window.message_box
    assert box is not None and box.objectName() == "approvalBox"
    qtbot.waitUntil(box.isVisible, timeout=RUN_MS)
    assert box.button(QMessageBox.StandardButton.Yes).text() == "Send anyway"
    return box


def reply_cut_off(ticket_id: str) -> list[PipelineEvent]:
    """Steps 1-3 finish; the reply streams half its text, then the connection drops."""
    events = full_run(ticket_id)
    end = next(i for i, e in enumerate(events) if isinstance(e, StepFinished) and e.step == "reply")
    half = REPLY[: len(REPLY) // 2]
    shown = [e for e in events[:end] if not (isinstance(e, TextDelta) and e.step == "reply")]
    return [
        *shown,
        TextDelta(RUN_ID, "reply", half),
        StepFailed(RUN_ID, "reply", "The connection dropped.", "NetworkError", half),
        RunFinished(RUN_ID, ticket_id, False, half, ("reply",)),
    ]


def test_a_cut_off_draft_is_marked_and_sending_it_asks_first(
    qtbot: QtBot, qloop: StepwiseLoop
) -> None:
    workspace = FakeWorkspace()
    workspace.script = reply_cut_off
    window = make_window(qtbot, workspace)
    run_draft(qtbot, window)
    assert window.editor.text() == REPLY[: len(REPLY) // 2]  # kept, never lost
    assert window.editor.state.text() == "Incomplete"
    qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)
    box = window.message_box
    assert box is not None and box.objectName() == "incompleteBox"
    qtbot.waitUntil(box.isVisible, timeout=RUN_MS)
    assert "cut off" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert workspace.sent == []
    editor = window.editor.editor  # the agent finishes the sentence: the draft is theirs now
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.setFocus()
    qtbot.keyClicks(editor, " soon.")
    assert window.editor.state.text() == "Draft" and not window.editor.is_incomplete()
    qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)
    assert workspace.sent == [("T-1001", window.editor.text())]
