"""The interface in Simplified Chinese: every string in ui/ has a translation, the compiled files
are current, placeholders survive translation, and the window really shows Chinese."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import FakeWorkspace
from ui import i18n
from ui.loop import StepwiseLoop
from ui.main_window import MainWindow

Shot = Callable[..., Path]
TOOLS = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    found = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], ET.Element]:
    """What lupdate finds in ui/ now, as a fresh .ts file."""
    ts = tmp_path_factory.mktemp("i18n") / "fresh.ts"
    sources = i18n.source_files()
    lupdate = str(TOOLS / "pyside6-lupdate")
    subprocess.run([lupdate, "-silent", *sources, "-ts", str(ts)], check=True)
    return messages(ts)


@pytest.mark.parametrize("ts", i18n.ts_files(), ids=lambda p: p.stem)
def test_every_string_of_the_interface_is_translated(
    ts: Path, collected: dict[tuple[str, str], ET.Element]
) -> None:
    shipped = messages(ts)
    missing = sorted(set(collected) - set(shipped))
    assert not missing, f"not in {ts.name} (run: python -m ui.i18n, then translate): {missing}"
    stale = sorted(key for key in set(shipped) - set(collected))
    assert not stale, f"no longer in the sources (run: python -m ui.i18n): {stale}"
    unfinished = [key for key, m in shipped.items() if m.find("translation").get("type")]  # type: ignore[union-attr]
    assert not unfinished, f"untranslated in {ts.name}: {unfinished}"


@pytest.mark.parametrize("ts", i18n.ts_files(), ids=lambda p: p.stem)
def test_placeholders_survive_translation(ts: Path) -> None:
    for (context, source), message in messages(ts).items():
        translation = message.findtext("translation") or ""
        wanted, found = set(PLACEHOLDER.findall(source)), set(PLACEHOLDER.findall(translation))
        if context == "Formatting":  # a date may show the month's number instead of its name
            assert found <= wanted | {"month"}, (context, source, translation)
        else:
            assert found == wanted, (context, source, translation)


@pytest.mark.parametrize("ts", i18n.ts_files(), ids=lambda p: p.stem)
def test_the_compiled_translations_are_current(ts: Path, tmp_path: Path) -> None:
    fresh = tmp_path / ts.with_suffix(".qm").name
    lrelease = str(TOOLS / "pyside6-lrelease")
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes(), "run: python -m ui.i18n"


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    assert i18n.install_language(qapp, "zh_CN") == "zh_CN"
    yield
    i18n.install_language(qapp, "en")


def test_the_window_speaks_chinese(
    qtbot: QtBot, qloop: StepwiseLoop, chinese: None, shot: Shot
) -> None:
    window = MainWindow(FakeWorkspace())
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    assert window.draft_action.text() == "起草回复"
    assert window.editor.send_button.text() == "发送"
    assert window.panels["intent"].header.state.text() == "排队中"
    assert window.status_line.today.text().startswith("今天")
    shot(window, "main_window_zh_CN_idle")


def test_english_needs_no_translation_files(qapp: QApplication) -> None:
    assert i18n.install_language(qapp, "en") == "en"
    assert i18n.translate("MainWindow", "Draft reply") == "Draft reply"
