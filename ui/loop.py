"""The asyncio event loop Stepwise runs on, and the crash dialog for errors nobody caught.

qasync drives asyncio from Qt's event loop but, unlike ``BaseEventLoop.run_forever``, never
installs asyncio's async-generator hooks. Without them an async generator left early (an httpx
stream the user stopped) is not finalised by the loop, and Python warns about it being collected
while still open. ``StepwiseLoop`` installs the hooks for as long as the loop runs.

qasync hands exceptions from ``@asyncSlot`` coroutines to ``sys.excepthook``; ``install_excepthook``
logs them, writes a crash report without secrets (``app.crash_report``) and tells the agent in
plain words where the report is, with the (redacted) traceback under "details".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import PySide6
import qasync
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, SignalInstance, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from app.crash_report import CrashReports, scrub
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


CRASH_TEXT = QT_TRANSLATE_NOOP(
    "CrashDialog",
    "Something went wrong inside Stepwise.\n\n"
    "Your drafts are saved as you type, so nothing you wrote is lost. You can keep working; "
    "if this happens again, restart Stepwise and send the details below to your admin.",
)


def ui_versions() -> dict[str, str]:
    """The versions a crash report names besides Python's and Stepwise's own."""
    return {"Qt": qVersion(), "PySide6": PySide6.__version__}


class _CrashReporter:
    """The installed hook: logs every uncaught error, writes a report for each, and shows one
    crash dialog at a time."""

    def __init__(
        self, parent: QWidget | None, previous: ExceptHook, reports: CrashReports | None
    ) -> None:
        self.parent = parent
        self.previous = previous
        self.reports = reports
        self.dialog: QMessageBox | None = None

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        # The traceback as text, scrubbed of the known keys too (the log's own redaction knows
        # only the shapes of keys); the report scrubs the same way.
        secrets = self.reports.secrets() if self.reports is not None else []
        details = scrub("".join(traceback.format_exception(exc_type, exc, tb)), secrets)
        log.critical("Uncaught exception\n%s", details.rstrip())
        report = self._write_report(exc_type, exc, tb)
        if self.dialog is not None and self.dialog.isVisible():
            return  # one dialog is enough; the log and the reports have every occurrence
        try:
            self.dialog = crash_dialog(self.parent, exc_type, exc, tb, report, details)
            self.dialog.open()  # not exec(): a nested modal loop inside a qasync callback
        except Exception:  # the hook must never raise; the error is already logged
            log.exception("Could not show the crash dialog")

    def _write_report(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> Path | OSError | None:
        """The report's path, the error that stopped it being written, or None (no reports)."""
        if self.reports is None:
            return None
        try:
            return self.reports.write(exc_type, exc, tb)
        except OSError as err:
            return err
        except Exception:  # never raise from the hook
            log.exception("Could not write the crash report")
            return None


def crash_dialog(
    parent: QWidget | None,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    report: Path | OSError | None = None,
    details: str | None = None,
) -> QMessageBox:
    """The dialog; ``details`` is the scrubbed traceback (the exception's, redacted, if None)."""
    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    translate = QCoreApplication.translate
    box.setWindowTitle(translate("CrashDialog", "Stepwise: unexpected error"))
    box.setText(translate("CrashDialog", str(CRASH_TEXT)))
    info = translate("CrashDialog", "Error type: {name}").format(name=exc_type.__name__)
    if isinstance(report, Path):
        where = translate("CrashDialog", "A report (without your API keys) was saved to:\n{path}")
        info += "\n\n" + where.format(path=report)
    elif isinstance(report, OSError):
        problem = translate("CrashDialog", "The crash report could not be saved: {reason}")
        info += "\n\n" + problem.format(reason=report.strerror or str(report))
    box.setInformativeText(info)
    if details is None:
        details = redact("".join(traceback.format_exception(exc_type, exc, tb)))
    box.setDetailedText(details)  # keys and bearer tokens never reach the screen
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box


def install_excepthook(
    parent: QWidget | None = None, reports: CrashReports | None = None
) -> Callable[[], None]:
    """Route uncaught exceptions to the log, a crash report in ``reports`` (none if None) and a
    crash dialog; returns an uninstaller."""
    reporter = _CrashReporter(parent, sys.excepthook, reports)
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
