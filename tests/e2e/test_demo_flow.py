"""The whole desk in demo mode: a real workspace, the simulator over loopback HTTP, the window.

Select the #4521 ticket, draft, watch the four panels finish, edit the draft, send, and find the
edited text stored as the sent reply.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from tests.e2e.conftest import RUN_MS
from ui.main_window import MainWindow

README_SHOT = Path(__file__).resolve().parents[1] / "screenshots" / "main-window.png"


def test_demo_ticket_4521_end_to_end(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, shot: Callable[..., Path]
) -> None:
    assert window.inbox.select("T-1001")
    assert "4521" in window.ticket_view.subject.text()

    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as finished:
        window.draft_action.trigger()
    assert finished.args and finished.args[0].ok
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)
    assert {name: p.state() for name, p in window.panels.items()} == dict.fromkeys(
        ("intent", "retrieval", "reasoning", "reply"), "done"
    )
    # Retrieval shows the records the store returned, each with its provenance.
    shown = {w.text() for w in window.panels["retrieval"].findChildren(QLabel)}
    assert {"source: C-1001", "source: 4521", "source: POL-EXPEDITE"} <= shown
    assert window.panels["reasoning"].reasoning_text()  # the reasoning model's thinking
    draft = window.editor.text()
    assert draft == window.panels["reply"].text() and "Emily" in draft

    editor = window.editor.editor
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    editor.setFocus()
    qtbot.keyClicks(editor, "[checked by Sam] ")
    edited = window.editor.text()
    assert edited == "[checked by Sam] " + draft
    path = shot(window, "e2e_demo_main_window")
    qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)

    stored = workspace.store.ticket("T-1001")
    assert stored.status == "sent" and stored.sent_text == edited
    assert window.editor.is_sent()
    if os.environ.get("STEPWISE_UPDATE_SCREENSHOTS"):  # refresh the README's picture on purpose
        shutil.copyfile(path, README_SHOT)
