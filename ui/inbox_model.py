"""The inbox's item model: one row per ``TicketSummary``, with roles the view and filter use."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.store.models import TicketSummary
from ui.formatting import format_datetime

Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # str: the ticket id
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # str: open | draft | sent
CUSTOMER_ROLE = Qt.ItemDataRole.UserRole + 3  # str: customer name ("" when unknown)
SUBJECT_ROLE = Qt.ItemDataRole.UserRole + 4  # str
PREVIEW_ROLE = Qt.ItemDataRole.UserRole + 5  # str: the body's first line or so
RECEIVED_ROLE = Qt.ItemDataRole.UserRole + 6  # str: readable received date and time
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 7  # str: what the search box matches against


class InboxModel(QAbstractListModel):
    def __init__(self, tickets: Sequence[TicketSummary] = ()) -> None:
        super().__init__()
        self._tickets = list(tickets)

    def set_tickets(self, tickets: Sequence[TicketSummary]) -> None:
        self.beginResetModel()
        self._tickets = list(tickets)
        self.endResetModel()

    def ticket(self, row: int) -> TicketSummary:
        return self._tickets[row]

    def row_of(self, ticket_id: str) -> int | None:
        for row, ticket in enumerate(self._tickets):
            if ticket.id == ticket_id:
                return row
        return None

    def set_status(self, ticket_id: str, status: str) -> None:
        row = self.row_of(ticket_id)
        if row is None:
            return
        self._tickets[row] = dataclasses.replace(self._tickets[row], status=status)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index, [STATUS_ROLE, Qt.ItemDataRole.DisplayRole])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's signature)
        return 0 if parent.isValid() else len(self._tickets)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tickets):
            return None
        ticket = self._tickets[index.row()]
        who = ticket.customer_name or "Unknown customer"
        values: dict[int, Any] = {
            Qt.ItemDataRole.DisplayRole: f"{who} — {ticket.subject}\n{ticket.preview}",
            Qt.ItemDataRole.ToolTipRole: f"{ticket.subject}\n{ticket.id} · {ticket.status}",
            Qt.ItemDataRole.AccessibleTextRole: f"{who}, {ticket.subject}, {ticket.status}",
            ID_ROLE: ticket.id,
            STATUS_ROLE: ticket.status,
            CUSTOMER_ROLE: ticket.customer_name,
            SUBJECT_ROLE: ticket.subject,
            PREVIEW_ROLE: ticket.preview,
            RECEIVED_ROLE: format_datetime(ticket.received_at),
            SEARCH_ROLE: " ".join(
                (ticket.id, ticket.customer_name, ticket.subject, ticket.preview)
            ),
        }
        return values.get(role)
