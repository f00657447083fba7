"""The draft and the sent reply side by side, the differences marked (issue 6, part 2).

``DiffView`` (objectName ``diffView``) paints ``Comparison.segments`` into two read-only text
views: on the draft's side what the agent deleted or replaced (red background, struck through),
on the sent reply's side what the agent wrote instead (green background). Under them one line
says how much changed: the store's own edit measure (``app.store.edits``), so the inspector and
the history agree. Colours come from ``theme.colours()`` when the texts are painted, so a view
made in the dark theme is dark.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QGridLayout, QTextEdit, QWidget

from app.supervisor.diff import Comparison
from ui.i18n import translate
from ui.step_views import label
from ui.theme import colours

LEVEL_NAMES = {
    "unedited": QT_TRANSLATE_NOOP("DiffView", "unedited"),
    "light": QT_TRANSLATE_NOOP("DiffView", "lightly edited"),
    "rewritten": QT_TRANSLATE_NOOP("DiffView", "rewritten"),
}
MIN_LINES, MAX_LINES = 3, 18
DELETED_OPS = frozenset({"delete", "replace"})  # marked on the draft's side
INSERTED_OPS = frozenset({"insert", "replace"})  # marked on the sent reply's side


def level_name(level: str) -> str:
    source = LEVEL_NAMES.get(level)
    return translate("DiffView", str(source)) if source else level


class DiffText(QTextEdit):
    """One side: read-only, selectable, as tall as its text (up to ``MAX_LINES``)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def content_height(self) -> int:
        lines = self.fontMetrics().lineSpacing()
        text = int(self.document().size().height())
        return min(max(text, MIN_LINES * lines), MAX_LINES * lines) + 2 * self.frameWidth()


class DiffView(QWidget):
    """Draft (left) and sent reply (right); ``show_comparison`` or ``show_unsent`` fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diffView")
        self.draft = DiffText("diffDraft")
        self.sent = DiffText("diffSent")
        self.sent.setAccessibleName(self.tr("Sent reply"))
        self.draft.setAccessibleName(self.tr("Draft"))
        self.summary = label("", "muted", wrap=True)
        self.summary.setObjectName("diffSummary")
        self.not_sent = label(self.tr("Not sent yet"), "notice")
        self.not_sent.setObjectName("diffNotSent")
        self.not_sent.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.addWidget(label(self.tr("Draft"), "section"), 0, 0)
        grid.addWidget(label(self.tr("Sent reply"), "section"), 0, 1)
        grid.addWidget(self.draft, 1, 0)
        grid.addWidget(self.sent, 1, 1)
        grid.addWidget(self.not_sent, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.summary, 2, 0, 1, 2)
        grid.setRowStretch(3, 1)  # extra height below, never between the rows
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for side in (self.draft, self.sent):  # wrapping is laid out lazily: refit on changes
            side.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.show_unsent(None)

    def show_comparison(self, comparison: Comparison) -> None:
        """Both texts with their differences marked, and the edit measure."""
        palette = colours()
        deleted = _format(palette.danger_soft, palette.danger, strike=True)
        inserted = _format(palette.success_soft, palette.success)
        plain = QTextCharFormat()
        self.draft.clear()
        self.sent.clear()
        draft, sent = QTextCursor(self.draft.document()), QTextCursor(self.sent.document())
        for segment in comparison.segments:
            draft.insertText(segment.draft_text, deleted if segment.op in DELETED_OPS else plain)
            sent.insertText(segment.sent_text, inserted if segment.op in INSERTED_OPS else plain)
        text = self.tr("Edit distance {distance} characters · {percent}% changed · {level}")
        self.summary.setText(
            text.format(
                distance=f"{comparison.distance:,}",
                percent=round(comparison.ratio * 100),
                level=level_name(comparison.level),
            )
        )
        self.summary.show()
        self.not_sent.hide()
        self.sent.show()
        self._fit()

    def show_unsent(self, draft: str | None, notice: str | None = None) -> None:
        """Nothing to compare: the draft alone (if the run made one) and ``notice`` (by default
        "Not sent yet") where the sent reply would be."""
        self.not_sent.setText(notice or self.tr("Not sent yet"))
        self.draft.setPlainText(draft or "")
        if not draft:
            self.draft.setPlaceholderText(self.tr("This run made no draft."))
        self.sent.clear()
        self.sent.hide()
        self.not_sent.show()
        self.summary.clear()
        self.summary.hide()
        self._fit()

    def _fit(self, *_size: object) -> None:
        # Both sides as tall as the taller one, so the texts line up and the column scrolls.
        height = max(self.draft.content_height(), self.sent.content_height())
        self.draft.setFixedHeight(height)
        self.sent.setFixedHeight(height)


def _format(background: str, foreground: str, *, strike: bool = False) -> QTextCharFormat:
    marked = QTextCharFormat()
    marked.setBackground(QColor(background))
    marked.setForeground(QColor(foreground))
    marked.setFontStrikeOut(strike)
    return marked
