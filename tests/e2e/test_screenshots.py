"""The main window mid-stream and finished, in light, dark and Chinese, against the simulator.

Each picture is saved to tests/artifacts/ (and, with STEPWISE_UPDATE_SCREENSHOTS set, the light
English one replaces the README's). The mid-stream picture is taken inside the signal that brings
the reply's text, once some of it is on screen, so it never depends on timing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from tests.e2e.conftest import RUN_MS
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.theme import apply_theme

README_SHOT = Path(__file__).resolve().parents[1] / "screenshots" / "main-window.png"
LOOKS = [("light", "en"), ("dark", "en"), ("light", "zh_CN")]


@pytest.fixture(params=LOOKS, ids=lambda look: "-".join(look))
def look(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[tuple[str, str]]:
    theme, language = request.param
    apply_theme(qapp, theme)
    install_language(qapp, language)
    yield theme, language
    install_language(qapp, "en")
    apply_theme(qapp, "light")


def test_main_window_mid_stream_and_finished(
    qtbot: QtBot, workspace: Workspace, look: tuple[str, str], shot: Callable[..., Path]
) -> None:
    window = MainWindow(workspace)  # made after the look is set, as at start-up
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    assert window.inbox.select("T-1001")
    name = "main_window_{}_" + "_".join(look)
    taken: list[Path] = []

    def mid_stream(step: str, _text: str) -> None:
        if step == "reply" and not taken and len(window.editor.text()) > 60:
            assert window.panels["reply"].state() == "streaming"
            taken.append(shot(window, name.format("streaming")))

    window.bridge.textAppended.connect(mid_stream)
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as finished:
        window.draft_action.trigger()
    assert finished.args and finished.args[0].ok
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)
    assert taken, "the reply streamed in more than one piece"
    today = window.status_line.today.text()
    assert today and "0" not in today.split("·")[0], today  # the run just recorded counts
    done = shot(window, name.format("finished"))
    if look == ("light", "zh_CN"):
        assert window.draft_action.text() == "起草回复"
    if look == ("light", "en") and os.environ.get("STEPWISE_UPDATE_SCREENSHOTS"):
        shutil.copyfile(done, README_SHOT)
