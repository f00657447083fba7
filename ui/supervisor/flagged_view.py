"""The Flagged steps tab (issue 6, parts 4 and 5): the steps supervisors gave a verdict, and the
evaluation dataset made from them.

It opens on the steps marked wrong (the flagged ones); the verdict, step and label filters are
those of ``AnnotationFilter``. The store has no distinct-values query for labels, so the label is
a free-text field (the exact label, as the store matches it) that completes from the labels seen
so far; it waits until typing pauses (``DEBOUNCE_MS``). "Export dataset…" writes the steps the
filters show through ``app.supervisor.export.annotations_to_jsonl`` on a worker thread, as the
Export runs dialog does (``export_job``), redacting customer PII unless told not to.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.pipeline.steps import STEPS
from app.store import AnnotationFilter, Store
from app.supervisor.export import annotations_to_jsonl
from ui.core_text import localize, step_name
from ui.inbox import filter_combo
from ui.step_views import label
from ui.supervisor.background import Background
from ui.supervisor.export_job import ExportResult, documents, problem_text, save_path, write_export
from ui.supervisor.flagged_model import COLUMN, FlaggedModel
from ui.supervisor.tables import RUN_ID_ROLE, SuggestingField, record_table
from ui.theme import set_role

DEBOUNCE_MS = 250
ANY = ""
# Starting widths in pixels; the note takes what is left.
WIDTHS = {
    "time": 128,
    "run": 110,  # run ids are 12 hex digits
    "ticket": 70,
    "step": 84,
    "model": 110,
    "verdict": 64,
    "label": 130,
    "author": 96,
}


class FlaggedView(QWidget):
    # (str): the run the supervisor opened (Enter or double-click on its row)
    runOpened = Signal(str)
    # (str, int): the dataset file written and how many annotated steps it holds
    datasetExported = Signal(str, int)

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.setObjectName("flaggedView")
        self.store = store
        self.model = FlaggedModel(store, self)
        self.exporting = False
        self.worker = Background(self)
        self.worker.done.connect(self._on_exported)
        self._target = Path()  # the dataset file being written
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self._build_filters()
        self._build_export()
        self.table = self._table()
        self.message = label("", "notice", wrap=True)
        self.message.setObjectName("flaggedMessage")
        self.message.setAccessibleName(self.tr("Flagged steps problem"))
        self.message.hide()
        self.empty = label(
            self.tr("No steps match. Verdicts saved in a run's inspector are listed here."),
            "muted",
            wrap=True,
        )
        self.empty.setObjectName("flaggedEmpty")
        self.empty.hide()
        self.count = label("", "muted")
        self.count.setObjectName("flaggedCount")
        self.count.setAccessibleName(self.tr("Steps shown"))
        self.model.failed.connect(self._show_failure)
        self.model.reloaded.connect(self._on_reloaded)
        self._layout()
        self.apply_filters()

    # --- construction ---

    def _build_filters(self) -> None:
        verdicts = [
            (self.tr("Marked wrong"), "wrong"),
            (self.tr("Marked right"), "right"),
            (self.tr("Any verdict"), ANY),
        ]
        self.verdict = filter_combo("flaggedVerdict", self.tr("Verdict"), verdicts, narrow=False)
        steps = [(self.tr("Any step"), ANY)] + [(step_name(s.name), s.name) for s in STEPS]
        self.step = filter_combo("flaggedStep", self.tr("Step"), steps, narrow=False)
        tip = self.tr("Exact label; suggestions come from the steps listed")
        self.label_filter = SuggestingField("flaggedLabel", self.tr("Label"), tip, 180)
        for combo in (self.verdict, self.step):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.label_filter.textChanged.connect(self._debounce.start)

    def _build_export(self) -> None:
        self.redact = QCheckBox(self.tr("Redact customer PII"))
        self.redact.setObjectName("flaggedRedact")
        self.redact.setAccessibleName(self.tr("Redact customer PII"))
        self.redact.setToolTip(
            self.tr("Replaces customers' names, e-mail addresses, phone and card numbers")
        )
        self.redact.setChecked(True)  # a dataset leaves the app; see export_dialog
        self.export_button = QPushButton(self.tr("Export dataset…"))
        self.export_button.setObjectName("flaggedExport")
        self.export_button.setAccessibleName(self.tr("Export dataset"))
        self.export_button.setToolTip(
            self.tr("Write the steps listed, with their inputs and outputs, to a JSONL file")
        )
        self.export_button.clicked.connect(self.export_dataset)
        self.export_status = label("", "verdictBusy", wrap=True)  # padded: see export_dialog
        self.export_status.setObjectName("flaggedExportStatus")
        self.export_status.setAccessibleName(self.tr("Export result"))
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_status.hide()

    def _table(self) -> QTableView:
        accessible = self.tr("Annotated steps")
        table = record_table("flaggedTable", accessible, self.model, COLUMN, WIDTHS, "note")
        table.activated.connect(self._open)  # Enter, and double-click under every style we use
        return table

    def _layout(self) -> None:
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for widget in (self.verdict, self.step, self.label_filter):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.redact)
        filters.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.export_status)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        order: Sequence[QWidget] = (
            self.verdict,
            self.step,
            self.label_filter,
            self.redact,
            self.export_button,
            self.table,
        )
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    # --- filtering ---

    def current_filter(self) -> AnnotationFilter:
        """The filter the controls describe now (the label's debounce skipped)."""
        return AnnotationFilter(
            verdict=str(self.verdict.currentData()) or None,
            step=str(self.step.currentData()) or None,
            label=self.label_filter.text().strip() or None,
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def refresh(self) -> None:
        """Read the steps again with the same filter (verdicts were saved since)."""
        self.model.reload()

    # --- reactions ---

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.runOpened.emit(str(index.data(RUN_ID_ROLE)))

    def _show_failure(self, reason: str) -> None:
        text = self.tr("The flagged steps could not be read: {reason}")
        self.message.setText(text.format(reason=localize(reason)))
        self.message.show()

    def _on_reloaded(self) -> None:
        shown = self.model.rowCount()
        if not self.model.error:
            self.message.hide()
        self.empty.setVisible(shown == 0 and not self.model.error)
        if shown == 1:
            self.count.setText(self.tr("1 step"))
        else:
            self.count.setText(self.tr("{count} steps").format(count=f"{shown:,}"))
        self.export_button.setEnabled(shown > 0 and not self.exporting)
        self._learn_labels()

    def _learn_labels(self) -> None:
        rows = range(self.model.rowCount())
        self.label_filter.learn(self.model.row(n).annotation.label for n in rows)

    # --- the dataset ---

    def choose_path(self) -> Path | None:
        """Ask where to save the dataset; None when cancelled. Tests replace this method: it
        opens a modal file dialog."""
        start = documents() / "stepwise-flagged-steps.jsonl"
        kinds = self.tr("JSON Lines files (*.jsonl)")
        return save_path(self, self.tr("Export the dataset to"), start, "jsonl", kinds)

    def export_dataset(self) -> None:
        """Ask for a file, then write the listed steps' dataset on a worker thread."""
        if self.exporting:
            return
        if self._debounce.isActive():  # a label still being typed: export what it will show
            self.apply_filters()
        path = self.choose_path()
        if path is None:
            return
        flt, redact = self.model.filter(), self.redact.isChecked()
        self._target = path
        self.exporting = True
        self.worker.submit(
            lambda: write_export(
                self.store.path,
                lambda reader: annotations_to_jsonl(reader, path, flt, redact_pii=redact),
            )
        )
        self.export_button.setEnabled(False)
        self.redact.setEnabled(False)
        self._say(self.tr("Exporting the dataset…"), "verdictBusy")

    def _on_exported(self, result: object) -> None:
        assert isinstance(result, ExportResult)
        self.exporting = False
        self.redact.setEnabled(True)
        self.export_button.setEnabled(self.model.rowCount() > 0)
        if result.problem or result.bug:
            self._say(problem_text(result), "verdictFail")
            return
        path = str(self._target)
        if result.count == 1:
            text = self.tr("Exported 1 annotated step to {path}").format(path=path)
        else:
            text = self.tr("Exported {count} annotated steps to {path}").format(
                count=f"{result.count:,}", path=path
            )
        self._say(text, "verdictOk")
        self.datasetExported.emit(path, result.count)

    def _say(self, text: str, role: str) -> None:
        self.export_status.setText(text)
        set_role(self.export_status, role)
        self.export_status.show()
