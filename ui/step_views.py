"""The parts of a step panel's body: the streaming text view, the structured views a step shows
when it finishes (intent chips, retrieved records with provenance) and the failure box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.formatting import format_date, humanize
from ui.i18n import translate
from ui.theme import set_role

CHIPS_PER_ROW = 3
NO_IMAGE = ":/qt-project.org/styles/commonstyle/images/file-16.png"  # Qt's broken-image icon
_KIND_TITLES = {
    "order": QT_TRANSLATE_NOOP("StepViews", "Order"),
    "customer": QT_TRANSLATE_NOOP("StepViews", "Customer"),
    "policy": QT_TRANSLATE_NOOP("StepViews", "Policy"),
}


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


class MarkdownView(QTextBrowser):
    """A finished answer rendered from markdown once (headings, lists, emphasis, code), never
    per token. The text comes from a model that read a customer's ticket, so it is shown, never
    obeyed (tests/hostile): raw HTML stays visible as text (a ``<script>`` or ``<!--`` would
    otherwise hide everything after it), links are inert text, and nothing an answer names
    (an image, a style sheet) is ever loaded, from the network or from a disk."""

    # Beyond this many characters the text stays plain: rendering costs ~0.6 ms per 1,000
    # characters on the main thread, and two steps may finish in the same frame; 15,000 keeps
    # each under ~10 ms (a support reply is a few hundred words).
    MAX_CHARS = 15_000
    FEATURES = (
        QTextDocument.MarkdownFeature.MarkdownDialectGitHub
        | QTextDocument.MarkdownFeature.MarkdownNoHTML
    )

    def __init__(self, max_height_lines: int = 12) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._max_lines = max_height_lines
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)

    def show_markdown(self, text: str) -> None:
        self.document().setMarkdown(text, self.FEATURES)
        self._fit_height()

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        """Never what ``name`` points at: QTextBrowser would read a ``file:`` image an answer
        names (on Windows a ``file://host/share`` one is an SMB log-in that hands the host the
        user's credentials). An image gets Qt's own broken-image icon, not a null answer, on
        which Qt would read the file itself."""
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return QImage(NO_IMAGE)
        return QByteArray()

    def _fit_height(self, *_size: object) -> None:
        content = int(self.document().size().height())
        most = self._max_lines * self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        self.setFixedHeight(min(content, most) + margins.top() + margins.bottom() + 2)

    def resizeEvent(self, event: Any) -> None:
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
        parts.append(translate("StepViews", "Orders {orders}").format(orders=", ".join(orders)))
    if data.get("deadline"):
        deadline = format_date(str(data["deadline"]))
        parts.append(translate("StepViews", "Deadline {date}").format(date=deadline))
    for key, text in _ENTITY_LABELS.items():
        if data.get(key):
            value = str(data[key])
            shown = value if key == "language" else humanize(value)
            parts.append(translate("StepViews", text).format(value=shown))
    actions = [str(a) for a in _list(data.get("requested_actions"))]
    if actions:
        parts.append(translate("StepViews", "Asks: {actions}").format(actions="; ".join(actions)))
    return " · ".join(parts)


_ENTITY_LABELS = {
    "urgency": QT_TRANSLATE_NOOP("StepViews", "Urgency {value}"),
    "sentiment": QT_TRANSLATE_NOOP("StepViews", "Sentiment {value}"),
    "language": QT_TRANSLATE_NOOP("StepViews", "Language {value}"),
}


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
        text = translate("StepViews", "Not found in the store for this customer: {orders}")
        note = label(text.format(orders=", ".join(missing)), "notice", wrap=True)
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
    title = (
        translate("StepViews", _KIND_TITLES[kind]) if kind in _KIND_TITLES else kind.capitalize()
    )
    top.addWidget(label(title or translate("StepViews", "Record"), "badge"))
    text = label(str(record.get("label", "")), wrap=True)
    text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    top.addWidget(text, 1)
    where = translate("StepViews", "source: {id}").format(id=record.get("id", "?"))
    source = label(where, "muted")
    source.setObjectName("recordSource")
    source.setToolTip(translate("StepViews", "The store record this fact comes from"))
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
# other model would fix either; the rest may pass on the route's fallback model. A provider out
# of reach (or whose certificate is refused) may have a wrong address: Settings, and Retry.
SETTINGS_KINDS = frozenset(
    {
        "AuthError",
        "PermissionDenied",
        "ConfigError",
        "NotFound",
        "PaymentRequired",
        "ContextOverflow",
        "Unreachable",
        "TLSFailure",
    }
)
# Another model may know the name, or take a longer ticket: those two may still fall back.
NO_FALLBACK_KINDS = SETTINGS_KINDS - {"NotFound", "ContextOverflow"} | {"StepCancelled"}


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
        self.retry_button = _action("stepRetry", self.tr("Retry"), self.tr("Run this step again"))
        self.retry_button.clicked.connect(self.retryRequested)
        self.fallback_button = _action("stepFallback", self.tr("Use fallback model"), "")
        self.fallback_button.clicked.connect(self.fallbackRequested)
        self.settings_button = _action(
            "stepSettings", self.tr("Open settings"), self.tr("Change provider or model")
        )
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
        kept = self.tr("The text produced before the failure is kept above.")
        self.message.setText(f"{message}\n{kept}" if partial else message)
        self.fallback_button.setVisible(bool(fallback_model) and kind not in NO_FALLBACK_KINDS)
        use = self.tr("Use {model}").format(model=fallback_model)
        self.fallback_button.setText(use if fallback_model else "")
        self.fallback_button.setAccessibleName(self.fallback_button.text())
        tip = self.tr("Run this step again on {model}").format(model=fallback_model)
        self.fallback_button.setToolTip(tip)
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
