"""StepwiseLoop's async-generator hooks, the crash hook, and run_gui end to end (fake core)."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import FakeWorkspace
from ui.app import run_gui
from ui.loop import StepwiseLoop, install_excepthook
from ui.main_window import MainWindow


def test_run_forever_installs_and_restores_asyncgen_hooks(qapp: QApplication) -> None:
    before = sys.get_asyncgen_hooks()
    loop = StepwiseLoop(qapp)
    closed: list[str] = []

    async def stream() -> AsyncIterator[int]:
        try:
            yield 1
            yield 2
        finally:
            await asyncio.sleep(0)  # an async clean-up, like closing an HTTP response
            closed.append("closed")

    async def leave_early() -> object:
        hooks = sys.get_asyncgen_hooks()
        agen = stream()
        await agen.__anext__()
        del agen  # abandoned mid-stream: the loop's finaliser must close it
        gc.collect()
        for _ in range(10):
            await asyncio.sleep(0)
        return hooks.firstiter

    try:
        firstiter = loop.run_until_complete(leave_early())
    finally:
        loop.close()
    assert firstiter == loop._asyncgen_firstiter_hook
    assert closed == ["closed"]
    assert sys.get_asyncgen_hooks() == before


@pytest.mark.expected_errors
def test_excepthook_logs_and_shows_a_plain_crash_dialog(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    previous = sys.excepthook
    uninstall = install_excepthook()
    try:
        try:
            raise RuntimeError("Authorization: Bearer sk-abcdefghijklmnopqrstuvwxyz")
        except RuntimeError as err:
            sys.excepthook(type(err), err, err.__traceback__)
        boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "crashDialog"]
        assert len(boxes) == 1
        box = boxes[0]
        assert isinstance(box, QMessageBox)
        qtbot.addWidget(box)
        assert box.isVisible()
        assert "Traceback" not in box.text()
        assert "drafts are saved" in box.text()
        assert "Traceback" in box.detailedText()
        assert "sk-abcdefghijklmnopqrstuvwxyz" not in box.detailedText()
        assert any(r.levelno == logging.CRITICAL for r in caplog.records)
    finally:
        uninstall()
    assert sys.excepthook is previous


def test_run_gui_shows_the_window_and_closes_the_workspace(qapp: QApplication) -> None:
    workspace = FakeWorkspace(demo=True)
    seen: list[MainWindow] = []

    def close_when_shown() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget)
                widget.close()

    closer = QTimer()
    closer.setInterval(10)
    closer.timeout.connect(close_when_shown)
    closer.start()
    try:
        code = run_gui(True, lambda demo: workspace)
    finally:
        closer.stop()
        qapp.setQuitOnLastWindowClosed(True)
    assert code == 0
    assert seen and seen[0].workspace is workspace
    assert workspace.closed
    assert qapp.applicationName() == "Stepwise"
