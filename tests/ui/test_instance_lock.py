"""A second Stepwise on the same workspace: a plain dialog and exit code 2, no window, nothing
written; the same for a data folder that cannot be used (the start-up path of ``run_gui``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.instance_lock import InstanceLock
from ui.app import run_gui
from ui.main_window import MainWindow


class DialogCloser(QObject):
    """Closes the start-up problem box as soon as it is shown, keeping its title and text."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str]] = []
        self.windows: list[QObject] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            if isinstance(watched, QMessageBox) and watched.objectName() == "startupProblem":
                self.seen.append((watched.windowTitle(), watched.text()))
                QTimer.singleShot(0, watched.accept)
            elif isinstance(watched, MainWindow):
                self.windows.append(watched)
                QTimer.singleShot(0, watched.close)
        return False


def start(qapp: QApplication) -> tuple[int, DialogCloser]:
    closer = DialogCloser()
    qapp.installEventFilter(closer)
    try:
        code = run_gui(True)  # the real workspace factory, lock included
    finally:
        qapp.removeEventFilter(closer)
        qapp.setQuitOnLastWindowClosed(True)
    return code, closer


def test_a_second_stepwise_on_the_workspace_is_told_and_exits(
    qapp: QApplication, data_dir: Path
) -> None:
    (data_dir / "demo").mkdir(parents=True)
    with InstanceLock(data_dir / "demo"):  # the first Stepwise
        code, closer = start(qapp)
    assert code == 2
    assert not closer.windows
    [(title, text)] = closer.seen
    assert title == "Stepwise is already open"
    assert f"Stepwise is already open on this workspace (process {os.getpid()})" in text
    assert str(data_dir / "demo") in text and "Traceback" not in text
    assert not (data_dir / "demo" / "stepwise.db").exists()  # the second one wrote nothing


def test_once_the_first_one_closed_it_starts(qapp: QApplication, data_dir: Path) -> None:
    (data_dir / "demo").mkdir(parents=True)
    with InstanceLock(data_dir / "demo"):
        pass  # the first Stepwise came and went
    code, closer = start(qapp)
    assert code == 0 and closer.windows and not closer.seen
    again = InstanceLock(data_dir / "demo")  # and it let go when its window closed
    again.acquire()
    again.release()


def test_an_unusable_data_folder_is_a_plain_message(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("STEPWISE_DATA_DIR", str(blocker))
    code, closer = start(qapp)
    assert code == 2
    [(title, text)] = closer.seen
    assert title == "Stepwise cannot start"
    assert text.startswith(f"Could not open the workspace at {blocker}: the data folder is not")
    assert "Traceback" not in text
