"""Start the desk: QApplication, the qasync loop, the crash hook, the workspace and the window.

On the very first start (no config file yet) the first-run dialog asks first: the demo, or a
provider, whose settings dialog then opens before the main window.

The workspace is opened with its single-instance lock (``app.instance_lock``): a second Stepwise
on the same data folder says so in a dialog and exits with code 2, rather than bringing the first
window forward. Raising another process's window needs a local socket server in every instance
and still fails across user sessions or a hung first instance, while the sentence always helps.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.crash_report import CrashReports, LogTail
from app.instance_lock import WorkspaceInUse
from app.paths import resource_path
from app.store import StoreError
from ui import update_notice
from ui.contracts import WorkspaceLike
from ui.core_text import localize
from ui.first_run import ask_first_run
from ui.gc_guard import GuiThreadCollector
from ui.i18n import install_language, translate
from ui.loop import StepwiseLoop, install_excepthook, ui_versions, when_emitted
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog
from ui.theme import apply_theme

WorkspaceFactory = Callable[[bool], WorkspaceLike]


def open_workspace(demo: bool) -> WorkspaceLike:
    from app.workspace import Workspace  # the core (client, runner, simulator) loads only here

    return Workspace.open(demo=demo, single_instance=True)


def needs_first_run(demo: bool) -> bool:
    """No config file yet in the real workspace (the demo never writes one)."""
    if demo:
        return False
    from app.paths import data_root
    from app.workspace import CONFIG_NAME

    return not (data_root() / CONFIG_NAME).exists()


def run_gui(
    demo: bool,
    workspace_factory: WorkspaceFactory = open_workspace,
    *,
    first_run: bool | None = None,
) -> int:
    """Show the main window until it is closed; returns the process exit code.

    ``first_run`` None decides by itself: only with the real workspace factory and no config file
    (so ``--demo`` and tests that bring their own workspace never see the first-run dialog).
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Stepwise")
    app.setWindowIcon(QIcon(str(resource_path("icons", "stepwise.png"))))
    app.setQuitOnLastWindowClosed(False)  # the loop ends when *our* window closes, see below
    apply_theme(app)
    install_language(app)  # the system's, until the workspace's settings say otherwise
    loop = StepwiseLoop(app)
    asyncio.set_event_loop(loop)
    tail = LogTail()
    logging.getLogger("stepwise").addHandler(tail)
    reports = CrashReports(versions=ui_versions(), tail=tail)
    uninstall_hook = install_excepthook(reports=reports)
    collector = GuiThreadCollector(app)
    collector.start()
    try:
        if first_run is None:
            first_run = workspace_factory is open_workspace and needs_first_run(demo)
        preset = ""
        if first_run:
            choice = loop.run_until_complete(ask_first_run())
            if choice is None:
                return 0  # closed without a choice: nothing to open
            demo, preset = choice.demo, choice.preset
        try:
            workspace = workspace_factory(demo)
        except StoreError as err:  # the environment's fault: say so, no traceback
            cannot_start(err)
            return 2
        known_keys = getattr(workspace, "known_keys", None)  # the fake workspaces have none
        if known_keys is not None:
            reports.add_secrets(known_keys)
        apply_theme(app, workspace.settings.theme)
        install_language(app, workspace.settings.language)
        session = _session(workspace, preset)
        return loop.run_until_complete(session)  # type: ignore[no-any-return]
    finally:
        collector.stop()
        uninstall_hook()
        logging.getLogger("stepwise").removeHandler(tail)
        asyncio.set_event_loop(None)
        loop.close()


def cannot_start(err: StoreError) -> None:
    """Say why the workspace did not open, before any window exists (a modal box is fine here:
    no asyncio callback is running)."""
    title = translate("App", "Stepwise cannot start")
    if isinstance(err, WorkspaceInUse):
        title = translate("App", "Stepwise is already open")
        holder = (
            translate("App", "process {pid}").format(pid=err.pid)
            if err.pid
            else translate("App", "another process")
        )
        text = translate(
            "App",
            "Stepwise is already open on this workspace ({holder}), and two windows on one "
            "workspace would overwrite each other's drafts.\n\nSwitch to that window, or "
            "close it and start Stepwise again.\n\nWorkspace: {path}",
        ).format(holder=holder, path=err.path)
    else:
        text = localize(str(err))
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok)
    box.setObjectName("startupProblem")
    box.exec()


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


async def _connect(workspace: WorkspaceLike, preset: str) -> None:
    """The first run's "Connect a provider": its settings, before the window that uses them."""
    dialog = SettingsDialog(workspace, preset=preset)
    finished = when_emitted(dialog.finished)
    dialog.open()
    try:
        await finished
    finally:
        dialog.deleteLater()


async def _session(workspace: WorkspaceLike, preset: str = "") -> int:
    if preset and not workspace.demo:
        await _connect(workspace, preset)
    window = MainWindow(workspace)
    closed = when_emitted(window.closed)
    window.show()
    restore = _close_on_signals(window)
    checking = update_notice.start(window, workspace.settings)  # after show: never delays it
    try:
        await closed
    finally:
        if checking is not None:
            checking.cancel()
        restore()
        window.deleteLater()
        await workspace.aclose()
        await asyncio.get_running_loop().shutdown_asyncgens()
    return 0
