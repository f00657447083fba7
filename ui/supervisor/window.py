"""The supervisor's window (issue 6): tabs over the recorded runs: the History (with its
export), the Flagged steps (verdicts and their evaluation dataset), and the Dashboard, whose
figures are computed again each time its tab is brought forward.

Opening a run (``runOpened``) opens its inspector in a window of its own, so several runs can be
compared side by side; a verdict saved there refreshes the history.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from app.store import Store
from ui.supervisor.dashboard import DashboardView
from ui.supervisor.flagged_view import FlaggedView
from ui.supervisor.history_view import HistoryView
from ui.supervisor.inspector import InspectorWindow
from ui.supervisor.period import Clock, utc_now


class SupervisorWindow(QMainWindow):
    # (str): the run the supervisor opened in the history (Enter or double-click)
    runOpened = Signal(str)

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        author: str = "",
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorWindow")
        self.setWindowTitle(self.tr("Stepwise — supervisor"))
        self.store = store
        self.author = author  # who signs the verdicts saved in the inspectors
        self.inspectors: dict[str, InspectorWindow] = {}  # open ones, by run
        self.tabs = QTabWidget()
        self.tabs.setObjectName("supervisorTabs")
        self.tabs.setAccessibleName(self.tr("Supervisor views"))
        self.tabs.setDocumentMode(True)
        self.history = HistoryView(store, clock)
        self.history.runOpened.connect(self.runOpened)
        self.runOpened.connect(self.inspect)
        self.flagged = FlaggedView(store)
        self.flagged.runOpened.connect(self.runOpened)
        self.dashboard = DashboardView(store, clock)
        self._add_tabs()
        self.setCentralWidget(self.tabs)
        self.resize(1280, 760)

    def _add_tabs(self) -> None:
        self.tabs.addTab(self.history, self.tr("History"))
        self.tabs.addTab(self.flagged, self.tr("Flagged steps"))
        self.tabs.addTab(self.dashboard, self.tr("Dashboard"))

    def _verdict_saved(self, _saved: object) -> None:
        self.history.refresh()
        self.flagged.refresh()

    def inspect(self, run_id: str) -> InspectorWindow:
        """Show the run's inspector, raising it if it is already open."""
        window = self.inspectors.get(run_id)
        if window is None:
            window = InspectorWindow(self.store, run_id, author=self.author, parent=self)
            window.annotationSaved.connect(self._verdict_saved)
            window.closed.connect(self._inspector_closed)
            self.inspectors[run_id] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _inspector_closed(self, run_id: str) -> None:
        # Forgotten at once, deleted later: opening the run again meanwhile makes a new window
        # rather than showing one that is about to go.
        window = self.inspectors.pop(run_id, None)
        if window is not None:
            window.deleteLater()
