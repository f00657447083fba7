"""Start the desk: QApplication, the qasync loop, the crash hook, the workspace and the window."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.store import StoreError
from ui.contracts import WorkspaceLike
from ui.gc_guard import GuiThreadCollector
from ui.loop import StepwiseLoop, install_excepthook
from ui.main_window import MainWindow
from ui.theme import apply_theme

WorkspaceFactory = Callable[[bool], WorkspaceLike]


def open_workspace(demo: bool) -> WorkspaceLike:
    from app.workspace import Workspace  # the core (client, runner, simulator) loads only here

    return Workspace.open(demo=demo)


def run_gui(demo: bool, workspace_factory: WorkspaceFactory = open_workspace) -> int:
    """Show the main window until it is closed; returns the process exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Stepwise")
    app.setQuitOnLastWindowClosed(False)  # the loop ends when *our* window closes, see below
    apply_theme(app)
    loop = StepwiseLoop(app)
    asyncio.set_event_loop(loop)
    uninstall_hook = install_excepthook()
    collector = GuiThreadCollector(app)
    collector.start()
    try:
        try:
            workspace = workspace_factory(demo)
        except StoreError as err:  # the environment's fault: say so, no traceback
            QMessageBox.critical(None, "Stepwise cannot start", str(err))
            return 2
        return loop.run_until_complete(_session(workspace))  # type: ignore[no-any-return]
    finally:
        collector.stop()
        uninstall_hook()
        asyncio.set_event_loop(None)
        loop.close()


def _close_on_signals(window: MainWindow) -> Callable[[], None]:
    """Ctrl+C or SIGTERM in a terminal closes the window the normal way (drafts saved).

    Python runs signal handlers only when it gets control, which Qt's C++ event loop does not
    give it while idle: a light timer hands it control a few times a second.
    """
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: window.close())
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(250)

    def restore() -> None:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


async def _session(workspace: WorkspaceLike) -> int:
    window = MainWindow(workspace)
    closed = asyncio.get_running_loop().create_future()

    def on_closed() -> None:
        if not closed.done():
            closed.set_result(None)

    window.closed.connect(on_closed)
    window.show()
    restore = _close_on_signals(window)
    try:
        await closed
    finally:
        restore()
        window.deleteLater()
        await workspace.aclose()
        await asyncio.get_running_loop().shutdown_asyncgens()
    return 0
