"""The reply's text area: the model's draft streams in while the agent may already be typing.

Qt's own undo stack records every change in one line, so with a draft streaming in, Ctrl+Z would
first take back the model's latest words, and undoing the agent's typing would drag streamed text
out with it. ``DraftTextEdit`` therefore keeps its own undo stack of the *agent's* edits only:
streamed text is always appended at the end, so it never shifts the position of an earlier edit,
and each user edit can be reverted on its own, leaving the draft in place (DESIGN.md: nothing
already produced is lost). Consecutive keystrokes merge into one undo step, as in Qt.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

log = logging.getLogger("stepwise.ui.editor")


@dataclass
class Edit:
    """One user change: at ``position``, ``removed`` was replaced by ``added``."""

    position: int
    removed: str
    added: str

    def extends(self, other: Edit) -> bool:
        """Whether ``other`` continues this typing run (one more character, right after)."""
        typed = not other.removed and len(other.added) == 1 and other.added != "\n"
        run = not self.removed and not self.added.endswith("\n")  # a new line starts a new step
        return typed and run and other.position == self.position + len(self.added)


class DraftTextEdit(QPlainTextEdit):
    # (): the agent changed the text (typing, paste, cut, undo, redo); never the stream or a load
    userEdited = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.document().setUndoRedoEnabled(False)  # replaced by the stacks below
        self._shadow = ""  # the text as of the last change, to know what an edit removed
        self._internal = 0  # > 0 while Stepwise itself changes the text
        self._undo: list[Edit] = []
        self._redo: list[Edit] = []
        self.document().contentsChange.connect(self._on_change)

    def load(self, text: str) -> None:
        """Replace everything (a saved draft, a sent reply): no undo history across tickets."""
        with self._programmatic():
            self.setPlainText(text)
        self._undo.clear()
        self._redo.clear()

    def append_streamed(self, text: str) -> None:
        """Add model text at the end without moving the agent's cursor or selection."""
        mine = self.textCursor()
        position, anchor = mine.position(), mine.anchor()
        bar = self.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 2
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        with self._programmatic():
            cursor.insertText(text)
        now = self.textCursor()
        if (now.position(), now.anchor()) != (position, anchor):  # it sat at the end
            now.setPosition(anchor)
            now.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(now)
        if following:
            bar.setValue(bar.maximum())

    def replace_all_undoably(self, text: str) -> None:
        """Replace the text as one undoable user step (Regenerate: Ctrl+Z brings the old back)."""
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)  # recorded by _on_change like any user edit

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if self._undo and not self.isReadOnly():
            edit = self._undo.pop()
            if self._apply(edit.position, edit.added, edit.removed):
                self._redo.append(edit)

    def redo(self) -> None:
        if self._redo and not self.isReadOnly():
            edit = self._redo.pop()
            if self._apply(edit.position, edit.removed, edit.added):
                self._undo.append(Edit(edit.position, edit.removed, edit.added))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.redo()
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu()
        for action in menu.actions():
            if action.objectName() in ("edit-undo", "edit-redo"):
                undo = action.objectName() == "edit-undo"
                action.triggered.disconnect()
                action.triggered.connect(self.undo if undo else self.redo)
                available = self.can_undo() if undo else self.can_redo()
                action.setEnabled(available and not self.isReadOnly())
        menu.exec(event.globalPos())
        menu.deleteLater()

    @contextlib.contextmanager
    def _programmatic(self) -> Iterator[None]:
        self._internal += 1
        try:
            yield
        finally:
            self._internal -= 1

    def _apply(self, position: int, expected: str, replacement: str) -> bool:
        """Replace ``expected`` at ``position`` (an undo or redo); False if the text moved on."""
        if self._shadow[position : position + len(expected)] != expected:
            log.warning("Undo history no longer matches the text; it was cleared")
            self._undo.clear()
            self._redo.clear()
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.setPosition(position + len(expected), QTextCursor.MoveMode.KeepAnchor)
        with self._programmatic():
            cursor.insertText(replacement)
        self.setTextCursor(cursor)
        self.userEdited.emit()
        return True

    def _on_change(self, position: int, removed: int, added: int) -> None:
        old, new = self._shadow, self.document().toPlainText()
        self._shadow = new
        if self._internal:
            return
        # Counts may include the document's final paragraph separator; slicing clips it, and
        # a range one character wider on both sides is still an exact replacement.
        edit = Edit(position, old[position : position + removed], new[position : position + added])
        if edit.removed == edit.added:
            return  # a format-only change
        self._redo.clear()
        if self._undo and self._undo[-1].extends(edit):
            self._undo[-1].added += edit.added
        else:
            self._undo.append(edit)
        self.userEdited.emit()
