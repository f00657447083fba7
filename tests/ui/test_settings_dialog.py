"""SettingsDialog: the key is never shown, keyring problems are, demo mode is read-only; presets
fill the form, Test connection talks to the simulator, the theme is saved and applied, and a new
language is saved and said to apply from the next start."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.connection_test import Verdict
from app.sim.server import SimConfig, Simulator
from tests.ui.conftest import FakeKeys, FakeWorkspace
from ui.settings_dialog import DEMO_NOTE, SettingsDialog
from ui.theme import DARK, apply_theme, colours, current_theme

Shot = Callable[..., Path]
SECRET = "sk-test-THIS-MUST-NEVER-SHOW-1234567890"


def make_dialog(qtbot: QtBot, workspace: FakeWorkspace) -> SettingsDialog:
    dialog = SettingsDialog(workspace)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def visible_texts(dialog: SettingsDialog) -> str:
    edits = dialog.findChildren(QLineEdit)
    texts = [e.text() + " " + e.placeholderText() + " " + e.displayText() for e in edits]
    texts += [label.text() for label in dialog.findChildren(QLabel)]
    return "\n".join(texts)


def test_stored_key_is_never_shown(qtbot: QtBot, shot: Shot) -> None:
    workspace = FakeWorkspace(keys=FakeKeys(stored={"default": SECRET}))
    dialog = make_dialog(qtbot, workspace)
    key = dialog.api_key
    assert key.echoMode() == QLineEdit.EchoMode.Password
    assert key.text() == ""
    assert key.placeholderText() == "•••• stored in the Secret Service keyring"
    assert SECRET not in visible_texts(dialog)
    shot(dialog, "settings_dialog")


def test_save_passes_fields_and_closes(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    dialog = make_dialog(qtbot, workspace)
    dialog.base_url.setText("https://gateway.example.com/v1")
    dialog.agent_name.setText("Ana")
    dialog.models["reply"].setText("claude-sonnet-4.5")
    qtbot.keyClicks(dialog.api_key, SECRET)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    settings, key = workspace.settings_saved[-1]
    assert key == SECRET
    assert settings.provider.base_url == "https://gateway.example.com/v1"
    assert settings.agent_name == "Ana"
    assert settings.routes["reply"].model == "claude-sonnet-4.5"
    assert settings.routes["reply"].temperature == 0.5  # the rest of the route is kept


def test_keyring_problem_is_shown_and_dialog_stays_open(qtbot: QtBot, shot: Shot) -> None:
    workspace = FakeWorkspace(keys=FakeKeys(fail=True))
    dialog = make_dialog(qtbot, workspace)
    qtbot.keyClicks(dialog.api_key, SECRET)
    with qtbot.assertNotEmitted(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert dialog.notice.isVisible()
    assert "kept for this session only" in dialog.notice.text()
    assert dialog.api_key.text() == ""
    assert SECRET not in visible_texts(dialog)
    shot(dialog, "settings_dialog_keyring_problem")


def test_bad_base_url_is_refused(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    dialog = make_dialog(qtbot, workspace)
    dialog.base_url.setText("api.example.com")
    dialog.save()
    assert workspace.settings_saved == []
    assert "https://" in dialog.notice.text()


def test_demo_mode_fixes_the_provider_and_keeps_the_agents_own_choices(
    qtbot: QtBot, shot: Shot
) -> None:
    workspace = FakeWorkspace(demo=True)
    dialog = make_dialog(qtbot, workspace)
    fixed = dialog.provider.findChildren(QLineEdit) + dialog.model_page.findChildren(QLineEdit)
    assert fixed and all(edit.isReadOnly() for edit in fixed)
    assert not dialog.agent.agent_name.isReadOnly() and dialog.agent.language.isEnabled()
    assert dialog.notice.text() == DEMO_NOTE
    shot(dialog, "settings_dialog_demo")
    dialog.agent.theme.setCurrentIndex(dialog.agent.theme.findData("dark"))
    dialog.agent.agent_name.setText("Lin")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    saved, key = workspace.settings_saved[-1]
    assert (saved.theme, saved.agent_name, key) == ("dark", "Lin", None)


# --- presets, the keyring, Test connection, theme ---

GOOD_KEY = "sk-sim-good-key"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(api_key=GOOD_KEY, ttft_ms=0)) as simulator:
        yield simulator


def test_preset_fills_url_protocol_and_models(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    dialog = make_dialog(qtbot, workspace)
    dialog.provider.choose("anthropic")
    assert dialog.base_url.text() == "https://api.anthropic.com/v1"
    assert dialog.provider.adapter.currentData() == "anthropic"
    assert dialog.models["reply"].text() == "claude-sonnet-4-5"
    assert dialog.model_page.fallbacks["reply"].text() == "claude-haiku-4-5"
    assert dialog.api_key.placeholderText() == "Paste your provider's API key"
    dialog.provider.choose("ollama")
    assert dialog.base_url.text() == "http://localhost:11434/v1"
    assert dialog.api_key.placeholderText() == "Not needed for this computer"
    dialog.provider.rpm.setValue(60)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    settings, key = workspace.settings_saved[-1]
    assert key is None
    assert settings.default_provider == "ollama"
    assert settings.provider.base_url == "http://localhost:11434/v1"
    assert settings.provider.requests_per_minute == 60
    assert settings.provider.tokens_per_minute is None
    assert settings.routes["intent"].model == "llama3.1"


def test_first_run_preset_is_preselected(qtbot: QtBot) -> None:
    dialog = SettingsDialog(FakeWorkspace(), preset="deepseek")
    qtbot.addWidget(dialog)
    assert dialog.provider.preset.currentData() == "deepseek"
    assert dialog.models["reasoning"].text() == "deepseek-reasoner"


def test_key_goes_to_the_keyring_never_to_the_config_file(qtbot: QtBot) -> None:
    from app.secrets import SERVICE_NAME
    from app.workspace import CONFIG_NAME, Workspace

    workspace = Workspace.open(demo=False)
    try:
        dialog = SettingsDialog(workspace)
        qtbot.addWidget(dialog)
        dialog.provider.choose("deepseek")  # a new provider: its key gets its own entry
        dialog.agent.signature.setPlainText("Sam · Northwind care")
        qtbot.keyClicks(dialog.api_key, SECRET)
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted
        config = (workspace.root / CONFIG_NAME).read_bytes()
        assert SECRET.encode() not in config
        assert b"Sam \\u00b7 Northwind care" in config or "Sam · Northwind".encode() in config
        assert keyring.get_password(SERVICE_NAME, "deepseek") == SECRET
        assert workspace.settings.provider.name == "deepseek"
        assert workspace.api_key() == SECRET
    finally:
        assert workspace.keys is not None
        workspace.keys.delete("deepseek")
        asyncio.run(workspace.aclose())


def test_prices_and_fallbacks_are_saved(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    old = {"input": 1.0, "output": 1.0}
    workspace.settings.prices = {"gpt-4.1": {"input": 2.0, "output": 8.0}, "old": old}
    dialog = make_dialog(qtbot, workspace)
    table = dialog.model_page.prices
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert names == ["gpt-4.1-mini", "gpt-4.1"]
    assert table.item(1, 1).text() == "2"
    table.item(0, 1).setText("0.4")
    table.item(0, 2).setText("1.6")
    dialog.model_page.fallbacks["reasoning"].setText("gpt-4.1-mini")
    dialog.save()
    settings, _ = workspace.settings_saved[-1]
    assert settings.prices["gpt-4.1-mini"] == {"input": 0.4, "output": 1.6}
    assert settings.prices["gpt-4.1"] == {"input": 2.0, "output": 8.0}
    assert "old" in settings.prices  # a model no longer in use keeps its price
    assert settings.routes["reasoning"].fallback_model == "gpt-4.1-mini"


def run_test(qtbot: QtBot, dialog: SettingsDialog) -> Verdict:
    button = dialog.provider.test_button
    with qtbot.waitSignal(dialog.provider.connectionTested, timeout=5000) as blocker:
        button.click()
        assert not button.isEnabled()  # no second test while one runs
        assert dialog.provider.verdict.text() == "Testing the connection…"
    assert button.isEnabled()
    verdict = blocker.args[0]
    assert isinstance(verdict, Verdict)
    assert dialog.provider.verdict.text() == verdict.message
    return verdict


def test_connection_with_a_good_key(
    qtbot: QtBot, qloop: object, sim: Simulator, shot: Shot
) -> None:
    dialog = make_dialog(qtbot, FakeWorkspace())
    dialog.provider.choose("custom")
    dialog.base_url.setText(sim.base_url)
    qtbot.keyClicks(dialog.api_key, GOOD_KEY)
    verdict = run_test(qtbot, dialog)
    assert verdict.ok and "offers 4 models" in verdict.message
    assert dialog.provider.verdict.property("role") == "verdictOk"
    shot(dialog, "settings_dialog_connection_ok")


def test_connection_with_a_rejected_key(
    qtbot: QtBot, qloop: object, sim: Simulator, shot: Shot
) -> None:
    workspace = FakeWorkspace(keys=FakeKeys(stored={"default": "sk-stale-key"}))
    dialog = make_dialog(qtbot, workspace)
    dialog.base_url.setText(sim.base_url)  # the stored key is used when none is typed
    verdict = run_test(qtbot, dialog)
    assert verdict.kind == "key_rejected"
    assert "rejected the API key" in dialog.provider.verdict.text()
    assert dialog.provider.verdict.property("role") == "verdictFail"
    assert "sk-stale-key" not in visible_texts(dialog)
    shot(dialog, "settings_dialog_connection_rejected")


def test_theme_choice_is_saved_and_applied(qtbot: QtBot, qapp: QApplication, shot: Shot) -> None:
    workspace = FakeWorkspace()
    dialog = make_dialog(qtbot, workspace)
    dialog.tabs.setCurrentWidget(dialog.agent)
    dialog.agent.theme.setCurrentIndex(dialog.agent.theme.findData("dark"))
    dialog.save()
    assert workspace.settings.theme == "dark"
    assert current_theme(qapp) == "dark"
    assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(DARK.window)
    assert colours() is DARK  # what the inbox's rows are painted with
    again = make_dialog(qtbot, workspace)
    again.tabs.setCurrentWidget(again.model_page)
    shot(again, "settings_dialog_dark")
    assert apply_theme(qapp, "light") == "light"


@pytest.mark.parametrize("in_window", [True, False], ids=["main-window", "first-run"])
def test_language_choice_is_saved_and_applies_from_the_next_start(
    qtbot: QtBot, in_window: bool
) -> None:
    workspace = FakeWorkspace()
    window = QWidget() if in_window else None
    if window is not None:
        qtbot.addWidget(window)
        window.show()
    dialog = SettingsDialog(workspace, window)
    qtbot.addWidget(dialog)
    dialog.open()
    combo = dialog.agent.language
    assert combo.objectName() == "languageCombo" and combo.accessibleName()
    assert [combo.itemData(i) for i in range(combo.count())] == ["system", "en", "zh_CN"]
    assert combo.currentText() == "Follow the system"
    dialog.tabs.setCurrentWidget(dialog.agent)
    combo.setCurrentIndex(combo.findText("简体中文"))
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert workspace.settings.language == "zh_CN"
    notice = dialog.language_notice
    assert notice is not None and notice.objectName() == "languageNotice"
    assert notice.parentWidget() is window  # it outlives the dialog, which has closed
    assert notice.isVisible() and not dialog.isVisible()
    assert notice.text() == "Stepwise will use 简体中文 from the next start."
    with qtbot.waitSignal(notice.finished, timeout=1000):
        notice.accept()


def test_an_unchanged_language_says_nothing(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, FakeWorkspace())
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.language_notice is None


def test_every_control_has_an_accessible_name_and_tab_order(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, FakeWorkspace())
    controls = (QLineEdit, QComboBox, QSpinBox, QCheckBox, QPushButton, QPlainTextEdit)
    for widget in dialog.findChildren(QWidget):
        inner = isinstance(widget.parent(), QSpinBox | QComboBox | QDialogButtonBox)
        if isinstance(widget, (*controls, QTableWidget)) and not inner:
            assert widget.accessibleName(), widget.objectName()
    page = dialog.provider
    order = [page.preset, page.base_url, page.adapter, page.api_key, page.test_button, page.rpm]
    for first, second in itertools.pairwise(order):
        assert next_tab_stop(first) is second, (first.objectName(), second.objectName())


def next_tab_stop(widget: QWidget) -> QWidget:
    """Where Tab goes from ``widget``: the next widget in the focus chain that takes Tab focus."""
    candidate = widget.nextInFocusChain()
    while not candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
        candidate = candidate.nextInFocusChain()
    return candidate
