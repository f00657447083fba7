"""The UI streaming benchmark's instruments and its two windows (the real panels, the naive ones).

* ``Ticks``: a 1 ms ``Qt.TimerType.PreciseTimer`` on the main thread noting ``perf_counter()`` at
  every tick. A tick can only run when the main loop is free, so the gap between two ticks is the
  longest the loop could not react (a stall): 1 ms when idle.
* ``PaintLog``: an event filter on each text view's viewport noting every ``QEvent.Paint``: its
  time, the document's length then (``characterCount() - 1``, UTF-16 units) and whether the view
  showed the end of its text (scroll bar at its maximum). Cheap enough to run on every paint; the
  full text is compared once, after the run. A panel's finished-answer view (the markdown one)
  counts from its first paint.
* ``rendered_at``: when a view had painted its whole text: the first tick after the first paint
  that began with the document at its final length and scrolled to the end. Painting runs on the
  main thread, so that tick came after the paint finished (and after anything else the loop did
  first: an upper bound).

The windows: the real one is ``ui.steps_pane.StepsPane`` (four ``StepPanel``s) as in the main
window's right-hand column, 450 px wide and tall enough to show all four panels at their full
12 lines; the naive one has four ``NaivePanel``s of the same size in the same column.
"""

from __future__ import annotations

import bisect
import itertools
import time
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.step_views import label
from ui.steps_pane import StepsPane

WIDTH = 450  # the main window's steps column (ui/main_window.py: setSizes([270, 560, 450]))
HEIGHT = 1240  # four panels at their full 12 lines, headers and margins included


class Ticks(QObject):
    """``perf_counter()`` at every tick of a 1 ms precise timer on the main thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.times = array("d")
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.times.append(time.perf_counter())

    def start(self) -> None:
        self.times = array("d")
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def gaps_ms(self, start: float, end: float) -> list[float]:
        """Gaps between consecutive ticks in [start, end], the ones at its edges included."""
        low = bisect.bisect_left(self.times, start)
        high = bisect.bisect_right(self.times, end)
        inside = [start, *self.times[low:high], end]
        return [(b - a) * 1000 for a, b in itertools.pairwise(inside)]

    def first_after(self, moment: float) -> float | None:
        index = bisect.bisect_right(self.times, moment)
        return self.times[index] if index < len(self.times) else None


@dataclass(frozen=True)
class Paint:
    at: float  # perf_counter() when the paint event reached the viewport
    length: int  # the document's length then, in UTF-16 units
    at_end: bool  # the view was scrolled to the end of its text (scroll bar at its maximum)
    final: bool  # a finished-answer view (``StepPanel.rendered``), not the stream view


class PaintLog(QObject):
    """Every paint of the given views, per step: each step's stream view, and the view that
    replaces it once the step is done where the panel has one (``StepPanel.rendered``, the
    answer rendered from markdown: given its whole text at once, so any paint of it shows it)."""

    def __init__(
        self,
        streams: Mapping[str, QAbstractScrollArea],
        finals: Mapping[str, QAbstractScrollArea] | None = None,
    ) -> None:
        super().__init__()
        self.paints: dict[str, list[Paint]] = {step: [] for step in streams}
        self._views = {view.viewport(): (step, view, False) for step, view in streams.items()}
        for step, view in (finals or {}).items():
            self._views[view.viewport()] = (step, view, True)
        for viewport in self._views:
            viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            entry = self._views.get(watched)  # type: ignore[call-overload]
            if entry is not None:
                step, view, final = entry
                bar = view.verticalScrollBar()
                length = _document(view).characterCount() - 1
                at_end = bar.value() == bar.maximum()
                self.paints[step].append(Paint(time.perf_counter(), length, at_end, final))
        return False

    def detach(self) -> None:
        for viewport in self._views:
            viewport.removeEventFilter(self)

    def rendered_at(self, step: str, length: int, ticks: Ticks) -> float | None:
        """When the step's whole text (``length`` UTF-16 units) was first on screen, or None.

        The stream view's text only grows, so the paints of its whole text are its last ones:
        searched from the end for the earliest that also showed the end of the text."""
        found: Paint | None = None
        for paint in reversed([p for p in self.paints[step] if not p.final]):
            if paint.length != length:
                break
            found = paint if paint.at_end else found
        final = next((p for p in self.paints[step] if p.final and p.length > 0), None)
        if final is not None and (found is None or final.at < found.at):
            found = final
        return None if found is None else ticks.first_after(found.at)

    def count(self, step: str, start: float, end: float) -> int:
        """Paints of the step's views in [start, end]."""
        return sum(start <= paint.at <= end for paint in self.paints[step])


def _document(view: QAbstractScrollArea) -> QTextDocument:
    assert isinstance(view, QPlainTextEdit | QTextEdit)
    return view.document()


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class NaivePanel(QTextEdit):
    """The naive design: each delta inserted at the end as it comes, the view scrolled to it and
    repainted at once (``repaint()``, not ``update()``): one re-render per token."""

    def __init__(self, height: int) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(height)

    def append_now(self, text: str) -> None:
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        self.viewport().repaint()


def real_window(steps: Sequence[object]) -> tuple[QWidget, StepsPane]:
    window = QWidget()
    window.setObjectName("uiStreamingReal")
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    pane = StepsPane(steps)  # type: ignore[arg-type]  # StepSpec has .name and .title
    for panel in pane.panels.values():
        # The reasoning panel folds when it finishes; kept open here so that its end is painted
        # like the others' (the measurement is the text reaching the screen).
        panel.fold_when_done = False
    layout.addWidget(pane)
    window.resize(WIDTH, HEIGHT)
    return window, pane


def naive_window(steps: Sequence[str], height: int) -> tuple[QWidget, dict[str, NaivePanel]]:
    window = QWidget()
    window.setObjectName("uiStreamingNaive")
    layout = QVBoxLayout(window)
    layout.setContentsMargins(8, 8, 10, 8)
    panels = {}
    for step in steps:
        layout.addWidget(label(step.capitalize(), "section"))
        panels[step] = NaivePanel(height)
        layout.addWidget(panels[step])
    layout.addStretch(1)
    window.resize(WIDTH, HEIGHT)
    return window, panels
