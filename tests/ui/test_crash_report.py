"""The crash hook writes a report without secrets and the dialog says where it is; in the app
(``run_gui``) reports go to ``<data dir>/crash-reports`` and leave out the workspace's key."""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.crash_report import CrashReports
from ui.app import run_gui
from ui.loop import install_excepthook
from ui.main_window import MainWindow

KEY = "sk-proj-Zq3vN8pLm2Xc7RtY5bWk1HsJd9FgA4eU"
KEYRING_KEY = "h7Qz9mXo2LpV4nR8tW1yUe6"


def send_request(api_key: str) -> None:
    headers = {"Authorization": f"Bearer {api_key}"}
    raise RuntimeError(f"request failed with {headers} (profile key {KEYRING_KEY})")


def crash_now() -> None:
    try:
        send_request(KEY)
    except RuntimeError as err:
        sys.excepthook(type(err), err, err.__traceback__)


def shown_crash_dialog() -> QMessageBox:
    [box] = [
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "crashDialog" and w.isVisible()
    ]
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    return box


@pytest.mark.expected_errors  # the hook logs the crash as critical
def test_the_hook_writes_a_report_and_the_dialog_says_where(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reports = CrashReports(tmp_path / "crash-reports")
    reports.add_secrets(lambda: [KEYRING_KEY])
    uninstall = install_excepthook(reports=reports)
    try:
        crash_now()
    finally:
        uninstall()
    [report] = (tmp_path / "crash-reports").iterdir()
    text = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in send_request" in text
    box = shown_crash_dialog()
    assert str(report) in box.informativeText()
    assert "without your API keys" in box.informativeText()
    assert "Uncaught exception" in caplog.text
    for key in (KEY, KEYRING_KEY):  # not in the report, on the screen or in the log
        assert key not in text and key not in box.detailedText() and key not in caplog.text
    shiboken6.delete(box)  # later tests count the crash dialogs


@pytest.mark.expected_errors
def test_a_report_that_cannot_be_written_is_said_so(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker))  # the fallback fails too
    uninstall = install_excepthook(reports=CrashReports(blocker / "crash-reports"))
    try:
        crash_now()
    finally:
        uninstall()
    box = shown_crash_dialog()
    assert "The crash report could not be saved: Not a directory" in box.informativeText()
    assert "drafts are saved" in box.text()
    shiboken6.delete(box)


class CrashInWindow(QObject):
    """Once the window is up, an uncaught error in a Qt callback; then closes what it opened."""

    def __init__(self) -> None:
        super().__init__()
        self.dialog_info: list[str] = []
        self.dialogs: list[QMessageBox] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            if isinstance(watched, MainWindow):
                QTimer.singleShot(0, self.boom)
            elif isinstance(watched, QMessageBox) and watched.objectName() == "crashDialog":
                self.dialog_info.append(watched.informativeText())
                self.dialogs.append(watched)
                QTimer.singleShot(0, watched.close)
                for widget in QApplication.topLevelWidgets():
                    if isinstance(widget, MainWindow):
                        QTimer.singleShot(0, widget.close)
        return False

    def boom(self) -> None:
        raise RuntimeError("the simulator refused sim-key")  # the demo workspace's key


@pytest.mark.expected_errors
def test_the_app_reports_into_the_data_folder_without_the_workspace_key(
    qapp: QApplication, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    watcher = CrashInWindow()
    qapp.installEventFilter(watcher)
    try:
        with caplog.at_level(logging.CRITICAL, "stepwise.ui"):
            code = run_gui(True)  # the real start-up: demo workspace, its lock and its hook
    finally:
        qapp.removeEventFilter(watcher)
        qapp.setQuitOnLastWindowClosed(True)
        for box in watcher.dialogs:
            shiboken6.delete(box)
    assert code == 0
    [report] = (data_dir / "crash-reports").iterdir()
    text = report.read_text(encoding="utf-8")
    assert "RuntimeError: the simulator refused [redacted]" in text and "sim-key" not in text
    assert "PySide6: " in text and "Qt: " in text
    [info] = watcher.dialog_info
    assert str(report) in info
