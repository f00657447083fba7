"""The autosave bound the kill harness relies on: an agent who types on without a pause still has
everything older than AUTOSAVE_MS saved (a debounce would save nothing until they paused)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from ui.reply_editor import AUTOSAVE_MS, ReplyEditor

KEY_MS = 150  # about 7 characters a second, never a pause as long as AUTOSAVE_MS


def test_typing_without_a_pause_is_saved_within_the_autosave_interval(qtbot: QtBot) -> None:
    editor = ReplyEditor()
    qtbot.addWidget(editor)
    editor.set_ticket(True)
    typed: list[float] = []

    def key() -> None:
        qtbot.keyClicks(editor.editor, "a")
        typed.append(time.monotonic())

    saves: list[tuple[float, str]] = []
    editor.draftChanged.connect(lambda text: saves.append((time.monotonic(), text)))
    keys = QTimer()
    keys.setInterval(KEY_MS)
    keys.timeout.connect(key)
    key()
    keys.start()
    try:
        qtbot.waitUntil(lambda: len(saves) >= 2, timeout=2 * AUTOSAVE_MS + 2000)
        assert keys.isActive()  # the agent never stopped typing
    finally:
        keys.stop()
    first_keystroke = typed[0]
    for saved_at, text in saves:
        # Everything typed before the save is in it.
        assert text == "a" * sum(1 for t in typed if t <= saved_at)
    assert saves[0][0] - first_keystroke < AUTOSAVE_MS / 1000 + 0.5
    assert saves[1][0] - saves[0][0] < AUTOSAVE_MS / 1000 + 0.5
