"""The supervisor's tables of records (runs, annotated steps): read-only rows in the store's own
order, one row selected at a time, Enter or a double-click to open one."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


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
