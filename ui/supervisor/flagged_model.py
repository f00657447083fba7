"""The flagged steps table (issue 6, parts 4 and 5): one row per annotated step, from
``Store.annotated_steps``, newest run first (the store's order; the model never sorts).

Annotations are written by hand, a few thousand at most, so the model reads every row of its
filter at once. A store failure never raises into Qt: it is logged and ``failed`` carries the
store's sentence for the view to show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from app.store import AnnotatedStep, AnnotationFilter, Store, StoreError
from ui.core_text import step_name
from ui.i18n import translate
from ui.supervisor.history_model import local_time
from ui.supervisor.tables import RUN_ID_ROLE, RecordModel
from ui.theme import colours

log = logging.getLogger("stepwise.ui.supervisor")

CONTEXT = "FlaggedModel"

# Columns, in order: (key, header). Code compares keys; headers are shown translated.
COLUMNS = (
    ("time", QT_TRANSLATE_NOOP("FlaggedModel", "Run started")),
    ("run", QT_TRANSLATE_NOOP("FlaggedModel", "Run")),
    ("ticket", QT_TRANSLATE_NOOP("FlaggedModel", "Ticket")),
    ("step", QT_TRANSLATE_NOOP("FlaggedModel", "Step")),
    ("model", QT_TRANSLATE_NOOP("FlaggedModel", "Model")),
    ("verdict", QT_TRANSLATE_NOOP("FlaggedModel", "Verdict")),
    ("label", QT_TRANSLATE_NOOP("FlaggedModel", "Label")),
    ("note", QT_TRANSLATE_NOOP("FlaggedModel", "Note")),
    ("author", QT_TRANSLATE_NOOP("FlaggedModel", "Supervisor")),
)
COLUMN = {key: number for number, (key, _header) in enumerate(COLUMNS)}
VERDICT_NAMES = {
    "wrong": QT_TRANSLATE_NOOP("FlaggedModel", "Wrong"),
    "right": QT_TRANSLATE_NOOP("FlaggedModel", "Right"),
}
NONE = "—"


def verdict_name(verdict: str) -> str:
    found = VERDICT_NAMES.get(verdict)
    return translate(CONTEXT, found) if found else verdict


def cell_text(row: AnnotatedStep, column: str) -> str:
    """What column ``column`` shows for ``row`` (a note on one line)."""
    note = row.annotation
    if column == "time":
        return local_time(row.run_started_at)
    if column == "run":
        return note.run_id
    if column == "ticket":
        return row.ticket_id
    if column == "step":
        return step_name(note.step)
    if column == "model":
        return row.model or NONE
    if column == "verdict":
        return verdict_name(note.verdict)
    if column == "label":
        return note.label
    if column == "note":
        return " ".join(note.note.split())
    return note.author or NONE


def _tooltip(row: AnnotatedStep, column: str) -> str:
    if column == "time":
        return translate("FlaggedModel", "Marked {time}").format(
            time=local_time(row.annotation.updated_at)
        )
    if column == "note":
        return row.annotation.note
    return cell_text(row, column)


def _foreground(row: AnnotatedStep, column: str) -> QColor | None:
    if column != "verdict":
        return None
    theme = colours()  # read at paint time: a theme change shows at the next paint
    return QColor(theme.danger if row.annotation.verdict == "wrong" else theme.success)


_ROLES: dict[int, Callable[[AnnotatedStep, str], Any]] = {
    Qt.ItemDataRole.DisplayRole: cell_text,
    Qt.ItemDataRole.ToolTipRole: _tooltip,
    Qt.ItemDataRole.AccessibleTextRole: cell_text,
    Qt.ItemDataRole.ForegroundRole: _foreground,
    RUN_ID_ROLE: lambda row, _column: row.annotation.run_id,
}


class FlaggedModel(RecordModel):
    """Rows of ``Store.annotated_steps`` for the current ``AnnotationFilter``."""

    COLUMNS = COLUMNS
    CONTEXT = CONTEXT
    ROLES = _ROLES

    # (str): a store failure, as a sentence fit to show (the store's own text)
    failed = Signal(str)
    # (): the rows were read again (a new filter or a refresh), well or not
    reloaded = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._filter = AnnotationFilter()
        self._rows: list[AnnotatedStep] = []
        self.error = ""  # the last failure's text, "" after a successful read

    def set_filter(self, flt: AnnotationFilter) -> None:
        self._filter = flt
        self.reload()

    def filter(self) -> AnnotationFilter:
        return self._filter

    def reload(self) -> None:
        """Read the filter's rows again (verdicts were saved since)."""
        self.beginResetModel()
        self._rows = []
        self.error = ""
        try:
            self._rows = self._store.annotated_steps(self._filter)
        except StoreError as err:
            log.warning("flagged steps not loaded: %s", err)
            self.error = str(err)
        finally:
            self.endResetModel()
        if self.error:
            self.failed.emit(self.error)
        self.reloaded.emit()

    def row(self, number: int) -> AnnotatedStep:
        return self._rows[number]
