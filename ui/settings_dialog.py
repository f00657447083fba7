"""Settings: the provider (preset, URL, key, limits, Test connection), the model for each step and
prices, and the agent (name, signature) and look (theme, language).

The key field never shows a stored key: only where it is kept ("•••• stored in macOS Keychain"),
and the key itself goes to ``workspace.update_settings`` (the OS keyring), never into Settings.
If the OS keyring refuses the key, the dialog stays open and says the key is kept for this session
only (``KeyStore.problem``), instead of closing as if all were well. Demo mode is read-only.

A new language is only saved: widgets built in the old one do not retranslate, so the dialog says
it applies from the next start (``languageNotice``) rather than leaving a half-translated window.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import LANGUAGES, THEMES, Settings
from app.presets import Preset
from ui.contracts import WorkspaceLike
from ui.core_text import localize
from ui.i18n import translate
from ui.settings_models import ModelsPage
from ui.settings_provider import ProviderPage, key_placeholder, keyring_label
from ui.step_views import label
from ui.theme import apply_theme

__all__ = ["DEMO_NOTE", "SESSION_ONLY", "SettingsDialog", "key_placeholder", "keyring_label"]

# The constants are marked for translation and shown with translate("SettingsDialog", ...).
DEMO_NOTE = str(
    QT_TRANSLATE_NOOP(
        "SettingsDialog",
        "Demo mode uses the built-in simulator: its provider and models are fixed. Your name, "
        "signature, theme and language are kept.",
    )
)
SESSION_ONLY = str(
    QT_TRANSLATE_NOOP(
        "SettingsDialog",
        "The system keyring is not available, so the API key is kept for this session only.",
    )
)
THEME_LABELS = {
    "system": str(QT_TRANSLATE_NOOP("SettingsDialog", "Follow the system")),
    "light": str(QT_TRANSLATE_NOOP("SettingsDialog", "Light")),
    "dark": str(QT_TRANSLATE_NOOP("SettingsDialog", "Dark")),
}
_open_notices: set[QMessageBox] = set()  # parentless notices, kept alive until closed


class AgentPage(QWidget):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.agent_name = QLineEdit(settings.agent_name)
        self.agent_name.setObjectName("agentNameEdit")
        self.agent_name.setAccessibleName(self.tr("Agent name"))
        self.signature = QPlainTextEdit(settings.signature)
        self.signature.setObjectName("signatureEdit")
        self.signature.setAccessibleName(self.tr("Signature"))
        self.signature.setPlaceholderText(self.tr("e.g. Sam · Customer care, Northwind"))
        self.signature.setTabChangesFocus(True)
        self.signature.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.theme = QComboBox()
        self.theme.setObjectName("themeCombo")
        self.theme.setAccessibleName(self.tr("Theme"))
        for key in THEMES:
            self.theme.addItem(translate("SettingsDialog", THEME_LABELS[key]), key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        self.language.setAccessibleName(self.tr("Interface language"))
        for key, name in LANGUAGES.items():
            # A language is named in itself ("简体中文"), so that its speakers find it.
            self.language.addItem(self.tr("Follow the system") if key == "system" else name, key)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.check_updates = QCheckBox(self.tr("Tell me when a new version of Stepwise is out"))
        self.check_updates.setObjectName("checkUpdatesBox")
        self.check_updates.setAccessibleName(self.tr("Tell me about new versions"))
        self.check_updates.setToolTip(
            self.tr(
                "At start-up, asks the Stepwise releases page for the latest version. Nothing "
                "about you or your tickets is sent."
            )
        )
        self.check_updates.setChecked(settings.check_updates)
        form = QFormLayout(self)
        form.addRow(self.tr("Agent name"), self.agent_name)
        form.addRow(self.tr("Signature"), self.signature)
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Updates"), self.check_updates)
        QWidget.setTabOrder(self.agent_name, self.signature)
        QWidget.setTabOrder(self.signature, self.theme)
        QWidget.setTabOrder(self.theme, self.language)
        QWidget.setTabOrder(self.language, self.check_updates)


class SettingsDialog(QDialog):
    # (): settings were saved (the key may still be session-only; see the notice); the new
    # settings are workspace.settings, and the theme has already been applied
    settingsSaved = Signal()

    def __init__(
        self, workspace: WorkspaceLike, parent: QWidget | None = None, *, preset: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Stepwise settings"))
        self.setMinimumWidth(600)
        self.workspace = workspace
        self.language_notice: QMessageBox | None = None  # shown when a save changed the language
        settings = workspace.settings
        self.provider = ProviderPage(settings.provider, workspace.keys)
        self.model_page = ModelsPage(workspace.steps, settings.routes, settings.prices)
        self.agent = AgentPage(settings)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.setAccessibleName(self.tr("Settings sections"))
        self.tabs.addTab(self.provider, self.tr("&Provider"))
        self.tabs.addTab(self.model_page, self.tr("&Models and prices"))
        self.tabs.addTab(self.agent, self.tr("&Agent and look"))
        # The names the rest of the app (and older tests) know these fields by.
        self.base_url, self.api_key = self.provider.base_url, self.provider.api_key
        self.agent_name, self.models = self.agent.agent_name, self.model_page.models
        self.notice = label("", "notice", wrap=True)
        self.notice.setObjectName("settingsNotice")
        self.notice.setAccessibleName(self.tr("Settings notice"))
        self.notice.hide()
        self.buttons = QDialogButtonBox()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.buttons)
        self.provider.presetChosen.connect(self._on_preset)
        self.models["reply"].textChanged.connect(self._track_reply_model)
        self._track_reply_model()
        self.buttons.setStandardButtons(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if workspace.demo:
            self.provider.make_read_only()
            self.model_page.make_read_only()
            self._show_notice(translate("SettingsDialog", DEMO_NOTE))
        elif preset:
            self.provider.choose(preset)

    def _on_preset(self, preset: Preset) -> None:
        self.model_page.apply_preset(preset)

    def _track_reply_model(self) -> None:
        self.provider.reply_model = self.models["reply"].text().strip()

    def collect(self) -> Settings:
        current = self.workspace.settings
        provider = self.provider.profile()
        return dataclasses.replace(
            current,
            providers={**current.providers, provider.name: provider},
            default_provider=provider.name,
            agent_name=self.agent_name.text().strip() or current.agent_name,
            signature=self.agent.signature.toPlainText().strip(),
            routes=self.model_page.routes(current.routes),
            prices=self.model_page.all_prices(),
            theme=str(self.agent.theme.currentData()),
            language=str(self.agent.language.currentData()),
            check_updates=self.agent.check_updates.isChecked(),
        )

    def save(self) -> None:
        settings = self.collect()
        if not settings.provider.base_url.startswith(("https://", "http://")):
            self.tabs.setCurrentWidget(self.provider)
            self._show_notice(
                self.tr("The base URL must start with https:// (or http:// for this computer).")
            )
            return
        key = self.api_key.text().strip() or None
        language_changed = settings.language != self.workspace.settings.language
        try:
            stored = self.workspace.update_settings(settings, key)
        except (OSError, ValueError, PermissionError) as err:
            said = self.tr("The settings could not be saved: {error}")
            self._show_notice(said.format(error=localize(str(err))))
            return
        self.api_key.clear()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, settings.theme)
        self.settingsSaved.emit()
        if stored is False:
            keys = self.workspace.keys
            problem = localize(keys.problem) if keys and keys.problem else None
            problem = problem or translate("SettingsDialog", SESSION_ONLY)
            self._show_notice(self.tr("Settings saved. {problem}").format(problem=problem))
            self.api_key.setPlaceholderText(self.tr("•••• kept for this session only"))
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
            if language_changed:
                self._tell_language(settings.language, self)  # above the dialog, still open
            return  # stay open: the agent must see that the key will not survive a restart
        if language_changed:
            self._tell_language(settings.language, self.parentWidget())
        self.accept()

    def _tell_language(self, language: str, owner: QWidget | None) -> None:
        """Say, without blocking, that ``language`` applies from the next start: widgets already
        built keep their text, so switching now would leave a half-translated window."""
        if language == "system":
            text = self.tr("Stepwise will follow the system's language from the next start.")
        else:
            name = LANGUAGES.get(language, language)
            text = self.tr("Stepwise will use {language} from the next start.").format(
                language=name
            )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Language"),
            text,
            QMessageBox.StandardButton.Ok,
            owner.window() if owner is not None else None,
        )
        box.setObjectName("languageNotice")
        if owner is None:  # nobody owns it (the first run's dialog): keep it until it closes
            _open_notices.add(box)
            box.finished.connect(lambda _result: _open_notices.discard(box))
        box.finished.connect(box.deleteLater)
        self.language_notice = box
        box.open()

    def done(self, result: int) -> None:
        self.provider.cancel_test()  # a test still running has nobody left to tell
        super().done(result)

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
