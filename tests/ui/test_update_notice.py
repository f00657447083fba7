"""The update notice: off unless the agent asked for it in Settings; when asked, the check runs
after the window is on screen and a newer release shows as a link on the status bar."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.update_check import Release
from tests.ui.conftest import FakeWorkspace
from ui import update_notice
from ui.loop import StepwiseLoop
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

RELEASE = Release("0.3.0", "https://github.com/stepwise-desk/stepwise/releases/v0.3.0")


def shown_window(qtbot: QtBot, workspace: FakeWorkspace) -> MainWindow:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


def test_off_by_default_nothing_is_asked(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    assert workspace.settings.check_updates is False
    asked: list[bool] = []

    async def checker() -> Release | None:
        asked.append(True)
        return RELEASE

    window = shown_window(qtbot, workspace)
    assert update_notice.start(window, workspace.settings, checker) is None
    assert asked == [] and window.findChild(QLabel, "updateNotice") is None


def test_a_newer_release_shows_a_link_once_the_window_is_up(
    qtbot: QtBot, qloop: StepwiseLoop, shot: Callable[..., Path]
) -> None:
    workspace = FakeWorkspace()
    workspace.settings = dataclasses.replace(workspace.settings, check_updates=True)
    answer = asyncio.Event()

    async def checker() -> Release | None:
        await answer.wait()  # the releases page is slow: the window must not wait for it
        return RELEASE

    window = shown_window(qtbot, workspace)
    task = update_notice.start(window, workspace.settings, checker)
    assert task is not None
    qtbot.waitUntil(lambda: not task.done() and window.isVisible(), timeout=2000)
    assert window.findChild(QLabel, "updateNotice") is None
    answer.set()
    qtbot.waitUntil(task.done, timeout=2000)
    notice = window.findChild(QLabel, "updateNotice")
    assert notice is not None and notice.isVisible()
    assert "Stepwise 0.3.0 is available" in notice.text() and RELEASE.url in notice.text()
    assert notice.openExternalLinks() and notice.accessibleName()
    shot(window.statusBar(), "update_notice")


def test_no_newer_release_shows_nothing(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    workspace.settings = dataclasses.replace(workspace.settings, check_updates=True)

    async def checker() -> Release | None:
        return None

    window = shown_window(qtbot, workspace)
    task = update_notice.start(window, workspace.settings, checker)
    assert task is not None
    qtbot.waitUntil(task.done, timeout=2000)
    assert window.findChild(QLabel, "updateNotice") is None


def test_the_choice_is_made_in_settings(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    dialog = SettingsDialog(workspace)
    qtbot.addWidget(dialog)
    box = dialog.agent.check_updates
    assert not box.isChecked() and "Nothing about you" in box.toolTip()
    box.setChecked(True)
    dialog.save()
    assert workspace.settings.check_updates is True
