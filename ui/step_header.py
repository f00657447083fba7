"""A step panel's header: the fold toggle, title, model, state, live timer and token counts.

The whole header is the toggle: a click, or Space/Enter when it has keyboard focus (Tab reaches
it), folds or unfolds the panel.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
)

from ui.i18n import translate
from ui.step_views import label
from ui.theme import set_role, set_state

ARROW_OPEN, ARROW_CLOSED = "▾", "▸"
# What each state is called on screen (the state itself stays the style sheet's key).
STATE_NAMES = {
    "queued": QT_TRANSLATE_NOOP("StepState", "queued"),
    "waiting": QT_TRANSLATE_NOOP("StepState", "waiting"),
    "streaming": QT_TRANSLATE_NOOP("StepState", "streaming"),
    "done": QT_TRANSLATE_NOOP("StepState", "done"),
    "failed": QT_TRANSLATE_NOOP("StepState", "failed"),
    "skipped": QT_TRANSLATE_NOOP("StepState", "skipped"),
    "cached": QT_TRANSLATE_NOOP("StepState", "cached"),
    "kept": QT_TRANSLATE_NOOP("StepState", "kept"),
    "stopped": QT_TRANSLATE_NOOP("StepState", "stopped"),
    "not run": QT_TRANSLATE_NOOP("StepState", "not run"),
}


class ElidedLabel(QLabel):
    """A label that shrinks with "…" instead of pushing its neighbours out of the header."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(20)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment()), text)


class StepHeader(QFrame):
    # (): the user asked to fold or unfold the panel (click, Space or Enter)
    toggleRequested = Signal()

    def __init__(self, number: int, title: str) -> None:
        super().__init__()
        self.setObjectName("stepHeader")
        set_role(self, "stepHeader")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.arrow = label(ARROW_OPEN)
        self.title = label(f"{number}  {title}", "stepTitle")
        self._title = title
        self.setAccessibleName(title)
        self.model = ElidedLabel()
        set_role(self.model, "muted")
        self.tokens = label("", "muted")
        self.tokens.setObjectName("stepTokens")
        self.elapsed = label("", "muted")
        self.elapsed.setObjectName("stepElapsed")
        self.state = label("")
        self.state.setObjectName("stepState")
        self.rerun = QToolButton()
        self.rerun.setObjectName("stepRerun")
        self.rerun.setText("↻")
        self.rerun.setToolTip(self.tr("Run this step again, and the steps after it"))
        self.rerun.setAccessibleName(self.tr("Re-run {step}").format(step=title))
        set_role(self.rerun, "fold")
        self.rerun.hide()
        # Two lines, so a long model name is not squeezed by the figures: title, model, state;
        # then time, tokens and cost under the title.
        top = QHBoxLayout()
        top.setSpacing(8)
        for widget in (self.arrow, self.title):
            top.addWidget(widget)
        top.addWidget(self.model, 1)
        top.addWidget(self.state)
        top.addWidget(self.rerun)
        figures = QHBoxLayout()
        figures.setSpacing(12)
        figures.addSpacing(self.arrow.sizeHint().width() + 8)
        figures.addWidget(self.elapsed)
        figures.addWidget(self.tokens)
        figures.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(figures)

    def set_expanded(self, expanded: bool) -> None:
        self.arrow.setText(ARROW_OPEN if expanded else ARROW_CLOSED)
        self.setAccessibleDescription(self.tr("expanded") if expanded else self.tr("collapsed"))

    def set_model(self, model: str) -> None:
        self.model.setText(model)
        self.model.setToolTip(self.tr("Model: {model}").format(model=model) if model else "")

    def set_state(self, state: str) -> None:
        self.state.setText(translate("StepState", STATE_NAMES.get(state, state)))
        said = self.tr("{step}: {state}").format(step=self._title, state=self.state.text())
        self.setAccessibleName(said)  # what a screen reader announces on the folding header
        set_state(self.state, state)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.toggleRequested.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggleRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
