"""Start the desk: QApplication, the qasync loop, the crash hook, the workspace and the window."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox

from app.store import StoreError
from ui.contracts import WorkspaceLike
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
    try:
        try:
            workspace = workspace_factory(demo)
        except StoreError as err:  # the environment's fault: say so, no traceback
            QMessageBox.critical(None, "Stepwise cannot start", str(err))
            return 2
        return loop.run_until_complete(_session(workspace))  # type: ignore[no-any-return]
    finally:
        uninstall_hook()
        asyncio.set_event_loop(None)
        loop.close()


async def _session(workspace: WorkspaceLike) -> int:
    window = MainWindow(workspace)
    closed = asyncio.get_running_loop().create_future()

    def on_closed() -> None:
        if not closed.done():
            closed.set_result(None)

    window.closed.connect(on_closed)
    window.show()
    try:
        await closed
    finally:
        window.deleteLater()
        await workspace.aclose()
        await asyncio.get_running_loop().shutdown_asyncgens()
    return 0
