"""Provider, API key, agent name and per-step models.

The key field never shows a stored key: only where it is kept ("•••• stored in macOS Keychain").
If the OS keyring refuses the key, the dialog stays open and says the key is kept for this session
only (``KeyStore.problem``), instead of closing as if all were well.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.config import Settings
from ui.contracts import KeyStoreLike, WorkspaceLike
from ui.step_views import label

DEMO_NOTE = "Demo mode uses the built-in simulator; settings are fixed."
SESSION_ONLY = "The system keyring is not available, so the API key is kept for this session only."
_BACKENDS = {
    "SecretService": "the Secret Service keyring",
    "kwallet": "KWallet",
    "macOS": "the macOS Keychain",
    "Windows": "Windows Credential Locker",
}


def keyring_label(backend_name: str) -> str:
    for marker, name in _BACKENDS.items():
        if marker.lower() in backend_name.lower():
            return name
    return backend_name.rsplit(".", 2)[-2] if "." in backend_name else backend_name


def key_placeholder(keys: KeyStoreLike | None, profile: str) -> str:
    if keys is None:
        return "Not needed: the simulator answers every request"
    if keys.get(profile) is None:
        return "Paste your provider's API key"
    if keys.problem:
        return "•••• kept for this session only"
    return f"•••• stored in {keyring_label(keys.backend_name)}"


class SettingsDialog(QDialog):
    # (): settings were saved (the key may still be session-only; see the notice)
    settingsSaved = Signal()

    def __init__(self, workspace: WorkspaceLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Stepwise settings")
        self.setMinimumWidth(520)
        self.workspace = workspace
        settings = workspace.settings
        self.base_url = self._line("baseUrlEdit", settings.provider.base_url)
        self.api_key = self._line("apiKeyEdit", "")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(key_placeholder(workspace.keys, settings.provider.name))
        self.agent_name = self._line("agentNameEdit", settings.agent_name)
        self.models: dict[str, QLineEdit] = {}
        form = self._build_form()
        self.notice = label("", "notice", wrap=True)
        self.notice.setObjectName("settingsNotice")
        self.notice.hide()
        self.buttons = QDialogButtonBox()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.buttons)
        if workspace.demo:
            self._make_read_only()
        else:
            self.buttons.setStandardButtons(
                QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            )
            self.buttons.accepted.connect(self.save)
            self.buttons.rejected.connect(self.reject)

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.addRow("Provider base URL", self.base_url)
        form.addRow("API key", self.api_key)
        form.addRow("Agent name", self.agent_name)
        for step in self.workspace.steps:
            route = self.workspace.settings.routes.get(step.name)
            edit = self._line(f"modelEdit.{step.name}", route.model if route else "")
            self.models[step.name] = edit
            form.addRow(f"{step.title} model", edit)
        return form

    def _line(self, name: str, text: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        return edit

    def _make_read_only(self) -> None:
        for edit in (self.base_url, self.api_key, self.agent_name, *self.models.values()):
            edit.setReadOnly(True)
        self._show_notice(DEMO_NOTE)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

    def collect(self) -> Settings:
        current = self.workspace.settings
        routes = {
            name: dataclasses.replace(route, model=self.models[name].text().strip() or route.model)
            if name in self.models
            else route
            for name, route in current.routes.items()
        }
        provider = dataclasses.replace(current.provider, base_url=self.base_url.text().strip())
        return dataclasses.replace(
            current,
            providers={**current.providers, provider.name: provider},
            agent_name=self.agent_name.text().strip() or current.agent_name,
            routes=routes,
        )

    def save(self) -> None:
        settings = self.collect()
        if not settings.provider.base_url.startswith(("https://", "http://")):
            self._show_notice(
                "The base URL must start with https:// (or http:// for this computer)."
            )
            return
        key = self.api_key.text().strip() or None
        try:
            stored = self.workspace.update_settings(settings, key)
        except (OSError, ValueError, PermissionError) as err:
            self._show_notice(f"The settings could not be saved: {err}")
            return
        self.api_key.clear()
        self.settingsSaved.emit()
        if stored is False:
            keys = self.workspace.keys
            problem = (keys.problem if keys else None) or SESSION_ONLY
            self._show_notice(f"Settings saved. {problem}")
            self.api_key.setPlaceholderText("•••• kept for this session only")
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
            return  # stay open: the agent must see that the key will not survive a restart
        self.accept()

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
