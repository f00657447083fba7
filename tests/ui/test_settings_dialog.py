"""SettingsDialog: the key is never shown, keyring problems are, demo mode is read-only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.conftest import FakeKeys, FakeWorkspace
from ui.settings_dialog import DEMO_NOTE, SettingsDialog

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


def test_demo_mode_is_read_only(qtbot: QtBot, shot: Shot) -> None:
    dialog = make_dialog(qtbot, FakeWorkspace(demo=True))
    assert all(edit.isReadOnly() for edit in dialog.findChildren(QLineEdit))
    assert dialog.notice.text() == DEMO_NOTE
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save) is None
    shot(dialog, "settings_dialog_demo")
