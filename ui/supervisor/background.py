"""One job at a time off the UI thread, its outcome delivered back on the UI thread.

The supervisor's heavier reads (the dashboard over 100,000 runs takes about half a second) run in
a worker thread with a read-only Store of their own: a sqlite3 connection belongs to the thread
that made it. SQLite releases the GIL while it reads, so the window keeps painting meanwhile.

Only the latest job's outcome is delivered: when the supervisor changes the period twice, the
first answer, if it arrives late, is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal


class _Relay(QObject):
    # (int, bool, object): job number, whether it succeeded, its result or its exception
    arrived = Signal(int, bool, object)


class Background(QObject):
    # (object): the latest job's result
    done = Signal(object)
    # (object): the exception the latest job raised
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.arrived.connect(self._arrive, Qt.ConnectionType.QueuedConnection)
        self._latest = 0

    def submit(self, work: Callable[[], object]) -> None:
        """Run ``work`` in the worker thread; a job submitted earlier no longer reports."""
        self._latest += 1
        number, relay = self._latest, self._relay

        def job() -> None:
            try:
                result = work()
            except Exception as err:  # delivered to the UI thread, shown there
                relay.arrived.emit(number, False, err)
            else:
                relay.arrived.emit(number, True, result)

        self._pool.start(job)

    def busy(self) -> bool:
        return self._pool.activeThreadCount() > 0

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the worker is idle (closing the window; tests)."""
        return self._pool.waitForDone(timeout_ms)

    def _arrive(self, number: int, ok: bool, outcome: object) -> None:
        if number != self._latest:
            return
        if ok:
            self.done.emit(outcome)
        else:
            self.failed.emit(outcome)
