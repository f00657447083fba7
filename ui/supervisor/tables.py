"""The supervisor's tables of records (runs, annotated steps): read-only rows in the store's own
order, one row selected at a time, Enter or a double-click to open one.

``RecordModel`` is Qt's side of such a table; a subclass names its columns and, per item role, a
function of (row, column key), and keeps its rows in ``_rows``. ``SuggestingField`` is the filter
typed over such a table's values (an agent, a model, a label).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QHeaderView, QLineEdit, QTableView

from ui.i18n import translate

Index = QModelIndex | QPersistentModelIndex
RUN_ID_ROLE = Qt.ItemDataRole.UserRole  # str: the row's run id
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class RecordModel(QAbstractTableModel):
    # (key, header marked with QT_TRANSLATE_NOOP in CONTEXT), in column order
    COLUMNS: ClassVar[tuple[tuple[str, object], ...]]
    CONTEXT: ClassVar[str]
    # item role -> what that role shows for (row, column key)
    ROLES: ClassVar[Mapping[int, Callable[[Any, str], Any]]]
    RIGHT_ALIGNED: ClassVar[frozenset[str]] = frozenset()  # column keys of numbers

    _rows: list[Any]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        key, header = self.COLUMNS[section]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return translate(self.CONTEXT, str(header))
        if role == Qt.ItemDataRole.TextAlignmentRole:  # over the cells' text, not centred
            return RIGHT if key in self.RIGHT_ALIGNED else LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.COLUMNS):
            return None
        getter = self.ROLES.get(role)
        if getter is None:
            return None
        return getter(self._rows[index.row()], self.COLUMNS[index.column()][0])


def record_table(
    name: str,
    accessible: str,
    model: QAbstractItemModel,
    columns: Mapping[str, int],
    widths: Mapping[str, int],
    stretch: str,
) -> QTableView:
    """A table over ``model``: columns by key (``columns``) start at ``widths`` pixels, and
    ``stretch`` takes what is left. Connect ``activated`` to open a row."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSortingEnabled(False)  # the store orders the rows, newest first
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: no measuring
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(columns[stretch], QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(48)
    for key, width in widths.items():
        table.setColumnWidth(columns[key], width)
    return table


class SuggestingField(QLineEdit):
    """A filter typed as an exact value (an agent, a model, a label), completing from the values
    seen in the rows listed so far; ``learn`` adds more (suggestions only grow)."""

    def __init__(self, name: str, accessible: str, tip: str, width: int) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setPlaceholderText(accessible)
        self.setToolTip(tip)
        self.setClearButtonEnabled(True)
        self.setMaximumWidth(width)
        self.known: set[str] = set()
        self._strings = QStringListModel([], self)
        completer = QCompleter(self._strings, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def learn(self, values: Iterable[str | None]) -> None:
        before = len(self.known)
        self.known.update(value for value in values if value)  # None, "": nothing to offer
        if len(self.known) != before:
            self._strings.setStringList(sorted(self.known))
