"""The "Export runs" dialog (issue 6, part 5): the runs the history shows, or all of them, to a
CSV or JSONL file written by the core (``app.supervisor.export``).

"Redact customer PII" starts checked: an export is a file that leaves the app (mailed, opened in
a spreadsheet, uploaded for analysis), so customers' names, e-mail addresses, phone and card
numbers travel in it only when the supervisor asks for them.

Where the writing runs: in a worker thread (``export_job``), with a read-only Store of its own.
An export of 100,000 runs takes minutes (``app.store.supervision``), far too long to freeze every
window behind a busy cursor. Until the result comes back the dialog shows it is busy and cannot
be closed, so its result has somewhere to go. Quitting the app mid-export can leave the core's
``<name>.part`` file, never a half file under the chosen name.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.store import HistoryFilter, Store, StoreError
from app.supervisor.export import runs_to_csv, runs_to_jsonl
from ui.core_text import localize
from ui.step_views import label
from ui.supervisor.background import Background
from ui.supervisor.export_job import ExportResult, documents, problem_text, save_path, write_export
from ui.theme import set_role


class ExportDialog(QDialog):
    # (str, int): the file written and how many runs it holds
    exported = Signal(str, int)

    def __init__(
        self, store: Store, flt: HistoryFilter | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export runs"))
        self.setAccessibleName(self.tr("Export runs"))
        self.store, self.filter = store, flt
        self.destination: Path | None = None
        self.exporting = False
        self.worker = Background(self)
        self.worker.done.connect(self._on_finished)
        self._build_choices()
        self._build_destination()
        self.busy = QProgressBar()
        self.busy.setObjectName("exportBusy")
        self.busy.setAccessibleName(self.tr("Exporting"))
        self.busy.setRange(0, 0)  # no steps to count: the core streams
        self.busy.setTextVisible(False)
        self.busy.setFixedHeight(6)
        self.busy.hide()
        # Every role it takes is padded: a label first polished without padding gets no margins
        # from a padded role set later, and its text then touches its border.
        self.message = label("", "verdictBusy", wrap=True)
        self.message.setObjectName("exportMessage")
        self.message.setAccessibleName(self.tr("Export result"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self._build_buttons()
        self._layout()
        self._count_runs()

    # --- construction ---

    def _build_choices(self) -> None:
        self.csv = self._radio("exportCsv", self.tr("CSV: one row per run, for spreadsheets"))
        self.jsonl = self._radio(
            "exportJsonl", self.tr("JSONL: one JSON object per run, with every step")
        )
        self.formats = QButtonGroup(self)
        for button in (self.csv, self.jsonl):
            self.formats.addButton(button)
        self.csv.setChecked(True)
        self.formats.buttonToggled.connect(lambda *_: self._match_suffix())
        self.shown = self._radio("exportShown", self.tr("The runs the history shows now"))
        self.every = self._radio("exportAll", self.tr("All runs"))
        self.scopes = QButtonGroup(self)
        for button in (self.shown, self.every):
            self.scopes.addButton(button)
        self.shown.setEnabled(self.filter is not None)
        (self.shown if self.filter is not None else self.every).setChecked(True)
        self.redact = QCheckBox(self.tr("Redact customer PII"))
        self.redact.setObjectName("exportRedact")
        self.redact.setAccessibleName(self.tr("Redact customer PII"))
        self.redact.setChecked(True)
        self.redact_note = label(
            self.tr(
                "Replaces customers' names, e-mail addresses, phone and card numbers and street "
                "addresses; ids and order numbers stay. Check the file before it leaves the "
                "company."
            ),
            "muted",
            wrap=True,
        )
        self.redact.toggled.connect(self.redact_note.setVisible)

    def _radio(self, name: str, text: str) -> QRadioButton:
        button = QRadioButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        return button

    def _build_destination(self) -> None:
        self.path = QLineEdit()
        self.path.setObjectName("exportPath")
        self.path.setAccessibleName(self.tr("Save to"))
        self.path.setPlaceholderText(self.tr("Not chosen yet"))
        self.path.setReadOnly(True)  # chosen in the save dialog, which asks before replacing
        self.choose = QPushButton(self.tr("Choose…"))
        self.choose.setObjectName("exportChoose")
        self.choose.setAccessibleName(self.tr("Choose the file"))
        self.choose.clicked.connect(self._on_choose)

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setObjectName("exportStart")
        self.start_button.setAccessibleName(self.tr("Export"))
        self.start_button.setDefault(True)
        set_role(self.start_button, "primary")
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("exportClose")
        self.close_button.setAccessibleName(self.tr("Close"))
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)

    def _layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        form.addRow(self.tr("Format"), _column(self.csv, self.jsonl))
        form.addRow(self.tr("Runs"), _column(self.shown, self.every))
        form.addRow(self.tr("Privacy"), _column(self.redact, self.redact_note))
        where = QHBoxLayout()
        where.setSpacing(6)
        where.addWidget(self.path, 1)
        where.addWidget(self.choose)
        form.addRow(self.tr("Save to"), where)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _count_runs(self) -> None:
        try:
            every = self.store.history_count()
            shown = every if self.filter is None else self.store.history_count(self.filter)
        except StoreError as err:
            self._say(localize(str(err)), "verdictFail")
            return
        if self.filter is not None:
            text = self.tr("The runs the history shows now ({count})")
            self.shown.setText(text.format(count=f"{shown:,}"))
        self.every.setText(self.tr("All runs ({count})").format(count=f"{every:,}"))

    # --- the destination ---

    def suffix(self) -> str:
        return "csv" if self.csv.isChecked() else "jsonl"

    def choose_path(self) -> Path | None:
        """Ask where to save; None when cancelled. Tests replace this method: it opens a modal
        file dialog."""
        start = self.destination or documents() / f"stepwise-runs.{self.suffix()}"
        if self.csv.isChecked():
            kinds = self.tr("CSV files (*.csv)")
        else:
            kinds = self.tr("JSON Lines files (*.jsonl)")
        return save_path(self, self.tr("Export runs to"), start, self.suffix(), kinds)

    def set_destination(self, path: Path) -> None:
        self.destination = path
        self.path.setText(str(path))
        self.path.setToolTip(str(path))
        self.path.setCursorPosition(len(str(path)))  # the file's name shows, if not its folder

    def _on_choose(self) -> None:
        chosen = self.choose_path()
        if chosen is not None:
            self.set_destination(chosen)

    def _match_suffix(self) -> None:
        """A format change renames the chosen file's suffix, unless that would replace a file
        the save dialog did not ask about: then the file is chosen again."""
        if self.destination is None or self.destination.suffix == f".{self.suffix()}":
            return
        renamed = self.destination.with_suffix(f".{self.suffix()}")
        if renamed.exists():
            self.destination = None
            self.path.clear()
            self.path.setToolTip("")
        else:
            self.set_destination(renamed)

    # --- exporting ---

    def start_export(self) -> None:
        """Write the export on a worker thread; asks for the file first if none is chosen."""
        if self.exporting:
            return
        if self.destination is None:
            self._on_choose()
            if self.destination is None:
                return
        path, redact = self.destination, self.redact.isChecked()
        flt = self.filter if self.shown.isChecked() else None
        write = runs_to_csv if self.csv.isChecked() else runs_to_jsonl
        self.exporting = True
        self._set_busy(True)
        self._say(self.tr("Exporting… A long history takes a few minutes."), "verdictBusy")
        self.worker.submit(
            lambda: write_export(self.store.path, lambda r: write(r, path, flt, redact_pii=redact))
        )

    def _on_finished(self, result: object) -> None:
        assert isinstance(result, ExportResult)
        self.exporting = False
        self._set_busy(False)
        if result.problem or result.bug:
            self._say(problem_text(result), "verdictFail")
            return
        path = str(self.destination)
        if result.count == 1:
            text = self.tr("Exported 1 run to {path}").format(path=path)
        else:
            text = self.tr("Exported {count} runs to {path}").format(
                count=f"{result.count:,}", path=path
            )
        self._say(text, "verdictOk")
        self.exported.emit(path, result.count)

    def is_busy(self) -> bool:
        return self.exporting

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.csv, self.jsonl, self.every, self.redact, self.choose):
            widget.setEnabled(not busy)
        self.shown.setEnabled(not busy and self.filter is not None)
        self.start_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        self.busy.setVisible(busy)
        self._fit_height()

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_role(self.message, role)
        self.message.show()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to show a new message whole: a window's minimum size leaves out how tall wrapped
        text is at its width."""
        layout = self.layout()
        if layout is None:
            return  # still being built
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    # --- closing waits for the export ---

    def reject(self) -> None:
        if not self.is_busy():  # Escape while exporting: the result must have a place to show
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_busy():
            event.ignore()
            return
        super().closeEvent(event)


def _column(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    for widget in widgets:
        column.addWidget(widget)
    return holder
