"""The asyncio event loop Stepwise runs on, and the crash dialog for errors nobody caught.

qasync drives asyncio from Qt's event loop but, unlike ``BaseEventLoop.run_forever``, never
installs asyncio's async-generator hooks. Without them an async generator left early (an httpx
stream the user stopped) is not finalised by the loop, and Python warns about it being collected
while still open. ``StepwiseLoop`` installs the hooks for as long as the loop runs.

qasync hands exceptions from ``@asyncSlot`` coroutines to ``sys.excepthook``; ``install_excepthook``
logs them and tells the agent in plain words, with the (redacted) traceback under "details".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import traceback
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import qasync
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QMessageBox, QWidget

from app.logs import redact

log = logging.getLogger("stepwise.ui")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


class StepwiseLoop(qasync.QEventLoop):  # type: ignore[misc]  # qasync ships no type hints
    """qasync's loop plus asyncio's async-generator finaliser hooks."""

    def run_forever(self) -> Any:
        with self.asyncgen_hooks():
            return super().run_forever()

    @contextlib.contextmanager
    def asyncgen_hooks(self) -> Iterator[None]:
        """Install this loop's async-generator hooks, restoring the previous ones afterwards.

        ``run_forever`` uses it; code that attaches the loop to an already running Qt event loop
        (``already_running=True``, as the widget tests do) wraps its lifetime in it as well.
        """
        previous = sys.get_asyncgen_hooks()
        sys.set_asyncgen_hooks(
            firstiter=self._asyncgen_firstiter_hook, finalizer=self._asyncgen_finalizer_hook
        )
        try:
            yield
        finally:
            sys.set_asyncgen_hooks(*previous)


CRASH_TEXT = (
    "Something went wrong inside Stepwise.\n\n"
    "Your drafts are saved as you type, so nothing you wrote is lost. You can keep working; "
    "if this happens again, restart Stepwise and send the details below to your admin."
)


class _CrashReporter:
    """The installed hook: logs every uncaught error, shows one crash dialog at a time."""

    def __init__(self, parent: QWidget | None, previous: ExceptHook) -> None:
        self.parent = parent
        self.previous = previous
        self.dialog: QMessageBox | None = None

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        log.critical("Uncaught exception", exc_info=(exc_type, exc, tb))
        if self.dialog is not None and self.dialog.isVisible():
            return  # one dialog is enough; the log has every occurrence
        try:
            self.dialog = crash_dialog(self.parent, exc_type, exc, tb)
            self.dialog.open()  # not exec(): a nested modal loop inside a qasync callback
        except Exception:  # the hook must never raise; the error is already logged
            log.exception("Could not show the crash dialog")


def crash_dialog(
    parent: QWidget | None,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Stepwise: unexpected error")
    box.setText(CRASH_TEXT)
    box.setInformativeText(f"Error type: {exc_type.__name__}")
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    box.setDetailedText(redact(details))  # keys and bearer tokens never reach the screen
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box


def install_excepthook(parent: QWidget | None = None) -> Callable[[], None]:
    """Route uncaught exceptions to the log and a crash dialog; returns an uninstaller."""
    reporter = _CrashReporter(parent, sys.excepthook)
    sys.excepthook = reporter

    def uninstall() -> None:
        if sys.excepthook is reporter:
            sys.excepthook = reporter.previous

    return uninstall


def when_emitted(signal: SignalInstance) -> asyncio.Future[None]:
    """A future done at ``signal``'s next emission: how a coroutine waits for a dialog or the
    window to close without a nested event loop (connect before showing, then await)."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_emit(*_: object) -> None:
        if not done.done():
            done.set_result(None)

    signal.connect(on_emit)
    return done
