"""The reply composer: the drafted reply streams in, the agent edits it and clicks Send.

Nothing reaches a customer without that click (DESIGN.md). Edits are autosaved: ``draftChanged``
fires at most AUTOSAVE_MS (1.5 s) after the first change not yet saved, so the last keystroke is
saved within 1.5 s and a crash loses at most that much typing, also while the agent types on
without a pause ("saved within a second or two"). A debounce restarted by every keystroke would
save nothing until the agent paused (tests/crash/ kills the app mid-typing to check).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.draft_text import DraftTextEdit
from ui.step_views import label
from ui.theme import repolish, set_role, set_state

AUTOSAVE_MS = 1500
INCOMPLETE = "incomplete"  # the editor's state when a draft was cut off


class ReplyEditor(QWidget):
    # (str): the text to send, exactly as the agent left it
    sendRequested = Signal(str)
    # (str): draft the reply again, following the agent's instruction ("" for none)
    regenerateRequested = Signal(str)
    # (): cancel the run that is streaming
    stopRequested = Signal()
    # (str): the whole draft, at most AUTOSAVE_MS after the agent's first unsaved edit, for the
    # store
    draftChanged = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._streaming = False
        self._sent = False
        self._has_ticket = False
        self._state = ""
        self.editor = DraftTextEdit()
        self.editor.setObjectName("replyEditor")
        self.editor.setPlaceholderText(self._placeholder())
        self.editor.setAccessibleName(self.tr("Reply draft"))
        self.editor.userEdited.connect(self._on_user_edit)
        self.editor.textChanged.connect(self._update_buttons)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._emit_draft)
        self.state = label("")
        self.state.setObjectName("replyState")
        self.note = label("", "muted")
        self._build()
        self.set_ticket(False)

    def _build(self) -> None:
        self.send_button = self._button(
            "sendButton", self.tr("Send"), self.tr("Send the reply (Ctrl+Enter)")
        )
        set_role(self.send_button, "primary")
        self.send_button.clicked.connect(self._send)
        self.regenerate_button = self._button(
            "regenerateButton", self.tr("Regenerate"), self.tr("Draft the reply again (Ctrl+R)")
        )
        self.regenerate_button.clicked.connect(self._regenerate)
        self.instruction = QLineEdit()
        self.instruction.setObjectName("regenerateInstruction")
        self.instruction.setPlaceholderText(
            self.tr("Optional for Regenerate: shorter, more formal, in Spanish…")
        )
        self.instruction.setAccessibleName(self.tr("Instruction for Regenerate"))
        self.instruction.setClearButtonEnabled(True)
        self.instruction.returnPressed.connect(self.regenerate_button.animateClick)
        self.stop_button = self._button("stopButton", self.tr("Stop"), self.tr("Stop drafting"))
        self.stop_button.clicked.connect(self.stopRequested)
        self.copy_button = self._button(
            "copyButton", self.tr("Copy"), self.tr("Copy the reply to the clipboard")
        )
        self.copy_button.clicked.connect(self._copy)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            send = QShortcut(QKeySequence(keys), self)
            send.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            send.activated.connect(self._send)
        regenerate = QShortcut(QKeySequence("Ctrl+R"), self)
        regenerate.setContext(Qt.ShortcutContext.WindowShortcut)
        regenerate.activated.connect(self.regenerate_button.animateClick)
        top = QHBoxLayout()
        top.addWidget(label(self.tr("Reply"), "section"))
        top.addWidget(self.state)
        top.addStretch(1)
        top.addWidget(self.note)
        buttons = QHBoxLayout()
        for button in (self.send_button, self.regenerate_button):
            buttons.addWidget(button)
        buttons.addWidget(self.instruction, 1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.editor, 1)
        layout.addLayout(buttons)

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        return button

    def _placeholder(self) -> str:
        return self.tr(
            "Press Draft reply (F5) to have Stepwise draft an answer, or write it yourself."
        )

    # --- what the window calls ---

    def set_ticket(self, present: bool) -> None:
        """With no ticket selected there is nothing to write or send."""
        self._has_ticket = present
        self._set_read_only(not present)
        if not present:
            self.load_draft("")
        self._update_buttons()

    def load_draft(self, text: str) -> None:
        self._autosave.stop()
        self._sent = False
        self._streaming = False
        self.editor.load(text)
        self._set_read_only(not self._has_ticket)
        self._set_state("draft" if text else "")
        self.note.setText("")

    def begin_stream(self) -> None:
        """A new draft is coming; the agent's old text is replaced as one undoable step."""
        self._streaming = True
        if self.editor.toPlainText():
            self.editor.replace_all_undoably("")
            self._autosave.stop()
        self.editor.setPlaceholderText(self.tr("The draft appears here as it is written…"))
        self._set_state("drafting")
        self._update_buttons()

    def append_streamed(self, text: str) -> None:
        self.editor.append_streamed(text)

    def end_stream(self) -> None:
        self._streaming = False
        self.editor.setPlaceholderText(self._placeholder())
        self._set_state("draft" if self.text() else "")
        self._update_buttons()

    def set_sent(self, text: str) -> None:
        self._autosave.stop()
        self._streaming = False
        self._sent = True
        self.editor.load(text)
        self._set_read_only(True)
        self.note.setText("")
        self._set_state("sent")
        self._update_buttons()

    def mark_incomplete(self) -> None:
        """The draft was cut off (the reply step failed or was stopped) and the agent has not
        edited it since: Send then asks first."""
        if self.text() and not self._sent:
            self._set_state(INCOMPLETE)

    def is_incomplete(self) -> bool:
        return self._state == INCOMPLETE

    def text(self) -> str:
        return self.editor.toPlainText()

    def is_sent(self) -> bool:
        return self._sent

    def flush_autosave(self) -> None:
        """Save now if an autosave is pending (switching tickets, closing the window)."""
        if self._autosave.isActive():
            self._autosave.stop()
            self._emit_draft()

    def retry_autosave(self) -> None:
        """The last save failed (a full disk): try again at the next autosave tick, so the text
        reaches the store once there is room, and a close or a ticket switch tries once more."""
        if not self._sent:
            self._autosave.start()

    def show_note(self, text: str) -> None:
        self.note.setText(text)

    # --- internals ---

    def _on_user_edit(self) -> None:
        if not self._autosave.isActive():  # not restarted: typing on must not delay the save
            self._autosave.start()
        self.note.setText("")
        if self._state == INCOMPLETE:
            self._set_state("draft")  # the agent has taken it over

    def _emit_draft(self) -> None:
        if not self._sent:
            self.draftChanged.emit(self.text())

    def _regenerate(self) -> None:
        if self.regenerate_button.isEnabled():
            instruction = self.instruction.text().strip()
            self.instruction.clear()
            self.regenerateRequested.emit(instruction)

    def _send(self) -> None:
        if self.send_button.isEnabled():
            self.flush_autosave()
            self.sendRequested.emit(self.text())

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.text())
        self.note.setText(self.tr("Copied to the clipboard"))

    def _set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)
        repolish(self.editor)  # the style sheet greys a read-only reply

    def _set_state(self, state: str) -> None:
        titles = {
            "draft": self.tr("Draft"),
            "drafting": self.tr("Drafting…"),
            "sent": self.tr("Sent"),
            INCOMPLETE: self.tr("Incomplete"),
        }
        self._state = state
        self.state.setText(titles.get(state, ""))
        self.state.setVisible(bool(state))
        set_state(self.state, state)

    def _update_buttons(self) -> None:
        ready = self._has_ticket and not self._sent
        self.send_button.setEnabled(ready and not self._streaming and bool(self.text().strip()))
        self.regenerate_button.setEnabled(ready and not self._streaming)
        self.instruction.setEnabled(ready and not self._streaming)
        self.stop_button.setEnabled(self._streaming)
        self.copy_button.setEnabled(bool(self.text()))
