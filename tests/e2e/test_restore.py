"""The agent's edits survive the app going away without a goodbye: a second workspace on the same
data directory (a restart after a crash: no closeEvent, no flush) shows the edited draft."""

from __future__ import annotations

import asyncio

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.sim.server import SimConfig
from app.workspace import Workspace
from tests.e2e.conftest import RUN_MS
from ui.main_window import MainWindow
from ui.reply_editor import AUTOSAVE_MS


def test_edits_autosave_and_come_back_after_a_crash(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    assert window.inbox.select("T-1003")
    editor = window.editor.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    typed = "Hi Daniel, thanks for your patience."
    with qtbot.waitSignal(window.editor.draftChanged, timeout=AUTOSAVE_MS + 1000) as saved:
        qtbot.keyClicks(editor, typed)
        editor.insertPlainText(" 你好!")  # as an input method commits it (keyClicks is ASCII)
    assert saved.args == [editor.toPlainText()] and typed in editor.toPlainText()
    expected = editor.toPlainText()
    # The crash: nothing is flushed or closed. A new process opens the same data directory.
    window.hide()
    again = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=0))
    try:
        restarted = MainWindow(again)
        qtbot.addWidget(restarted)
        assert restarted.inbox.select("T-1003")
        assert restarted.editor.text() == expected
        assert restarted.editor.state.text() == "Draft"
    finally:
        closing = asyncio.ensure_future(again.aclose())
        qtbot.waitUntil(closing.done, timeout=RUN_MS)
