"""The settings dialog's Provider page: preset, base URL, protocol, key, limits, Test connection.

The key field never shows a stored key: only where it is kept ("•••• stored in macOS Keychain").
Test connection runs as a task on the qasync loop (the window keeps painting), with its button
disabled until the verdict is shown inline.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.config import ProviderProfile
from app.connection_test import Verdict, check_connection
from app.presets import PRESETS, Preset, match, preset
from ui.contracts import KeyStoreLike
from ui.core_text import localize
from ui.i18n import translate
from ui.step_views import label
from ui.theme import set_role

log = logging.getLogger("stepwise.ui")

# The module's translation context is "ProviderPage": its constants are shown with
# translate("ProviderPage", ...), like the page's own self.tr() texts.
ADAPTER_LABELS = {
    "openai": str(QT_TRANSLATE_NOOP("ProviderPage", "OpenAI-compatible (chat completions)")),
    "anthropic": str(QT_TRANSLATE_NOOP("ProviderPage", "Anthropic Messages")),
}
_BACKENDS = {
    "SecretService": str(QT_TRANSLATE_NOOP("ProviderPage", "the Secret Service keyring")),
    "kwallet": str(QT_TRANSLATE_NOOP("ProviderPage", "KWallet")),
    "macOS": str(QT_TRANSLATE_NOOP("ProviderPage", "the macOS Keychain")),
    "Windows": str(QT_TRANSLATE_NOOP("ProviderPage", "Windows Credential Locker")),
}


def keyring_label(backend_name: str) -> str:
    for marker, name in _BACKENDS.items():
        if marker.lower() in backend_name.lower():
            return translate("ProviderPage", name)
    return backend_name.rsplit(".", 2)[-2] if "." in backend_name else backend_name


def key_placeholder(keys: KeyStoreLike | None, profile: str, needs_key: bool = True) -> str:
    if keys is None:
        return translate("ProviderPage", "Not needed: the simulator answers every request")
    if keys.get(profile) is None:
        if needs_key:
            return translate("ProviderPage", "Paste your provider's API key")
        return translate("ProviderPage", "Not needed for this computer")
    if keys.problem:
        return translate("ProviderPage", "•••• kept for this session only")
    return translate("ProviderPage", "•••• stored in {keyring}").format(
        keyring=keyring_label(keys.backend_name)
    )


def _named(widget: QWidget, object_name: str, accessible: str) -> None:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)


def _limit_spin(object_name: str, accessible: str, value: int | None, maximum: int) -> QSpinBox:
    spin = QSpinBox()
    _named(spin, object_name, accessible)
    spin.setRange(0, maximum)
    spin.setSingleStep(10)
    spin.setSpecialValueText(
        translate("ProviderPage", "No limit")
    )  # shown for 0: only the server's own limits apply
    spin.setValue(value or 0)
    return spin


class ProviderPage(QWidget):
    # (Preset): the agent picked a preset; the dialog fills the models from it
    presetChosen = Signal(object)
    # (Verdict): Test connection finished; the verdict is shown in ``verdict``
    connectionTested = Signal(object)

    def __init__(self, profile: ProviderProfile, keys: KeyStoreLike | None) -> None:
        super().__init__()
        self.keys = keys
        self._initial = match(profile)
        self._profile_name = profile.name
        self._task: asyncio.Future[None] | None = None
        self.reply_model = ""  # the dialog keeps it current: Anthropic's test asks this model
        self._build(profile)
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.test_button.clicked.connect(self.start_test)

    def _build(self, profile: ProviderProfile) -> None:
        self.preset = QComboBox()
        _named(self.preset, "presetCombo", self.tr("Provider preset"))
        for item in PRESETS:
            self.preset.addItem(localize(item.name), item.key)
        self.preset.setCurrentIndex(PRESETS.index(self._initial))
        self.base_url = QLineEdit(profile.base_url)
        _named(self.base_url, "baseUrlEdit", self.tr("Provider base URL"))
        self.base_url.setPlaceholderText("https://…/v1")  # a URL's shape: the same in any language
        self.adapter = QComboBox()
        _named(self.adapter, "adapterCombo", self.tr("Provider protocol"))
        for key, text in ADAPTER_LABELS.items():
            self.adapter.addItem(translate("ProviderPage", text), key)
        self.adapter.setCurrentIndex(max(0, self.adapter.findData(profile.adapter)))
        self.api_key = QLineEdit()
        _named(self.api_key, "apiKeyEdit", self.tr("API key"))
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton(self.tr("Test connection"))
        _named(self.test_button, "testConnectionButton", self.tr("Test connection"))
        self.verdict = label("", wrap=True)
        _named(self.verdict, "connectionVerdict", self.tr("Connection test result"))
        self.verdict.hide()
        self.rpm = _limit_spin("requestsPerMinuteSpin", self.tr("Requests per minute limit"),
                               profile.requests_per_minute, 100_000)  # fmt: skip
        self.tpm = _limit_spin("tokensPerMinuteSpin", self.tr("Tokens per minute limit"),
                               profile.tokens_per_minute, 100_000_000)  # fmt: skip
        self.tpm.setSingleStep(1000)
        self.json_schema = QCheckBox(self.tr("Accepts JSON-schema answers (response_format)"))
        _named(self.json_schema, "jsonSchemaCheck", self.tr("Provider accepts JSON-schema answers"))
        self.json_schema.setChecked(profile.json_schema)
        self._layout()
        self._update_key_placeholder()

    def _layout(self) -> None:
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key, 1)
        key_row.addWidget(self.test_button)
        form = QFormLayout(self)
        form.addRow(self.tr("Preset"), self.preset)
        form.addRow(self.tr("Base URL"), self.base_url)
        form.addRow(self.tr("Protocol"), self.adapter)
        form.addRow(self.tr("API key"), key_row)
        form.addRow("", self.verdict)
        form.addRow(self.tr("Requests per minute"), self.rpm)
        form.addRow(self.tr("Tokens per minute"), self.tpm)
        form.addRow("", self.json_schema)
        chain = (self.preset, self.base_url, self.adapter, self.api_key, self.test_button,
                 self.rpm, self.tpm, self.json_schema)  # fmt: skip
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    @property
    def chosen(self) -> Preset:
        return preset(str(self.preset.currentData()))

    @property
    def profile_name(self) -> str:
        """The keyring entry's name: kept while the preset is the one the provider came from."""
        chosen = self.chosen
        return self._profile_name if chosen == self._initial else chosen.key

    def choose(self, key: str) -> None:
        self.preset.setCurrentIndex(max(0, self.preset.findData(key)))

    def _on_preset(self) -> None:
        chosen = self.chosen
        if chosen.base_url or chosen.key == "gateway":  # Custom keeps what was typed
            self.base_url.setText(chosen.base_url)
        self.adapter.setCurrentIndex(max(0, self.adapter.findData(chosen.adapter)))
        self.json_schema.setChecked(chosen.json_schema)
        self._update_key_placeholder()
        self.verdict.hide()
        self.presetChosen.emit(chosen)

    def _update_key_placeholder(self) -> None:
        placeholder = key_placeholder(self.keys, self.profile_name, self.chosen.needs_key)
        self.api_key.setPlaceholderText(placeholder)

    def profile(self) -> ProviderProfile:
        return ProviderProfile(
            name=self.profile_name,
            base_url=self.base_url.text().strip(),
            adapter=str(self.adapter.currentData()),
            requests_per_minute=self.rpm.value() or None,
            tokens_per_minute=self.tpm.value() or None,
            json_schema=self.json_schema.isChecked(),
        )

    def make_read_only(self) -> None:
        for edit in (self.base_url, self.api_key):
            edit.setReadOnly(True)
        for spin in (self.rpm, self.tpm):
            spin.setReadOnly(True)
        for widget in (self.preset, self.adapter, self.json_schema, self.test_button):
            widget.setEnabled(False)

    # --- Test connection ---

    def start_test(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self.test_button.setEnabled(False)
        self._show_verdict(self.tr("Testing the connection…"), "verdictBusy")
        self._task = asyncio.ensure_future(self._test())

    def cancel_test(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _test(self) -> None:
        profile = self.profile()
        typed = self.api_key.text().strip()
        key = typed or (self.keys.get(profile.name) if self.keys else None)
        try:
            verdict = await check_connection(
                profile.base_url,
                key,
                profile.adapter,
                model=self.reply_model,
                needs_key=self.chosen.needs_key,
            )
        except Exception:  # our bug, not the network's: say so plainly, keep the details in logs
            log.exception("Test connection failed unexpectedly")
            message = self.tr("The test could not run; see the log for details.")
            verdict = Verdict(False, "error", message)
        finally:
            self.test_button.setEnabled(True)
        self._show_verdict(localize(verdict.message), "verdictOk" if verdict.ok else "verdictFail")
        self.connectionTested.emit(verdict)

    def _show_verdict(self, text: str, role: str) -> None:
        self.verdict.setText(text)
        set_role(self.verdict, role)
        self.verdict.show()
