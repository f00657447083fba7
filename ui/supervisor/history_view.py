"""The History tab (issue 6, part 1): filters over the runs, full-text search, the paged table.

Choices come from what exists without new store queries: intents from the taxonomy
(resources/taxonomy.json), statuses and edit levels from the store's constants. The store has no
distinct-values query for agents and models, so those are free-text fields (exact names, as the
store matches them) that complete from the names seen in the rows loaded so far.

Combos and the checkbox filter at once; typed fields (agent, model, costs, search) wait until
typing pauses (``DEBOUNCE_MS``) so a word is one query, not one per letter.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.pipeline.steps import taxonomy
from app.store import HistoryFilter, Store
from app.store.runs import RUN_STATUSES
from ui.formatting import humanize
from ui.i18n import translate
from ui.inbox import filter_combo
from ui.step_views import label
from ui.supervisor.export_dialog import ExportDialog
from ui.supervisor.history_model import (
    COLUMN,
    HistoryModel,
    local_time,
    status_name,
)
from ui.supervisor.period import Clock, PeriodPicker, utc_now
from ui.supervisor.tables import RUN_ID_ROLE, SuggestingField, record_table

DEBOUNCE_MS = 250
MAX_COST = 1000.0
ANY = ""

EDITED = (
    (QT_TRANSLATE_NOOP("HistoryView", "Edited or not"), ANY),
    (QT_TRANSLATE_NOOP("HistoryView", "Edited"), "edited"),
    (QT_TRANSLATE_NOOP("HistoryView", "Unedited"), "unedited"),
)
# Starting widths in pixels; Ticket takes what is left. Wide enough for the usual values
# ("8 Dec 2026, 09:14", "$0.0421"), narrower ones elide with a tooltip.
WIDTHS = {
    "time": 128,
    "agent": 80,
    "intents": 160,
    "models": 220,
    "latency": 64,
    "cost": 72,
    "status": 72,
    "flags": 165,
    "edit": 78,
}


class HistoryView(QWidget):
    # (str): the run the supervisor opened (Enter or double-click on its row)
    runOpened = Signal(str)

    def __init__(self, store: Store, clock: Clock = utc_now) -> None:
        super().__init__()
        self.setObjectName("historyView")
        self._clock = clock
        self.store = store
        self.model = HistoryModel(store, self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self._build_filters()
        self.table = self._table()
        self.count = label("", "muted")
        self.count.setObjectName("historyCount")
        self.count.setAccessibleName(self.tr("Runs shown"))
        self.message = label("", "notice", wrap=True)
        self.message.setObjectName("historyMessage")
        self.message.setAccessibleName(self.tr("History problem"))
        self.message.hide()
        self.model.failed.connect(self._show_failure)
        self.model.reloaded.connect(self._update_count)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.modelReset.connect(lambda: self._learn_names(0, self.model.rowCount() - 1))
        self._layout()
        self.apply_filters()

    # --- construction ---

    def _build_filters(self) -> None:
        self.period = PeriodPicker("historyPeriod", self._clock)
        self.agent = self._name_field("historyAgent", self.tr("Agent"))
        intents = [(self.tr("Any intent"), ANY)]
        intents += [(humanize(key).capitalize(), key) for key in taxonomy()]
        self.intent = filter_combo("historyIntent", self.tr("Intent"), intents, narrow=False)
        self.model_name = self._name_field("historyModelName", self.tr("Model"))
        statuses = [(self.tr("Any status"), ANY)]
        statuses += [(status_name(status), status) for status in RUN_STATUSES]
        self.status = filter_combo("historyStatus", self.tr("Status"), statuses, narrow=False)
        self.min_cost = self._cost_box("historyMinCost", self.tr("Lowest cost"))
        self.max_cost = self._cost_box("historyMaxCost", self.tr("Highest cost"))
        edited = [(translate("HistoryView", str(text)), key) for text, key in EDITED]
        self.edited = filter_combo(
            "historyEdited", self.tr("Edited before sending"), edited, narrow=False
        )
        self.flagged = QCheckBox(self.tr("Flagged only"))
        self.flagged.setObjectName("historyFlagged")
        self.flagged.setAccessibleName(self.tr("Flagged only"))
        self.flagged.setToolTip(self.tr("Runs whose reply needed a supervisor's approval"))
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(self.tr("Search ticket and reply text"))
        self.search.setAccessibleName(self.tr("Search ticket and reply text"))
        self.search.setClearButtonEnabled(True)
        self.export_button = QPushButton(self.tr("Export runs…"))
        self.export_button.setObjectName("historyExport")
        self.export_button.setAccessibleName(self.tr("Export runs"))
        self.export_button.setToolTip(self.tr("Save the runs listed, or all runs, as CSV or JSONL"))
        self.export_button.clicked.connect(self.open_export)
        self.period.changed.connect(self.apply_filters)
        for combo in (self.intent, self.status, self.edited):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.flagged.toggled.connect(self.apply_filters)
        for field in (self.agent, self.model_name, self.search):
            field.textChanged.connect(self._debounce.start)
        for box in (self.min_cost, self.max_cost):
            box.valueChanged.connect(self._debounce.start)

    def _name_field(self, name: str, accessible: str) -> SuggestingField:
        tip = self.tr("Exact name; suggestions come from the runs listed")
        return SuggestingField(name, accessible, tip, 160)

    def _cost_box(self, name: str, accessible: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(name)
        box.setAccessibleName(accessible)
        box.setToolTip(accessible)
        box.setPrefix("$")
        box.setDecimals(3)
        box.setSingleStep(0.01)
        box.setRange(0.0, MAX_COST)
        box.setSpecialValueText(self.tr("Any"))  # shown at 0: no bound
        box.setMaximumWidth(110)
        return box

    def _table(self) -> QTableView:
        table = record_table("historyTable", self.tr("Runs"), self.model, COLUMN, WIDTHS, "ticket")
        # The widest time there is, as the interface's language writes it (longer in Chinese).
        widest = table.fontMetrics().horizontalAdvance(local_time("2026-12-28T23:59:00")) + 16
        table.setColumnWidth(COLUMN["time"], max(WIDTHS["time"], widest))
        table.activated.connect(self._open)  # Enter, and double-click under every style we use
        return table

    def _layout(self) -> None:
        first = QHBoxLayout()
        first.setSpacing(6)
        for widget in (self.period, self.agent, self.intent, self.model_name, self.status):
            first.addWidget(widget)
        first.addStretch(1)
        second = QHBoxLayout()
        second.setSpacing(6)
        second.addWidget(label(self.tr("Cost"), "muted"))
        second.addWidget(self.min_cost)
        second.addWidget(label("–"))
        second.addWidget(self.max_cost)
        second.addWidget(self.edited)
        second.addWidget(self.flagged)
        second.addWidget(self.search, 1)
        second.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        order: Sequence[QWidget] = (
            self.period.combo,
            self.period.first,
            self.period.last,
            self.agent,
            self.intent,
            self.model_name,
            self.status,
            self.min_cost,
            self.max_cost,
            self.edited,
            self.flagged,
            self.search,
            self.export_button,
            self.table,
        )
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    # --- filtering ---

    def current_filter(self) -> HistoryFilter:
        """The filter the controls describe now (typed fields included, debounced or not)."""
        edited = self.edited.currentData()
        since, until = self.period.bounds()
        return HistoryFilter(
            since=since,
            until=until,
            agent=self.agent.text().strip() or None,
            intent=str(self.intent.currentData()) or None,
            model=self.model_name.text().strip() or None,
            status=str(self.status.currentData()) or None,
            min_cost=self.min_cost.value() or None,
            max_cost=self.max_cost.value() or None,
            edited=None if edited == ANY else edited == "edited",
            flagged=True if self.flagged.isChecked() else None,
            text=self.search.text(),
        )

    def apply_filters(self) -> None:
        """Query the store for the controls' filter now (typing's debounce skipped)."""
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def open_export(self) -> ExportDialog:
        """The export dialog, for the runs this filter lists (or all runs)."""
        dialog = ExportDialog(self.store, self.current_filter(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def refresh(self) -> None:
        """Read the runs again with the same filter (runs were recorded since)."""
        self.model.reload()

    # --- reactions ---

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.runOpened.emit(str(index.data(RUN_ID_ROLE)))

    def _show_failure(self, text: str) -> None:
        self.message.setText(self.tr("The history could not be read: {reason}").format(reason=text))
        self.message.show()

    def _update_count(self) -> None:
        if not self.model.error:
            self.message.hide()
        total, shown = self.model.all_runs(), self.model.total()
        if shown == total:
            text = self.tr("{total} runs").format(total=total)
        else:
            text = self.tr("{shown} of {total} runs").format(shown=shown, total=total)
        self.count.setText(text)

    def _on_rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._learn_names(first, last)

    def _learn_names(self, first: int, last: int) -> None:
        """Offer the agent and model names of rows ``first``…``last`` too (names only grow)."""
        rows = [self.model.row(number) for number in range(first, last + 1)]
        self.agent.learn(row.agent_name for row in rows)
        self.model_name.learn(model for row in rows for model in row.models)
