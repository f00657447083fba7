"""The agent's desk (DESIGN.md "The agent's desk"): inbox | ticket over reply editor | steps.

The window wires widgets to the workspace: it never awaits the network itself. Pipeline runs go
through ``self.bridge``; drafts and sends are plain workspace calls whose store errors are shown
in plain words (``StoreError`` carries its own sentence).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSizePolicy, QSplitter, QWidget

from app.pipeline.events import RunFinished, StepFailed, StepFinished, Usage
from app.store import AlreadySent, StorageUnavailable, Store, StoreError
from ui.bridge import PipelineBridge
from ui.contracts import WorkspaceLike
from ui.core_text import localize
from ui.inbox import Inbox
from ui.reply_editor import ReplyEditor
from ui.settings_dialog import SettingsDialog
from ui.status_line import StatusLine
from ui.step_panel import FAILED, STOPPED
from ui.step_views import label
from ui.steps_pane import StepsPane
from ui.supervisor.window import SupervisorWindow
from ui.ticket_view import TicketView

REPLY_STEP = "reply"  # its text streams into the editor as well as its panel


class MainWindow(QMainWindow):
    # (): the window was closed; ui.app waits for it before closing the workspace
    closed = Signal()

    def __init__(self, workspace: WorkspaceLike) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Stepwise (demo)") if workspace.demo else "Stepwise")
        self.workspace = workspace
        self.bridge = PipelineBridge(workspace, self)
        self.inbox = Inbox()
        self.inbox.set_store(workspace.store)
        self.ticket_view = TicketView()
        self.editor = ReplyEditor()
        self.steps = StepsPane(workspace.steps)
        self.panels = self.steps.panels
        self.message_box: QMessageBox | None = None  # the last plain-words message shown
        self.supervisor: SupervisorWindow | None = None
        self._ticket_id: str | None = None
        self._run_usage: list[Usage] = []
        self._last_run: RunFinished | None = None  # this ticket's last run: re-runs start there
        self._save_failing = False  # the last draft save failed: its message was shown once
        self._build_toolbar()
        self._build_body()
        self._build_status_bar()
        self._connect()
        self.resize(1280, 800)
        self.reload_inbox()
        self.inbox.view.setFocus()  # arrow keys move through tickets from the start

    # --- construction ---

    def _build_toolbar(self) -> None:
        bar = self.addToolBar(self.tr("Main"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        self.draft_action = QAction(self.tr("Draft reply"), self)
        self.draft_action.setObjectName("draftAction")
        self.draft_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.draft_action.setToolTip(self.tr("Run the four steps on this ticket (F5)"))
        bar.addAction(self.draft_action)
        bar.widgetForAction(self.draft_action).setObjectName("draftButton")
        if self.workspace.demo:
            self.demo_badge = label(self.tr("DEMO — simulated responses"), "demo")
            self.demo_badge.setObjectName("demoBadge")
            bar.addWidget(self.demo_badge)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.supervisor_action = QAction(self.tr("Supervisor"), self)
        self.supervisor_action.setObjectName("supervisorAction")
        self.supervisor_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.supervisor_action.setToolTip(
            self.tr("Past runs, step by step, and what the agents changed (Ctrl+Shift+H)")
        )
        bar.addAction(self.supervisor_action)
        bar.widgetForAction(self.supervisor_action).setObjectName("supervisorButton")
        self.settings_action = QAction(self.tr("Settings"), self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        bar.addAction(self.settings_action)
        bar.widgetForAction(self.settings_action).setObjectName("settingsButton")

    def _build_body(self) -> None:
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.ticket_view)
        centre.addWidget(self.editor)
        centre.setSizes([440, 290])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.setObjectName("mainSplitter")
        for widget in (self.inbox, centre, self.steps):
            main.addWidget(widget)
        main.setStretchFactor(1, 1)
        main.setSizes([270, 560, 450])
        for splitter in (main, centre):
            splitter.setChildrenCollapsible(False)
            splitter.setHandleWidth(1)
        self.setCentralWidget(main)

    def _build_status_bar(self) -> None:
        self.status_line = StatusLine(self.statusBar(), self.workspace)
        self.provider_label = self.status_line.provider
        self.tokens_label = self.status_line.tokens

    def _connect(self) -> None:
        self.inbox.ticketSelected.connect(self.show_ticket)
        self.inbox.ticketCreated.connect(
            lambda ticket_id: self.statusBar().showMessage(
                self.tr("Ticket {ticket} created.").format(ticket=ticket_id), 5000
            )
        )
        self.draft_action.triggered.connect(lambda: self.draft_reply())
        self.settings_action.triggered.connect(self.open_settings)
        self.supervisor_action.triggered.connect(self.open_supervisor)
        self.editor.regenerateRequested.connect(self.regenerate)
        self.steps.rerunRequested.connect(self.rerun_step)
        self.steps.settingsRequested.connect(self.open_settings)
        self.editor.stopRequested.connect(self.bridge.stop)
        self.editor.sendRequested.connect(self.send_reply)
        self.editor.draftChanged.connect(self.save_draft)
        self.bridge.stepStarted.connect(self.steps.start)
        self.bridge.stepWaiting.connect(self.steps.wait)
        self.bridge.waitStarted.connect(self.status_line.waiting)
        self.bridge.stepSkipped.connect(self.steps.skip)
        self.bridge.stepNoted.connect(self.steps.note)
        self.bridge.stepNotice.connect(self.steps.notice)
        self.bridge.textAppended.connect(self._on_text)
        self.bridge.reasoningAppended.connect(self.steps.append_reasoning)
        self.bridge.stepFinished.connect(self._on_step_finished)
        self.bridge.stepFailed.connect(self._on_step_failed)
        self.bridge.runFinished.connect(self._on_run_finished)
        self.bridge.runningChanged.connect(self._on_running)

    # --- agent actions ---

    def reload_inbox(self) -> None:
        try:
            tickets = self.workspace.store.list_tickets()
        except StoreError as err:
            self.show_problem(self.tr("The inbox could not be loaded"), localize(str(err)))
            return
        self.inbox.set_tickets(tickets)
        if self._ticket_id is None or not self.inbox.select(self._ticket_id):
            self.inbox.select_first()
        self._update_actions()

    def show_ticket(self, ticket_id: str) -> None:
        if ticket_id == self._ticket_id:
            return
        self.editor.flush_autosave()  # the previous ticket's pending edits are saved first
        self.bridge.stop()  # a run's draft must never land in another ticket's editor
        try:
            context = self.workspace.context(ticket_id)
        except StoreError as err:
            self.show_problem(self.tr("The ticket could not be opened"), localize(str(err)))
            return
        self._ticket_id = ticket_id
        self._last_run = None
        self.inbox.mark_read(ticket_id)
        self.ticket_view.show_context(context)
        self.steps.reset(self._models())
        self.editor.set_ticket(True)
        ticket = context.ticket
        if ticket.status == "sent":
            self.editor.set_sent(ticket.sent_text or "")
        else:
            self.editor.load_draft(ticket.draft or "")
        self._update_actions()

    def draft_reply(self, *, fresh: bool = False) -> None:
        """Draft the reply; ``fresh`` (Regenerate) calls every model again, never the cache."""
        ticket_id = self._prepare_run()
        if ticket_id is not None:
            self.bridge.start(ticket_id, fresh=fresh)

    def regenerate(self, instruction: str = "") -> None:
        """Draft the reply again, keeping steps 1-3 of the last run; with no run to keep, run
        every step afresh (an instruction then has nothing to apply to)."""
        if self._rerunnable() is None and instruction:
            self.statusBar().showMessage(
                self.tr(
                    "Nothing to regenerate yet: drafting the whole reply; the instruction is "
                    "used when you regenerate it."
                ),
                8000,
            )
        self.rerun_step(REPLY_STEP, instruction=instruction)

    def rerun_step(self, step: str, model: str = "", instruction: str = "") -> None:
        """Run ``step`` again (on ``model``, if given) and the steps after it, keeping the last
        run's earlier steps; with no usable last run, draft afresh."""
        run = self._rerunnable()
        if run is None:
            self.draft_reply(fresh=True)
        elif self._prepare_run() is not None:
            self.bridge.rerun(
                run.ticket_id, run.run_id, step, model=model or None, instruction=instruction
            )

    def send_reply(self, text: str) -> None:
        ticket_id = self._ticket_id
        if ticket_id is None or not text.strip():
            return
        run = self._last_run
        if run is not None and run.needs_approval and run.ticket_id == ticket_id:
            reasons = "\n".join(f"• {localize(flag.message)}" for flag in run.flags)
            title = self.tr("Send a reply that needs approval?")
            question = self.tr(
                "This draft proposes something over the policy limits:\n{reasons}\n\n"
                "Send it only if a supervisor has approved it."
            ).format(reasons=reasons)
            self._confirm_send(ticket_id, text, "approvalBox", title, question)
        elif self.editor.is_incomplete():
            title = self.tr("Send an incomplete draft?")
            question = self.tr(
                "The draft was cut off before the model finished it, and it has not been edited "
                "since. Read it to the end before sending."
            )
            self._confirm_send(ticket_id, text, "incompleteBox", title, question)
        else:
            self._send_now(ticket_id, text)

    def _confirm_send(
        self, ticket_id: str, text: str, name: str, title: str, question: str
    ) -> None:
        """Send only after the agent confirms (a policy flag, a cut-off draft)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName(name)
        send = box.button(QMessageBox.StandardButton.Yes)
        send.setText(self.tr("Send anyway"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: self._send_now(ticket_id, text) if button is send else None
        )
        box.finished.connect(box.deleteLater)
        self.message_box = box
        box.open()

    def _send_now(self, ticket_id: str, text: str) -> None:
        try:
            self.workspace.send(ticket_id, text)
        except AlreadySent:
            self.show_problem(
                self.tr("This reply was already sent"),
                self.tr(
                    "A reply to ticket {ticket} has already been sent, and a ticket is answered "
                    "only once. Nothing was sent again."
                ).format(ticket=ticket_id),
                QMessageBox.Icon.Information,
            )
            self._mark_sent(ticket_id, None)
            return
        except StoreError as err:
            self.show_problem(self.tr("The reply was not sent"), localize(str(err)))
            return
        self._mark_sent(ticket_id, text)
        self.statusBar().showMessage(
            self.tr("Reply to {ticket} sent.").format(ticket=ticket_id), 5000
        )

    def save_draft(self, text: str) -> None:
        if self._ticket_id is None:
            return
        try:
            self.workspace.save_draft(self._ticket_id, text)
        except StoreError as err:
            # The text stays in the editor; when the environment is at fault (a full disk) it
            # is saved again every AUTOSAVE_MS until it fits: one message, not one per attempt.
            if isinstance(err, StorageUnavailable):
                self.editor.retry_autosave()
            self.editor.show_note(self.tr("Not saved yet"))
            if not self._save_failing:
                self._save_failing = True
                self.show_problem(self.tr("The draft could not be saved"), localize(str(err)))
            return
        self._save_failing = False
        self.inbox.set_status(self._ticket_id, "draft")
        self.editor.show_note(self.tr("Draft saved"))

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.workspace, self)
        dialog.settingsSaved.connect(self.status_line.show_provider)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # window-modal without a nested event loop under qasync

    def open_supervisor(self) -> SupervisorWindow | None:
        """The supervisor's window over this workspace's recorded runs (None: it keeps none)."""
        store = self.workspace.store
        if not isinstance(store, Store):
            return None
        if self.supervisor is None:
            author = self.workspace.settings.agent_name
            self.supervisor = SupervisorWindow(store, self, author=author)
        else:
            self.supervisor.history.refresh()  # runs recorded since it was last shown
        self.supervisor.show()
        self.supervisor.raise_()
        self.supervisor.activateWindow()
        return self.supervisor

    def show_problem(
        self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning
    ) -> None:
        """A plain-words message, never a traceback; non-blocking so streaming goes on."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("problemBox")
        box.finished.connect(box.deleteLater)
        self.message_box = box
        box.open()

    # --- pipeline events ---

    def _on_text(self, step: str, text: str) -> None:
        self.steps.append_text(step, text)
        if step == REPLY_STEP:
            self.editor.append_streamed(text)

    def _on_step_finished(self, event: StepFinished) -> None:
        self.steps.finish(event)
        self._run_usage.append(event.usage)
        self._update_tokens()
        if not (event.cached or event.kept):
            self.status_line.answered()

    def _on_step_failed(self, event: StepFailed) -> None:
        self.status_line.failed(event)
        route = self.workspace.settings.routes.get(event.step)
        if not self.steps.fail(event, route.fallback_model if route else ""):
            self.show_problem(self.tr("The draft could not be made"), localize(event.message))

    def _on_run_finished(self, event: RunFinished) -> None:
        self.editor.end_stream()
        if event.ticket_id == self._ticket_id:
            self._last_run = event
        if event.ok and event.ticket_id == self._ticket_id and self.editor.text():
            self.save_draft(self.editor.text())
            self.statusBar().showMessage(
                self.tr("Draft ready: review and edit it before sending."), 8000
            )
        elif not event.ok:
            self.statusBar().showMessage(
                self.tr("The draft could not be completed; see the steps."), 8000
            )

    def _on_running(self, running: bool) -> None:
        self.steps.set_idle(not running)
        if not running:
            self.status_line.refresh_today()  # the run is recorded as its stream closes
            self.steps.halt()
            self.editor.end_stream()
            if self.panels[REPLY_STEP].state() in (FAILED, STOPPED):
                self.editor.mark_incomplete()
            if self._run_usage:
                self._update_tokens()
        self._update_actions()

    # --- helpers ---

    def _mark_sent(self, ticket_id: str, text: str | None) -> None:
        if text is None:
            try:
                text = self.workspace.context(ticket_id).ticket.sent_text or self.editor.text()
            except StoreError:
                text = self.editor.text()
        self.inbox.set_status(ticket_id, "sent")
        self.editor.set_sent(text)
        self._update_actions()

    def _prepare_run(self) -> str | None:
        """Clear the panels and the editor for a run on the ticket on screen, and return its id;
        None when there is nothing to run (no ticket, or its reply was sent)."""
        if self._ticket_id is None or self.editor.is_sent():
            return None
        self.bridge.stop()
        self.steps.reset(self._models())
        self._run_usage = []
        self.editor.begin_stream()
        return self._ticket_id

    def _rerunnable(self) -> RunFinished | None:
        """The last run of the ticket on screen, if it was recorded and can be re-run."""
        run = self._last_run
        ok = run is not None and bool(run.run_id) and run.ticket_id == self._ticket_id
        return run if ok else None

    def _models(self) -> dict[str, str]:
        return {name: route.model for name, route in self.workspace.settings.routes.items()}

    def _update_actions(self) -> None:
        ready = self._ticket_id is not None and not self.editor.is_sent()
        self.draft_action.setEnabled(ready and not self.bridge.is_running())

    def _update_tokens(self) -> None:
        self.status_line.show_run(self._run_usage, self.bridge.is_running())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.flush_autosave()
        self.bridge.stop()
        super().closeEvent(event)
        self.closed.emit()
