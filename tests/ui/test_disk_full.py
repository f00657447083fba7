"""A full disk and an unusable data folder, met by the real window on the real demo store.

The disk fills for real inside SQLite: ``PRAGMA max_page_count`` at the file's current size makes
every write that needs a new page fail with SQLITE_FULL, exactly as ENOSPC does (root included).
The agent sees one plain message, keeps every word typed, and the text is saved by itself once
there is room; a reply that could not be recorded is not sent, and is sent once later.
A read-only data folder at start-up is a plain dialog and exit code 2 (permissions for real when
not root; the lock file's EROFS injected, as root ignores permissions).
"""

from __future__ import annotations

import asyncio
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app import instance_lock
from app.sim.server import SimConfig
from app.store import Store
from app.workspace import Workspace
from ui.app import run_gui
from ui.gc_guard import GuiThreadCollector
from ui.loop import StepwiseLoop
from ui.main_window import MainWindow
from ui.reply_editor import AUTOSAVE_MS

IS_ROOT = getattr(os, "geteuid", lambda: -1)() == 0
SAVE_MS = AUTOSAVE_MS + 3000
PASTED = "Here is the full history of your order, step by step. " * 20_000  # ~1 MB
UNLIMITED = 1_073_741_823  # SQLite's default max_page_count


@pytest.fixture
def desk(qloop: StepwiseLoop, qtbot: QtBot) -> Iterator[tuple[Workspace, MainWindow]]:
    """The demo workspace as ``stepwise --demo`` opens it, in the main window."""
    collector = GuiThreadCollector()
    collector.start()
    workspace = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=0))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    yield workspace, window
    closing = asyncio.ensure_future(workspace.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)
    collector.stop()


def fill_disk(workspace: Workspace, full: bool = True) -> None:
    store = workspace.store
    assert isinstance(store, Store)
    conn = store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages if full else UNLIMITED}")


def type_and_paste(qtbot: QtBot, window: MainWindow, typed: str) -> None:
    editor = window.editor.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, typed)
    editor.insertPlainText(PASTED)  # as a paste does


def test_a_full_disk_while_typing_says_so_once_and_keeps_every_word(
    qtbot: QtBot, desk: tuple[Workspace, MainWindow]
) -> None:
    workspace, window = desk
    assert window.inbox.select("T-1003")
    fill_disk(workspace)
    with qtbot.waitSignal(window.editor.draftChanged, timeout=SAVE_MS):
        type_and_paste(qtbot, window, "Hi Daniel, ")
    typed = window.editor.text()
    box = window.message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "The draft could not be saved"
    assert box.text() == (
        "Could not save the draft for ticket T-1003: the disk is full. "
        "Free some space, then try again."
    )
    assert window.editor.note.text() == "Not saved yet"
    assert workspace.store.ticket("T-1003").draft is None  # nothing half-written
    with qtbot.waitSignal(window.editor.draftChanged, timeout=SAVE_MS):
        pass  # it tries again by itself…
    assert window.message_box is box  # …without a second message
    fill_disk(workspace, full=False)  # the agent freed some space
    with qtbot.waitSignal(window.editor.draftChanged, timeout=SAVE_MS):
        pass
    assert window.editor.text() == typed
    assert workspace.store.ticket("T-1003").draft == typed
    assert window.editor.note.text() == "Draft saved"
    box.close()


def test_a_reply_that_cannot_be_recorded_is_not_sent_and_goes_later(
    qtbot: QtBot, desk: tuple[Workspace, MainWindow]
) -> None:
    workspace, window = desk
    assert window.inbox.select("T-1002")
    fill_disk(workspace)
    type_and_paste(qtbot, window, "Hello, ")
    text = window.editor.text()
    window.editor.send_button.click()
    box = window.message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "The reply was not sent"
    assert "the disk is full" in box.text() and "Traceback" not in box.text()
    assert workspace.store.ticket("T-1002").status != "sent"
    assert not window.editor.is_sent() and window.editor.text() == text
    fill_disk(workspace, full=False)
    window.editor.send_button.click()
    ticket = workspace.store.ticket("T-1002")
    assert (ticket.status, ticket.sent_text) == ("sent", text)
    assert window.editor.is_sent()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox):
            widget.close()


class StartupProblem(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QMessageBox)
            and watched.objectName() == "startupProblem"
        ):
            self.seen.append(watched.text())
            QTimer.singleShot(0, watched.accept)
        return False


def start_app(qapp: QApplication) -> tuple[int, list[str]]:
    watcher = StartupProblem()
    qapp.installEventFilter(watcher)
    try:
        code = run_gui(True)
    finally:
        qapp.removeEventFilter(watcher)
        qapp.setQuitOnLastWindowClosed(True)
    return code, watcher.seen


@pytest.mark.skipif(IS_ROOT, reason="root ignores permissions; the EROFS test covers root")
def test_a_read_only_data_folder_is_a_plain_message(qapp: QApplication, data_dir: Path) -> None:
    data_dir.mkdir()
    data_dir.chmod(0o555)
    try:
        code, seen = start_app(qapp)
    finally:
        data_dir.chmod(0o755)
    assert code == 2
    [text] = seen
    assert text.startswith(f"Could not open the workspace at {data_dir}: the data folder is not")
    assert "Permission denied" in text and "Traceback" not in text


def test_a_read_only_file_system_is_a_plain_message(
    qapp: QApplication, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(instance_lock.LOCK_NAME):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(instance_lock.os, "open", read_only)
    code, seen = start_app(qapp)
    assert code == 2
    [text] = seen
    assert text == (
        f"Could not open the workspace at {data_dir / 'demo'}: the data folder is not usable "
        "(Read-only file system). Check that it exists and that Stepwise may write to it."
    )
