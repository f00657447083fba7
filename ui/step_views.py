"""The parts of a step panel's body: the streaming text view, the structured views a step shows
when it finishes (intent chips, retrieved records with provenance) and the failure box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.formatting import format_date, humanize
from ui.theme import set_role

CHIPS_PER_ROW = 3
_KIND_TITLES = {"order": "Order", "customer": "Customer", "policy": "Policy"}


def label(text: str, role: str | None = None, *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)  # model and ticket text is data, never markup
    widget.setWordWrap(wrap)
    if role:
        set_role(widget, role)
    return widget


class StreamView(QPlainTextEdit):
    """Read-only text that grows at its end and follows the tail unless the user scrolled up."""

    def __init__(self, min_lines: int = 2, max_lines: int = 12) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._min_lines, self._max_lines = min_lines, max_lines
        self.char_format = QTextCharFormat()  # how appended text looks
        # Wrapping is laid out lazily (on show, resize, paint): refit whenever the count changes.
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def append(self, text: str) -> None:
        bar = self.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 2  # at the bottom: keep following
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text, self.char_format)  # incremental: never setPlainText per delta
        self._fit_height()
        if following:
            bar.setValue(bar.maximum())

    def clear_text(self) -> None:
        self.clear()
        self._fit_height()

    def _fit_height(self, *_size: object) -> None:
        lines = int(self.document().documentLayout().documentSize().height())
        shown = min(max(lines, self._min_lines), self._max_lines)
        margins = self.contentsMargins()
        frame = int(self.document().documentMargin() * 2) + margins.top() + margins.bottom()
        self.setFixedHeight(shown * self.fontMetrics().lineSpacing() + frame + 2)

    def resizeEvent(self, event: Any) -> None:  # re-wrap changes the line count
        super().resizeEvent(event)
        self._fit_height()


class ThinkingView(StreamView):
    """The model's thinking: visually apart from the answer (italic, muted, smaller)."""

    def __init__(self) -> None:
        super().__init__(min_lines=1, max_lines=8)
        set_role(self, "thinking")
        # A character format, not setFont(): the application style sheet re-resolves widget fonts.
        self.char_format.setFontItalic(True)
        self.char_format.setFontPointSize(max(self.font().pointSizeF() - 1, 7.0))


def intent_view(data: Mapping[str, Any]) -> QWidget:
    """Intent chips plus one line of entities (order ids, deadline, urgency, sentiment)."""
    box = QWidget()
    box.setObjectName("intentView")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    intents = [str(i) for i in _list(data.get("intents"))]
    for start in range(0, len(intents), CHIPS_PER_ROW):
        row = QHBoxLayout()
        row.setSpacing(6)
        for intent in intents[start : start + CHIPS_PER_ROW]:
            chip = label(humanize(intent), "chip")
            chip.setObjectName("intentChip")
            row.addWidget(chip)
        row.addStretch(1)
        layout.addLayout(row)
    entities = entities_line(data)
    if entities:
        line = label(entities, "muted", wrap=True)
        line.setObjectName("intentEntities")
        layout.addWidget(line)
    return box


def entities_line(data: Mapping[str, Any]) -> str:
    parts = []
    orders = [f"#{str(o).lstrip('#')}" for o in _list(data.get("order_ids"))]
    if orders:
        parts.append("Orders " + ", ".join(orders))
    if data.get("deadline"):
        parts.append("Deadline " + format_date(str(data["deadline"])))
    for key in ("urgency", "sentiment", "language"):
        if data.get(key):
            parts.append(f"{key.capitalize()} {data[key]}")
    actions = [str(a) for a in _list(data.get("requested_actions"))]
    if actions:
        parts.append("Asks: " + "; ".join(actions))
    return " · ".join(parts)


def records_view(data: Mapping[str, Any]) -> QWidget:
    """Each retrieved record with where it came from (its store id)."""
    box = QWidget()
    box.setObjectName("recordsView")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    for record in _list(data.get("records")):
        if isinstance(record, Mapping):
            layout.addWidget(_record_row(record))
    missing = [f"#{str(o).lstrip('#')}" for o in _list(data.get("not_found"))]
    if missing:
        note = label(
            "Not found in the store for this customer: " + ", ".join(missing), "notice", wrap=True
        )
        note.setObjectName("recordsNotFound")
        layout.addWidget(note)
    return box


def _record_row(record: Mapping[str, Any]) -> QFrame:
    row = QFrame()
    row.setObjectName("retrievedRecord")
    set_role(row, "card")
    layout = QVBoxLayout(row)
    layout.setContentsMargins(8, 6, 8, 6)
    layout.setSpacing(2)
    top = QHBoxLayout()
    kind = str(record.get("kind", ""))
    top.addWidget(label(_KIND_TITLES.get(kind, kind.capitalize() or "Record"), "badge"))
    title = label(str(record.get("label", "")), wrap=True)
    title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    top.addWidget(title, 1)
    source = label(f"source: {record.get('id', '?')}", "muted")
    source.setObjectName("recordSource")
    source.setToolTip("The store record this fact comes from")
    top.addWidget(source)
    layout.addLayout(top)
    if record.get("detail"):
        layout.addWidget(label(str(record["detail"]), "muted", wrap=True))
    return row


def structured_view(data: Mapping[str, Any] | None) -> QWidget | None:
    """The finished step's structured output, chosen by what the data holds."""
    if not data:
        return None
    if "records" in data:
        return records_view(data)
    if "intents" in data:
        return intent_view(data)
    return None


# Failures a setting fixes (the key, the URL, the model's name, the account), and failures no
# other model would fix either; the rest may pass on the route's fallback model.
SETTINGS_KINDS = frozenset(
    {"AuthError", "PermissionDenied", "ConfigError", "NotFound", "PaymentRequired"}
)
NO_FALLBACK_KINDS = SETTINGS_KINDS - {"NotFound"} | {"StepCancelled"}


class ErrorBox(QFrame):
    """A failure in plain words, inside the panel where it happened, with the ways on: Retry,
    the route's fallback model, Settings."""

    # (): run this step again, and the steps after it
    retryRequested = Signal()
    # (): run this step again on the route's fallback model
    fallbackRequested = Signal()
    # (): open Settings (the key, the URL or the model needs changing)
    settingsRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("stepError")
        set_role(self, "error")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.message = label("", wrap=True)
        self.message.setObjectName("stepErrorMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.retry_button = _action("stepRetry", "Retry", "Run this step again")
        self.retry_button.clicked.connect(self.retryRequested)
        self.fallback_button = _action("stepFallback", "Use fallback model", "")
        self.fallback_button.clicked.connect(self.fallbackRequested)
        self.settings_button = _action("stepSettings", "Open settings", "Change provider or model")
        self.settings_button.clicked.connect(self.settingsRequested)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.fallback_button, self.settings_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.hide()

    def show_message(
        self, message: str, partial: bool, kind: str = "", fallback_model: str = ""
    ) -> None:
        kept = "\nThe text produced before the failure is kept above." if partial else ""
        self.message.setText(message + kept)
        self.fallback_button.setVisible(bool(fallback_model) and kind not in NO_FALLBACK_KINDS)
        self.fallback_button.setText(f"Use {fallback_model}" if fallback_model else "")
        self.fallback_button.setToolTip(f"Run this step again on {fallback_model}")
        self.settings_button.setVisible(kind in SETTINGS_KINDS)
        self.show()

    def set_actions_enabled(self, enabled: bool) -> None:
        """Off while a run is in progress: a retry would cancel it."""
        for button in (self.retry_button, self.fallback_button):
            button.setEnabled(enabled)


def _action(name: str, text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(text)
    return button


def _list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list | tuple) else []
