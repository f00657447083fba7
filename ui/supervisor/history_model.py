"""The supervisor's history table (issue 6, part 1): one row per recorded run, read a page at a
time from ``Store.history_page`` so 100,000 runs cost what the screen shows.

The store orders rows newest first (the ``runs_by_time`` index); the model never sorts. Qt asks
``canFetchMore``/``fetchMore`` when the view scrolls near the end, and the model appends the next
``PAGE_SIZE`` rows. A store failure never raises into Qt: it is logged, the model stops fetching,
and ``failed`` carries the store's sentence for the view to show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from app.store import HistoryFilter, HistoryRow, Store, StoreError
from ui.formatting import format_cost, format_datetime, format_duration, humanize
from ui.i18n import translate
from ui.supervisor.diff_view import level_name
from ui.supervisor.tables import LEFT, RIGHT, RUN_ID_ROLE, Index, RecordModel
from ui.theme import colours

log = logging.getLogger("stepwise.ui.supervisor")

PAGE_SIZE = 200
CONTEXT = "HistoryModel"

# Columns, in order: (key, header). Code compares keys; headers are shown translated.
COLUMNS = (
    ("time", QT_TRANSLATE_NOOP("HistoryModel", "Time")),
    ("agent", QT_TRANSLATE_NOOP("HistoryModel", "Agent")),
    ("ticket", QT_TRANSLATE_NOOP("HistoryModel", "Ticket")),
    ("intents", QT_TRANSLATE_NOOP("HistoryModel", "Intents")),
    ("models", QT_TRANSLATE_NOOP("HistoryModel", "Models")),
    ("latency", QT_TRANSLATE_NOOP("HistoryModel", "Latency")),
    ("cost", QT_TRANSLATE_NOOP("HistoryModel", "Cost")),
    ("status", QT_TRANSLATE_NOOP("HistoryModel", "Status")),
    ("flags", QT_TRANSLATE_NOOP("HistoryModel", "Flags")),
    ("edit", QT_TRANSLATE_NOOP("HistoryModel", "Edit level")),
)
COLUMN = {key: number for number, (key, _header) in enumerate(COLUMNS)}

STATUS_NAMES = {
    "ok": QT_TRANSLATE_NOOP("HistoryModel", "OK"),
    "failed": QT_TRANSLATE_NOOP("HistoryModel", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("HistoryModel", "Cancelled"),
}
NUMBERS = frozenset({"latency", "cost"})  # right-aligned, header and cells
NOT_SENT = "—"  # no edit level: this run's draft was not the one sent


def status_name(status: str) -> str:
    return translate(CONTEXT, str(STATUS_NAMES[status])) if status in STATUS_NAMES else status


def edit_name(level: str | None) -> str:
    """The edit level as the inspector names it ("lightly edited"); "—" for a draft not sent."""
    return NOT_SENT if level is None else level_name(level)


def local_time(iso: str) -> str:
    """The stored UTC time in the computer's time zone, e.g. ``1 Dec 2026, 11:00``."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return format_datetime(moment.replace(tzinfo=None).isoformat(timespec="minutes"))


def flags_text(row: HistoryRow) -> str:
    parts = [humanize(rule) for rule in row.flags]
    if row.needs_approval and not parts:
        parts.append(translate("HistoryModel", "needs approval"))
    if row.marked_wrong:
        text = translate("HistoryModel", "{count} marked wrong")
        parts.append(text.format(count=row.marked_wrong))
    return ", ".join(parts)


def cell_text(row: HistoryRow, column: str) -> str:
    """What column ``column`` shows for ``row``."""
    if column == "time":
        return local_time(row.started_at)
    if column == "agent":
        return row.agent_name or NOT_SENT
    if column == "ticket":
        return f"{row.ticket_id} · {row.subject}"
    if column == "intents":
        return ", ".join(humanize(label) for label in row.intents)
    if column == "models":
        return ", ".join(row.models)
    if column == "latency":
        return NOT_SENT if row.latency_s is None else format_duration(row.latency_s)
    if column == "cost":
        return ("~" if row.cost_estimated else "") + format_cost(row.cost_usd)
    if column == "status":
        return status_name(row.status)
    if column == "flags":
        return flags_text(row)
    return edit_name(row.edit_level)


def _tooltip(row: HistoryRow, column: str) -> str:
    if column == "ticket":
        who = row.customer_name or translate("HistoryModel", "Unknown customer")
        return f"{row.ticket_id} · {row.subject}\n{who}"
    if column == "cost" and row.cost_estimated:
        return translate(
            "HistoryModel", "Estimated: the provider did not report every step's usage"
        )
    if column == "edit" and row.edit_level is None:
        return translate("HistoryModel", "This run's draft was not the reply sent")
    if column == "time":
        return translate("HistoryModel", "Run {run}").format(run=row.run_id)
    return cell_text(row, column)


def _foreground(row: HistoryRow, column: str) -> QColor | None:
    theme = colours()  # read at paint time: a theme change shows at the next paint
    if column == "status" and row.status == "failed":
        return QColor(theme.danger)
    if column == "status" and row.status == "cancelled":
        return QColor(theme.warning)
    if column == "flags" and (row.needs_approval or row.marked_wrong):
        return QColor(theme.warning)
    return None


def _alignment(_row: HistoryRow, column: str) -> Qt.AlignmentFlag:
    return RIGHT if column in NUMBERS else LEFT


_ROLES: dict[int, Callable[[HistoryRow, str], Any]] = {
    Qt.ItemDataRole.DisplayRole: cell_text,
    Qt.ItemDataRole.ToolTipRole: _tooltip,
    Qt.ItemDataRole.AccessibleTextRole: cell_text,
    Qt.ItemDataRole.ForegroundRole: _foreground,
    Qt.ItemDataRole.TextAlignmentRole: _alignment,
    RUN_ID_ROLE: lambda row, _column: row.run_id,
}


class HistoryModel(RecordModel):
    """Rows of ``Store.history_page`` for the current ``HistoryFilter``, newest first."""

    COLUMNS = COLUMNS
    CONTEXT = CONTEXT
    ROLES = _ROLES
    RIGHT_ALIGNED = NUMBERS

    # (str): a store failure, as a sentence fit to show (the store's own text)
    failed = Signal(str)
    # (): the filter changed or the model reloaded; total() and all_runs() are current
    reloaded = Signal()

    def __init__(
        self, store: Store, parent: QObject | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._filter = HistoryFilter()
        self._rows: list[HistoryRow] = []
        self._total = 0
        self._all = 0
        self._exhausted = True  # nothing more to fetch (loaded everything, or the store failed)
        self.error = ""  # the last failure's text, "" after a successful load

    # --- loading ---

    def set_filter(self, flt: HistoryFilter) -> None:
        """Show the runs ``flt`` lets through: reset, count and load the first page."""
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        """Read the current filter's count and first page again (new runs were recorded)."""
        self.beginResetModel()
        self._rows = []
        self._total = self._all = 0
        self._exhausted = True
        self.error = ""
        try:
            self._total = self._store.history_count(self._filter)
            unfiltered = self._filter == HistoryFilter()
            self._all = self._total if unfiltered else self._store.history_count()
            self._exhausted = False
            self._load_page()
        except StoreError as err:
            self._fail(err)
        finally:
            self.endResetModel()
        self.reloaded.emit()

    def filter(self) -> HistoryFilter:
        return self._filter

    def total(self) -> int:
        """How many runs the filter lets through (loaded or not)."""
        return self._total

    def all_runs(self) -> int:
        """How many runs the store holds, filter or not."""
        return self._all

    def row(self, number: int) -> HistoryRow:
        return self._rows[number]

    def run_id(self, number: int) -> str:
        return self._rows[number].run_id

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        try:
            page = self._page(len(self._rows))
        except StoreError as err:
            self._fail(err)
            return
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        self._done_if_short(page)

    def _load_page(self) -> None:
        page = self._page(0)
        self._rows = page
        self._done_if_short(page)

    def _page(self, offset: int) -> list[HistoryRow]:
        return self._store.history_page(self._filter, offset, self._page_size)

    def _done_if_short(self, page: list[HistoryRow]) -> None:
        # A short page is the end even if runs were recorded since the count.
        if len(page) < self._page_size or len(self._rows) >= self._total:
            self._exhausted = True

    def _fail(self, err: StoreError) -> None:
        # The store has logged the cause; this says what the supervisor saw fail.
        log.warning("history not loaded: %s", err)
        self._exhausted = True  # do not retry on every scroll; a new filter or reload does
        self.error = str(err)
        self.failed.emit(self.error)
