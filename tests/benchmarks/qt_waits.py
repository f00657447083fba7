"""Qt for the benchmarks' view passes: the application as the app sets it up, and waits on a
widget's paint or a signal that run Qt's event loop (a local ``QEventLoop``) and never sleep."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

from ui.theme import apply_theme

TIMEOUT_MS = 60_000  # a wait this long is a broken benchmark, not a slow view
QUIET = ("This plugin does not support propagateSizeHints()",)  # the offscreen platform's


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing  # pytest-qt's, with its own message handler and theme
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qInstallMessageHandler(_print_unless_quiet)
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)  # as ui.app.run_gui
    apply_theme(app)
    return app


def _print_unless_quiet(kind: QtMsgType, _context: object, message: str) -> None:
    if message not in QUIET:
        print(f"Qt {kind.name}: {message}", file=sys.stderr)


def run_until(loop: QEventLoop, what: str) -> None:
    """Run ``loop`` until something quits it; TimeoutError after ``TIMEOUT_MS``."""
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    guard.start(TIMEOUT_MS)
    loop.exec()
    if not guard.isActive():
        raise TimeoutError(f"no {what} within {TIMEOUT_MS // 1000} s")
    guard.stop()


class PaintWait(QObject):
    """Times a gesture until ``widget`` has painted after it."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._loop = QEventLoop(self)
        self._armed = False
        self._what = f"paint of {widget.objectName() or type(widget).__name__}"
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if self._armed and event.type() == QEvent.Type.Paint:
            self._armed = False
            self._loop.quit()  # exec() returns once this paint is done
        return False

    def timed(
        self, gesture: Callable[[], object], expect: Callable[[], bool] | None = None
    ) -> float:
        """Seconds from calling ``gesture`` to the end of the next paint; no wait for one when
        ``expect()`` says the gesture changed nothing the widget shows."""
        self._armed = True
        start = time.perf_counter()
        gesture()
        if self._armed and (expect is None or expect()):
            run_until(self._loop, self._what)
        self._armed = False
        return time.perf_counter() - start


def until_signal(signal: Any, gesture: Callable[[], object]) -> float:
    """Seconds from calling ``gesture`` until ``signal`` is emitted (whatever its payload)."""
    loop, fired = QEventLoop(), []

    def done(*_payload: object) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(done)
    try:
        start = time.perf_counter()
        gesture()
        if not fired:
            run_until(loop, "signal")
        return time.perf_counter() - start
    finally:
        signal.disconnect(done)


def dispose(widget: QWidget) -> None:
    """Close and delete ``widget`` now, on this thread (its children too)."""
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
