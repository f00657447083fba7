"""MainWindow with the fake workspace: select, draft, watch the steps, edit, send."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.pipeline.events import PipelineEvent, StepStarted, TextDelta
from app.store import DiskFull
from tests.ui.conftest import REPLY, RUN_ID, FakeWorkspace, failing_run
from ui.loop import StepwiseLoop
from ui.main_window import MainWindow

Shot = Callable[..., Path]
RUN_MS = 10_000


def make_window(qtbot: QtBot, workspace: FakeWorkspace) -> MainWindow:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


def run_draft(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS):
        window.draft_action.trigger()
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)


def test_layout_handles_and_first_ticket(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    window = make_window(qtbot, FakeWorkspace())
    assert window.size().width() == 1280 and window.size().height() == 800
    assert list(window.panels) == ["intent", "retrieval", "reasoning", "reply"]
    for name in ("inbox", "replyEditor", "sendButton", "stepPanel.reply"):
        assert window.findChild(QWidget, name) is not None, name
    assert window.inbox.current_id() == "T-1001"
    assert window.ticket_view.subject.text() == "Order #4521 late — need it by Friday"
    assert window.provider_label.text() == "Provider: https://api.openai.com/v1"
    assert window.findChild(QLabel, "demoBadge") is None


def test_demo_badge_is_visible(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    window = make_window(qtbot, FakeWorkspace(demo=True))
    badge = window.findChild(QLabel, "demoBadge")
    assert badge is not None and badge.isVisible()
    assert badge.text() == "DEMO — simulated responses"
    assert window.provider_label.text() == "Provider: Simulator (demo)"


def test_draft_send_flow(qtbot: QtBot, qloop: StepwiseLoop, shot: Shot) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    run_draft(qtbot, window)
    assert {p.state() for p in window.panels.values()} == {"done"}
    assert window.draft_action.isEnabled()  # ready to draft again
    assert window.panels["reply"].text() == REPLY
    assert window.editor.text() == REPLY
    assert not window.panels["reasoning"].is_expanded()  # folds once done
    assert window.tokens_label.text() == "Last run: ~in 480 · out 160 tokens"
    assert workspace.drafts[-1] == ("T-1001", REPLY)  # the finished draft is saved
    shot(window, "main_window_after_run")
    editor = window.editor.editor
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.setFocus()
    qtbot.keyClicks(editor, " PS: tracking link below.")
    qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)
    assert workspace.sent == [("T-1001", REPLY + " PS: tracking link below.")]
    assert window.editor.is_sent()
    assert window.inbox.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 2) == "sent"
    assert not window.draft_action.isEnabled()
    shot(window, "main_window_sent")


def test_selecting_tickets_restores_draft_and_sent_text(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    window = make_window(qtbot, FakeWorkspace())
    window.inbox.select("T-1002")
    assert window.editor.text() == "Hi Maya, thanks for"
    assert not window.editor.is_sent()
    window.inbox.select("T-1003")
    assert window.editor.text() == "Your refund is on its way."
    assert window.editor.is_sent()
    assert window.ticket_view.cards_box.isHidden()  # no customer, no orders


def test_autosave_goes_to_the_workspace(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    window.editor.editor.setFocus()
    with qtbot.waitSignal(window.editor.draftChanged, timeout=5000):
        qtbot.keyClicks(window.editor.editor, "Hello")
    assert workspace.drafts == [("T-1001", "Hello")]


def test_switching_ticket_saves_pending_edits_first(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    window.editor.editor.setFocus()
    qtbot.keyClicks(window.editor.editor, "Half a thought")
    window.inbox.select("T-1002")
    assert workspace.drafts == [("T-1001", "Half a thought")]


def test_second_send_says_already_sent(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)
    window.send_reply("First")
    assert workspace.tickets["T-1001"].status == "sent"
    window.send_reply("Again")  # e.g. a second window sent it meanwhile
    assert workspace.sent == [("T-1001", "First")]
    box = window.message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "This reply was already sent"
    assert "only once" in box.text()
    box.close()


def test_store_error_is_a_plain_message(
    qtbot: QtBot, qloop: StepwiseLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = FakeWorkspace()
    window = make_window(qtbot, workspace)

    def full(ticket_id: str, text: str) -> None:
        raise DiskFull("Could not save the draft for ticket T-1001: the disk is full.")

    monkeypatch.setattr(workspace, "save_draft", full)
    window.save_draft("text")
    box = window.message_box
    assert box is not None
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.text() == "Could not save the draft for ticket T-1001: the disk is full."
    assert "Traceback" not in box.text() + box.informativeText()
    box.close()


def test_failed_step_shows_in_its_panel(qtbot: QtBot, qloop: StepwiseLoop, shot: Shot) -> None:
    workspace = FakeWorkspace()
    workspace.script = failing_run
    window = make_window(qtbot, workspace)
    run_draft(qtbot, window)
    intent = window.panels["intent"]
    assert intent.state() == "failed"
    assert "rejected the API key" in intent.error.message.text()
    assert intent.text() == '{"intents": ["ship'
    assert [window.panels[s].state() for s in ("retrieval", "reasoning", "reply")] == [
        "not run"
    ] * 3
    assert not window.editor.stop_button.isEnabled()
    shot(window, "main_window_failed")


def test_stop_halts_the_run(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    never = asyncio.Event()

    async def stalls(ticket_id: str, use_cache: bool = True) -> AsyncIterator[PipelineEvent]:
        try:
            yield StepStarted(RUN_ID, "intent", "Intent", "m")
            yield TextDelta(RUN_ID, "intent", '{"int')
            await never.wait()  # the provider goes quiet mid-answer
        finally:
            workspace.stream_closed += 1

    workspace.run = stalls  # type: ignore[method-assign]
    window = make_window(qtbot, workspace)
    with qtbot.waitSignal(window.bridge.textAppended, timeout=RUN_MS):
        window.draft_action.trigger()
    assert window.editor.stop_button.isEnabled()
    with qtbot.waitSignal(window.bridge.runningChanged, timeout=RUN_MS):
        qtbot.mouseClick(window.editor.stop_button, Qt.MouseButton.LeftButton)
    assert window.panels["intent"].state() == "stopped"
    assert window.panels["intent"].text() == '{"int'
    assert window.panels["reply"].state() == "not run"
    assert window.draft_action.isEnabled()
    qtbot.waitUntil(lambda: workspace.stream_closed == 1, timeout=RUN_MS)


def test_tab_reaches_every_control_in_a_sensible_order(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    """Keyboard only: Tab walks inbox tools, the list, the ticket, the reply and its buttons,
    then the step headers, and round again; every stop has a name a screen reader can say."""
    window = make_window(qtbot, FakeWorkspace())
    assert window.inbox.select("T-1002")  # a saved draft: Send and Copy are enabled
    window.activateWindow()
    window.inbox.view.setFocus()
    order: list[str] = []
    for _ in range(40):
        window.focusNextChild()
        widget = QApplication.focusWidget()
        assert widget is not None
        assert widget.accessibleName(), f"{widget.objectName()} has no accessible name"
        if widget.objectName() == "inbox":
            break
        order.append(widget.objectName())
    assert order == [
        "ticketView", "ticketMessage", "replyEditor", "sendButton", "regenerateButton",
        "regenerateInstruction", "copyButton", "stepsPane", *["stepHeader"] * 4,
        "newTicketButton", "inboxSearch", "inboxStatusFilter", "inboxUrgencyFilter",
        "inboxIntentFilter",
    ]  # fmt: skip
    header = window.panels["intent"].header
    assert header.accessibleName() == "Intent: queued"
