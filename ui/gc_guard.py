"""Python's garbage collection on the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold is crossed, for
example the demo simulator's thread. If it then frees a cycle holding Qt wrappers, their C++
objects are deleted off the GUI thread, which crashes Qt later at random. While the window is
open, automatic collection is off and a GUI-thread timer collects by the same thresholds.

What exists when the collector starts (the modules, Qt's and ours) lives as long as the app, yet a
full collection would walk it every time: 35-45 ms, a visible stall in a streaming window. It is
collected once and frozen (``gc.freeze``), which takes it out of later collections.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        gc.disable()
        gc.collect()
        gc.freeze()
        self._timer.start(INTERVAL_MS)

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def collect(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for index in range(3):
            if counts[index] > thresholds[index]:
                generation = index
        if generation >= 0:
            gc.collect(generation)
