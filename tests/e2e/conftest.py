"""End-to-end tests share the widget tests' Qt fixtures (qasync loop, theme, screenshots)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.sim.server import SimConfig
from app.workspace import Workspace
from tests.ui.conftest import OFFSCREEN_NOISE, qloop, shot, themed
from ui.gc_guard import GuiThreadCollector
from ui.loop import StepwiseLoop
from ui.main_window import MainWindow

__all__ = ["qloop", "shot", "themed"]
HERE = Path(__file__).parent
RUN_MS = 30_000


@pytest.fixture
def workspace(qloop: StepwiseLoop, qtbot: QtBot) -> Iterator[Workspace]:
    """The demo workspace with its simulator, as ``stepwise --demo`` opens it."""
    # As in the app: the simulator's thread must never run Python's collector on Qt objects.
    collector = GuiThreadCollector()
    collector.start()
    # Fast enough for CI, slow enough that every panel streams over many frames.
    opened = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=5, tokens_per_s=3000))
    yield opened
    closing = asyncio.ensure_future(opened.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)
    collector.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> MainWindow:
    """The main window on the demo workspace, shown (offscreen)."""
    shown = MainWindow(workspace)
    qtbot.addWidget(shown)
    with qtbot.waitExposed(shown):
        shown.show()
    return shown
