"""The inbox: a searchable list of tickets (objectName ``inbox``), navigable by keyboard."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.store.models import TicketSummary
from ui import theme
from ui.inbox_model import (
    CUSTOMER_ROLE,
    ID_ROLE,
    PREVIEW_ROLE,
    RECEIVED_ROLE,
    SEARCH_ROLE,
    STATUS_ROLE,
    SUBJECT_ROLE,
    InboxModel,
)
from ui.step_views import label

Index = QModelIndex | QPersistentModelIndex
PAD = 8
_STATUS_COLOURS = {
    "open": (theme.ACCENT, theme.ACCENT_SOFT),
    "draft": (theme.WARNING, theme.WARNING_SOFT),
    "sent": (theme.SUCCESS, theme.SUCCESS_SOFT),
}


class TicketDelegate(QStyledItemDelegate):
    """Two lines per ticket: who and when, the subject; then the preview, muted."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, 3 * line + 2 * PAD + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect: QRect = option.rect
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.fillRect(rect, QColor(theme.ACCENT_SOFT if selected else theme.SURFACE))
        if selected:
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor(theme.ACCENT))
        painter.setPen(QPen(QColor(theme.BORDER)))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        inner = rect.adjusted(PAD + 4, PAD, -PAD, -PAD)
        line = option.fontMetrics.lineSpacing()
        pill_width = self._paint_status(painter, inner, str(index.data(STATUS_ROLE)))
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        name = str(index.data(CUSTOMER_ROLE) or "Unknown customer")
        first = QRect(inner.left(), inner.top(), inner.width() - pill_width - PAD, line)
        self._text(painter, first, name, bold, theme.TEXT)
        second = first.translated(0, line)
        second.setWidth(inner.width())
        self._text(painter, second, str(index.data(SUBJECT_ROLE)), base, theme.TEXT)
        third = second.translated(0, line)
        preview = f"{index.data(RECEIVED_ROLE)} · {index.data(PREVIEW_ROLE)}"
        self._text(painter, third, preview, base, theme.MUTED)
        painter.restore()

    def _text(self, painter: QPainter, rect: QRect, text: str, font: QFont, colour: str) -> None:
        painter.setFont(font)
        painter.setPen(QColor(colour))
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
        )

    def _paint_status(self, painter: QPainter, inner: QRect, status: str) -> int:
        fg, bg = _STATUS_COLOURS.get(status, (theme.MUTED, theme.WINDOW))
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(status) + 14
        pill = QRect(inner.right() - width, inner.top(), width, metrics.height() + 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(pill, 8, 8)
        painter.setPen(QColor(fg))
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), status)
        return width


class Inbox(QWidget):
    # (str): the ticket the agent moved to (click or arrow keys)
    ticketSelected = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.model = InboxModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit()
        self.search.setObjectName("inboxSearch")
        self.search.setPlaceholderText("Search tickets")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.view = QListView()
        self.view.setObjectName("inbox")
        self.view.setAccessibleName("Inbox")
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(TicketDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.count = label("", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addWidget(label("Inbox", "section"))
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)

    def set_tickets(self, tickets: Sequence[TicketSummary]) -> None:
        self.model.set_tickets(tickets)
        self._update_count()

    def select(self, ticket_id: str) -> bool:
        row = self.model.row_of(ticket_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        return True

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def set_status(self, ticket_id: str, status: str) -> None:
        self.model.set_status(ticket_id, status)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.ticketSelected.emit(str(current.data(ID_ROLE)))

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total} tickets" if shown == total else f"{shown} of {total} shown")
