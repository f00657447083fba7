"""The first-run dialog: its two choices, and when run_gui shows it (only when asked or when the
real workspace has no config file; never with --demo or a test's own workspace)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import FakeWorkspace
from ui.app import needs_first_run, run_gui
from ui.first_run import FirstRunChoice, FirstRunDialog, ask_first_run
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

Shot = Callable[..., Path]


def make_dialog(qtbot: QtBot) -> FirstRunDialog:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def test_try_the_demo(qtbot: QtBot, shot: Shot) -> None:
    dialog = make_dialog(qtbot)
    assert dialog.objectName() == "firstRunDialog"
    shot(dialog, "first_run_dialog")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.demo_button.click()
    assert dialog.choice == FirstRunChoice(demo=True)


def test_connect_a_provider_carries_the_preset(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    assert dialog.preset.currentData() == "openai"
    dialog.preset.setCurrentIndex(dialog.preset.findData("anthropic"))
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.connect_button.click()
    assert dialog.choice == FirstRunChoice(demo=False, preset="anthropic")


def test_controls_are_named_for_assistive_tech(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    for widget in (dialog.demo_button, dialog.preset, dialog.connect_button):
        assert widget.accessibleName()
    assert dialog.demo_button.nextInFocusChain() is not None


def test_closing_without_a_choice_gives_none(qtbot: QtBot, qloop: object) -> None:
    asked = asyncio.ensure_future(ask_first_run())
    qtbot.waitUntil(lambda: visible(FirstRunDialog) is not None, timeout=2000)
    dialog = visible(FirstRunDialog)
    assert dialog is not None
    dialog.reject()
    qtbot.waitUntil(asked.done, timeout=2000)
    assert asked.result() is None


def test_needs_first_run_only_without_a_config_file(data_dir: Path) -> None:
    assert needs_first_run(demo=False)
    assert not needs_first_run(demo=True)  # --demo never asks
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.json").write_text("{}", encoding="utf-8")
    assert not needs_first_run(demo=False)


def visible(kind: type[QWidget]) -> QWidget | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None
    )


@pytest.fixture
def driver(qapp: QApplication) -> Iterator[list[Callable[[], bool]]]:
    """Steps run in turn from a timer while run_gui's loop spins; each returns True when done."""
    steps: list[Callable[[], bool]] = []

    def tick() -> None:
        if steps and steps[0]():
            steps.pop(0)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    yield steps
    timer.stop()
    qapp.setQuitOnLastWindowClosed(True)


def close_main_window() -> bool:
    window = visible(MainWindow)
    if window is None:
        return False
    window.close()
    return True


def test_run_gui_first_run_demo(driver: list[Callable[[], bool]]) -> None:
    opened: list[bool] = []

    def choose_demo() -> bool:
        dialog = visible(FirstRunDialog)
        if isinstance(dialog, FirstRunDialog):
            dialog.demo_button.click()
        return dialog is not None

    def factory(demo: bool) -> FakeWorkspace:
        opened.append(demo)
        return FakeWorkspace(demo=demo)

    driver += [choose_demo, close_main_window]
    assert run_gui(False, factory, first_run=True) == 0
    assert opened == [True]


def test_run_gui_first_run_connect_opens_settings_first(
    driver: list[Callable[[], bool]],
) -> None:
    opened: list[bool] = []
    seen_preset: list[str] = []

    def choose_connect() -> bool:
        dialog = visible(FirstRunDialog)
        if isinstance(dialog, FirstRunDialog):
            dialog.preset.setCurrentIndex(dialog.preset.findData("openrouter"))
            dialog.connect_button.click()
        return dialog is not None

    def cancel_settings() -> bool:
        dialog = visible(SettingsDialog)
        if isinstance(dialog, SettingsDialog):
            assert visible(MainWindow) is None  # settings come before the window using them
            seen_preset.append(str(dialog.provider.preset.currentData()))
            dialog.reject()
        return dialog is not None

    def factory(demo: bool) -> FakeWorkspace:
        opened.append(demo)
        return FakeWorkspace(demo=demo)

    driver += [choose_connect, cancel_settings, close_main_window]
    assert run_gui(False, factory, first_run=True) == 0
    assert opened == [False]
    assert seen_preset == ["openrouter"]


def test_a_test_workspace_is_never_asked(driver: list[Callable[[], bool]]) -> None:
    assert needs_first_run(demo=False)  # no config file here, yet:
    asked: list[QWidget] = []

    def close_or_refuse() -> bool:
        dialog = visible(FirstRunDialog)
        if isinstance(dialog, FirstRunDialog):
            asked.append(dialog)
            dialog.reject()  # ends run_gui instead of hanging the test
            return True
        return close_main_window()

    driver.append(close_or_refuse)
    assert run_gui(False, lambda demo: FakeWorkspace(demo=demo)) == 0
    assert asked == []
