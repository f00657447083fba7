"""A supervisor's verdict on one step: right or wrong, a label and a note (issue 6, part 4).

``AnnotationBox`` (objectName ``annotationBox.<step>``) saves through ``Store.annotate``: one
annotation per supervisor (``author``) per step, so saving again replaces it. Reopened, the box
shows the author's saved verdict; other supervisors' verdicts on the step are listed above it.
A store failure is shown in the box, in the store's own plain words.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.store import Annotation, Store, StoreError
from ui.core_text import localize
from ui.step_views import label
from ui.theme import set_role

NOTE_LINES = 2


class AnnotationBox(QFrame):
    # (Annotation): the verdict was saved; the store's record of it
    saved = Signal(object)

    def __init__(
        self,
        store: Store,
        run_id: str,
        step: str,
        *,
        author: str = "",
        annotations: Sequence[Annotation] = (),
    ) -> None:
        super().__init__()
        self.store, self.run_id, self.step, self.author = store, run_id, step, author.strip()
        self.setObjectName(f"annotationBox.{step}")
        set_role(self, "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        mine = [a for a in annotations if a.step == step and a.author == self.author]
        for other in (a for a in annotations if a.step == step and a.author != self.author):
            layout.addWidget(self._other(other))
        layout.addLayout(self._verdict_row())
        self.note = QPlainTextEdit()
        self.note.setObjectName("annotationNote")
        self.note.setPlaceholderText(self.tr("Note: what is right or wrong about this step"))
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(NOTE_LINES * self.note.fontMetrics().lineSpacing() + 14)
        layout.addWidget(self.note)
        self.status = label("", "muted", wrap=True)
        self.status.setObjectName("annotationStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout.addWidget(self.status)
        if mine:
            self.show_annotation(mine[0])
        self._update_save()

    def _verdict_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(label(self.tr("Verdict"), "section"))
        self.right = self._verdict_button("annotationRight", self.tr("Right"))
        self.wrong = self._verdict_button("annotationWrong", self.tr("Wrong"))
        self.verdicts = QButtonGroup(self)
        self.verdicts.setExclusive(True)
        for button in (self.right, self.wrong):
            self.verdicts.addButton(button)
            row.addWidget(button)
        self.verdicts.buttonToggled.connect(lambda *_: self._update_save())
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("annotationLabel")
        self.label_edit.setPlaceholderText(self.tr("Label, e.g. wrong_intent"))
        self.label_edit.setAccessibleName(self.tr("Label"))
        self.label_edit.setMaxLength(80)
        row.addWidget(self.label_edit, 1)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("annotationSave")
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        return row

    def _verdict_button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setAccessibleName(text)
        return button

    def _other(self, annotation: Annotation) -> QFrame:
        text = self.tr("{author}: {verdict}").format(
            author=annotation.author or self.tr("unnamed supervisor"),
            verdict=self._verdict_name(annotation.verdict),
        )
        details = [part for part in (annotation.label, annotation.note) if part]
        line = label(" · ".join([text, *details]), "muted", wrap=True)
        line.setObjectName("annotationOther")
        return line

    def _verdict_name(self, verdict: str) -> str:
        return self.tr("right") if verdict == "right" else self.tr("wrong")

    def verdict(self) -> str | None:
        """ "right", "wrong", or None while neither is chosen."""
        if self.right.isChecked():
            return "right"
        return "wrong" if self.wrong.isChecked() else None

    def show_annotation(self, annotation: Annotation) -> None:
        (self.right if annotation.verdict == "right" else self.wrong).setChecked(True)
        self.label_edit.setText(annotation.label)
        self.note.setPlainText(annotation.note)
        self._say(
            self.tr("Saved as {verdict}.").format(verdict=self._verdict_name(annotation.verdict))
        )

    def save(self) -> None:
        verdict = self.verdict()
        if verdict is None:
            return
        try:
            saved = self.store.annotate(
                self.run_id,
                self.step,
                verdict,
                label=self.label_edit.text(),
                note=self.note.toPlainText(),
                author=self.author,
            )
        except StoreError as err:  # the store's sentence says what happened and what to do
            self._say(localize(str(err)), error=True)
            return
        self.show_annotation(saved)
        self.saved.emit(saved)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "verdictFail" if error else "muted")
        self.status.show()

    def _update_save(self) -> None:
        # The style sheet gives a checked push button no look of its own: the chosen verdict
        # borrows the primary button's.
        for button in (self.right, self.wrong):
            if (button.property("role") == "primary") != button.isChecked():
                set_role(button, "primary" if button.isChecked() else "")
        self.save_button.setEnabled(self.verdict() is not None)
        tip = "" if self.verdict() else self.tr("Choose Right or Wrong first")
        self.save_button.setToolTip(tip)
