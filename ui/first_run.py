"""The first-run dialog: try the demo (no key, no network) or connect a provider.

``ui.app.run_gui`` shows it when there is no config file yet, and never with ``--demo`` or when a
caller (a test) brings its own workspace. Closing it without a choice quits: nothing was set up.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.presets import PRESETS
from ui.core_text import localize
from ui.loop import when_emitted
from ui.step_views import label
from ui.theme import set_role


@dataclass(frozen=True)
class FirstRunChoice:
    demo: bool  # True: open the demo workspace
    preset: str = ""  # with demo False: the preset to start the settings from


def _card(title: str, text: str, *widgets: QWidget) -> QFrame:
    card = QFrame()
    set_role(card, "card")
    layout = QVBoxLayout(card)
    layout.addWidget(label(title, "stepTitle"))
    layout.addWidget(label(text, "muted", wrap=True))
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    layout.addLayout(row)
    return card


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Welcome to Stepwise"))
        self.setMinimumWidth(560)
        self.choice: FirstRunChoice | None = None
        self.demo_button = QPushButton(self.tr("Try the demo"))
        self.demo_button.setObjectName("tryDemoButton")
        self.demo_button.setAccessibleName(self.tr("Try the demo"))
        self.preset = QComboBox()
        self.preset.setObjectName("firstRunPresetCombo")
        self.preset.setAccessibleName(self.tr("Provider to connect"))
        for item in PRESETS:
            self.preset.addItem(localize(item.name), item.key)
        self.preset.setCurrentIndex(max(0, self.preset.findData("openai")))
        self.preset.setMinimumWidth(240)
        self.connect_button = QPushButton(self.tr("Connect a provider…"))
        self.connect_button.setObjectName("connectProviderButton")
        self.connect_button.setAccessibleName(self.tr("Connect a provider"))
        set_role(self.connect_button, "primary")
        self.connect_button.setDefault(True)
        demo = _card(
            self.tr("Try the demo"),
            self.tr(
                "A built-in simulator plays the AI provider and a sample inbox is ready. No API "
                "key, no network; everything it shows is labelled as simulated."
            ),
            self.demo_button,
        )
        connect = _card(
            self.tr("Connect a provider"),
            self.tr(
                "Choose your provider, paste its API key (kept in the system keyring) and test "
                "the connection. You can change everything later in Settings."
            ),
            self.preset,
            self.connect_button,
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(label(self.tr("Welcome to Stepwise"), "title"))
        layout.addWidget(label(self.tr("How would you like to start?"), "muted"))
        layout.addWidget(connect)
        layout.addWidget(demo)
        QWidget.setTabOrder(self.preset, self.connect_button)
        QWidget.setTabOrder(self.connect_button, self.demo_button)
        self.demo_button.clicked.connect(self.choose_demo)
        self.connect_button.clicked.connect(self.choose_connect)

    def choose_demo(self) -> None:
        self.choice = FirstRunChoice(demo=True)
        self.accept()

    def choose_connect(self) -> None:
        self.choice = FirstRunChoice(demo=False, preset=str(self.preset.currentData()))
        self.accept()


async def ask_first_run(parent: QWidget | None = None) -> FirstRunChoice | None:
    """Show the dialog without a nested event loop; None when it was closed without a choice."""
    dialog = FirstRunDialog(parent)
    finished = when_emitted(dialog.finished)
    dialog.open()
    try:
        await finished
        return dialog.choice
    finally:
        dialog.deleteLater()
