"""ReplyEditor: streaming while the agent types, undo of the agent's edits only, autosave, send."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.reply_editor import AUTOSAVE_MS, ReplyEditor

Shot = Callable[..., Path]
WAIT_MS = AUTOSAVE_MS + 3000


def make_editor(qtbot: QtBot) -> ReplyEditor:
    editor = ReplyEditor()
    qtbot.addWidget(editor)
    editor.resize(600, 320)
    with qtbot.waitExposed(editor):
        editor.show()
    editor.set_ticket(True)
    return editor


def put_cursor(editor: ReplyEditor, position: int) -> None:
    cursor = editor.editor.textCursor()
    cursor.setPosition(position)
    editor.editor.setTextCursor(cursor)
    editor.editor.setFocus()


def test_object_names(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    names = {"replyEditor", "sendButton", "regenerateButton", "stopButton", "copyButton"}
    assert names <= {w.objectName() for w in editor.findChildren(QWidget)}


def test_stop_enabled_only_while_streaming(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    assert not editor.stop_button.isEnabled()
    editor.begin_stream()
    assert editor.stop_button.isEnabled()
    assert not editor.send_button.isEnabled()
    assert not editor.regenerate_button.isEnabled()
    editor.append_streamed("Hi")
    editor.end_stream()
    assert not editor.stop_button.isEnabled()
    assert editor.send_button.isEnabled()
    with qtbot.waitSignal(editor.stopRequested, timeout=1000):
        editor.begin_stream()
        qtbot.mouseClick(editor.stop_button, Qt.MouseButton.LeftButton)


def test_streaming_and_typing_at_the_same_time_both_kept(qtbot: QtBot, shot: Shot) -> None:
    editor = make_editor(qtbot)
    editor.begin_stream()
    editor.append_streamed("Hi Maya,\n\nThanks for ")
    put_cursor(editor, 0)
    qtbot.keyClicks(editor.editor, "[VIP] ")
    editor.append_streamed("writing in. Your order ")
    qtbot.keyClicks(editor.editor, "!")
    editor.append_streamed("is on its way.")
    editor.end_stream()
    assert editor.text() == "[VIP] !Hi Maya,\n\nThanks for writing in. Your order is on its way."
    assert editor.editor.textCursor().position() == len("[VIP] !")  # never dragged along
    shot(editor, "reply_editor")


def test_streamed_text_does_not_move_a_cursor_at_the_end(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    editor.begin_stream()
    editor.append_streamed("Hello")
    put_cursor(editor, 5)
    editor.append_streamed(" world")
    assert editor.editor.textCursor().position() == 5
    qtbot.keyClicks(editor.editor, ",")
    assert editor.text() == "Hello, world"


def test_undo_removes_the_agents_typing_not_the_draft(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    editor.begin_stream()
    editor.append_streamed("Hi Maya, ")
    put_cursor(editor, len("Hi Maya, "))
    qtbot.keyClicks(editor.editor, "sorry!")
    editor.append_streamed("your parcel is late.")  # streams on after the agent typed
    editor.end_stream()
    assert editor.text() == "Hi Maya, sorry!your parcel is late."
    qtbot.keyClick(editor.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "Hi Maya, your parcel is late."
    qtbot.keyClick(editor.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "Hi Maya, your parcel is late."  # the draft itself is not undone
    qtbot.keyClick(
        editor.editor,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.text() == "Hi Maya, sorry!your parcel is late."  # redo


def test_undo_after_streaming_finished(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    editor.begin_stream()
    editor.append_streamed("Dear Maya,\nYour order ships today.")
    editor.end_stream()
    editor.editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.editor.setFocus()
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.editor, "Best, Sam")
    assert editor.text().endswith("today.\nBest, Sam")
    qtbot.keyClick(editor.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text().endswith("today.\n")
    qtbot.keyClick(editor.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "Dear Maya,\nYour order ships today."


def test_regenerate_replaces_the_draft_undoably(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    editor.load_draft("My own words")
    editor.begin_stream()
    editor.append_streamed("New draft")
    editor.end_stream()
    assert editor.text() == "New draft"
    editor.editor.undo()
    assert editor.text() == "My own wordsNew draft"  # nothing the agent wrote is lost


def test_autosave_fires_after_the_last_keystroke(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    editor.load_draft("Hello")
    editor.editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.editor.setFocus()
    with qtbot.waitSignal(editor.draftChanged, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(editor.editor, " there")
    assert blocker.args == ["Hello there"]


def test_loading_or_streaming_does_not_autosave(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    with qtbot.assertNotEmitted(editor.draftChanged, wait=AUTOSAVE_MS + 300):
        editor.load_draft("Saved text")
        editor.begin_stream()
        editor.append_streamed("streamed")
        editor.end_stream()


def test_send_emits_the_edited_text(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    editor.load_draft("Hi Maya")
    editor.editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.editor.setFocus()
    qtbot.keyClicks(editor.editor, ", all fixed.")
    with qtbot.waitSignal(editor.sendRequested, timeout=1000) as blocker:
        qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["Hi Maya, all fixed."]


def test_ctrl_return_sends(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    editor.load_draft("Hi")
    with qtbot.waitActive(editor, timeout=3000):  # shortcuts fire only in the active window
        editor.activateWindow()
    editor.editor.setFocus()
    with qtbot.waitSignal(editor.sendRequested, timeout=1000) as blocker:
        qtbot.keyClick(editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["Hi"]


def test_set_sent_is_read_only(qtbot: QtBot, shot: Shot) -> None:
    editor = make_editor(qtbot)
    editor.set_sent("Your refund is on its way.")
    assert editor.editor.isReadOnly()
    assert editor.state.text() == "Sent"
    assert not editor.send_button.isEnabled()
    assert not editor.regenerate_button.isEnabled()
    assert editor.copy_button.isEnabled()
    shot(editor, "reply_editor_sent")


def test_no_ticket_means_nothing_to_send(qtbot: QtBot) -> None:
    editor = make_editor(qtbot)
    editor.set_ticket(False)
    assert editor.editor.isReadOnly()
    assert not editor.send_button.isEnabled()
    assert not editor.regenerate_button.isEnabled()
