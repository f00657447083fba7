"""The inbox's item model (one row per ``TicketSummary``) and the filter in front of it.

``InboxFilter`` combines the search text with the status, intent and urgency filters (issue
"Inbox"). It does not re-filter when a row's data changes, only when a filter or the ticket list
does: opening a ticket under "Unread" marks it read, and it must not vanish from under the
agent's cursor (which would select, open and mark read the next one, and so on down the list).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.store.models import TicketSummary
from ui.formatting import format_datetime, humanize
from ui.i18n import translate

Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # str: the ticket id
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # str: open | draft | sent
CUSTOMER_ROLE = Qt.ItemDataRole.UserRole + 3  # str: customer name ("" when unknown)
SUBJECT_ROLE = Qt.ItemDataRole.UserRole + 4  # str
PREVIEW_ROLE = Qt.ItemDataRole.UserRole + 5  # str: the body's first line or so
RECEIVED_ROLE = Qt.ItemDataRole.UserRole + 6  # str: readable received date and time
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 7  # str: what the search box matches against
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 8  # bool: not opened yet
INTENTS_ROLE = Qt.ItemDataRole.UserRole + 9  # tuple[str, ...]: intent labels, () before a run
URGENCY_ROLE = Qt.ItemDataRole.UserRole + 10  # str | None: low | normal | high, None before a run

ANY = ""  # the filter value that lets every ticket through
UNREAD = "unread"  # a status filter value that is a read state, not a ticket status

# How a ticket's status reads inside a row (its pill, tooltip and spoken text), in the
# translation context "InboxModel"; urgencies are named by ``humanize`` like every data term.
# Code compares the keys, never these words.
STATUS_NAMES = {
    "open": str(QT_TRANSLATE_NOOP("InboxModel", "open")),
    "draft": str(QT_TRANSLATE_NOOP("InboxModel", "draft")),
    "sent": str(QT_TRANSLATE_NOOP("InboxModel", "sent")),
}


def status_name(status: str) -> str:
    """A ticket status as shown ("open"); an unknown one as it is stored."""
    return translate("InboxModel", STATUS_NAMES[status]) if status in STATUS_NAMES else status


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
        self._update(ticket_id, [STATUS_ROLE], status=status)

    def set_read(self, ticket_id: str) -> None:
        self._update(ticket_id, [UNREAD_ROLE], unread=False)

    def _update(self, ticket_id: str, roles: list[int], **changes: Any) -> None:
        row = self.row_of(ticket_id)
        if row is None:
            return
        self._tickets[row] = dataclasses.replace(self._tickets[row], **changes)
        index = self.index(row, 0)
        shown = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole]
        self.dataChanged.emit(index, index, [*roles, *shown, Qt.ItemDataRole.ToolTipRole])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's signature)
        return 0 if parent.isValid() else len(self._tickets)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tickets):
            return None
        ticket = self._tickets[index.row()]
        who = ticket.customer_name or self.tr("Unknown customer")
        values: dict[int, Any] = {
            Qt.ItemDataRole.DisplayRole: f"{who} — {ticket.subject}\n{ticket.preview}",
            Qt.ItemDataRole.ToolTipRole: _tooltip(ticket),
            Qt.ItemDataRole.AccessibleTextRole: _spoken(ticket, who),
            ID_ROLE: ticket.id,
            STATUS_ROLE: ticket.status,
            CUSTOMER_ROLE: ticket.customer_name,
            SUBJECT_ROLE: ticket.subject,
            PREVIEW_ROLE: ticket.preview,
            RECEIVED_ROLE: format_datetime(ticket.received_at),
            SEARCH_ROLE: search_text(ticket),
            UNREAD_ROLE: ticket.unread,
            INTENTS_ROLE: ticket.intents,
            URGENCY_ROLE: ticket.urgency,
        }
        return values.get(role)


def search_text(ticket: TicketSummary) -> str:
    return " ".join((ticket.id, ticket.customer_name, ticket.subject, ticket.preview))


def _tooltip(ticket: TicketSummary) -> str:
    if ticket.unread:
        state = translate("InboxModel", "{ticket} · {status} · unread")
    else:
        state = translate("InboxModel", "{ticket} · {status}")
    lines = [ticket.subject, state.format(ticket=ticket.id, status=status_name(ticket.status))]
    if ticket.intents:
        # Intent labels are the taxonomy's keys (resources/taxonomy.json), shown as they are.
        intents = ", ".join(humanize(label) for label in ticket.intents)
        lines.append(translate("InboxModel", "Intent: {intents}").format(intents=intents))
    if ticket.urgency:
        urgency = humanize(ticket.urgency)
        lines.append(translate("InboxModel", "Urgency: {urgency}").format(urgency=urgency))
    return "\n".join(lines)


def _spoken(ticket: TicketSummary, who: str) -> str:
    """What a screen reader says for the row: a list of its fields, not a sentence."""
    parts = [translate("InboxModel", "unread")] if ticket.unread else []
    parts += [who, ticket.subject, status_name(ticket.status)]
    if ticket.urgency:
        urgency = humanize(ticket.urgency)
        parts.append(translate("InboxModel", "{urgency} urgency").format(urgency=urgency))
    return ", ".join(parts)


class InboxFilter(QSortFilterProxyModel):
    """Search text (case-insensitive, anywhere in id, customer, subject, preview) AND status AND
    intent AND urgency. A ticket with no classified run passes only ANY intent and urgency."""

    def __init__(self, model: InboxModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(model)
        self.setDynamicSortFilter(False)  # see the module docstring
        self._model = model
        self._text = ""
        self._status = ANY
        self._intent = ANY
        self._urgency = ANY

    def set_filters(
        self,
        *,
        text: str | None = None,
        status: str | None = None,
        intent: str | None = None,
        urgency: str | None = None,
    ) -> None:
        """Change the given filters (None keeps one as it is) and filter again once."""
        self.beginFilterChange()
        if text is not None:
            self._text = text.strip().casefold()
        if status is not None:
            self._status = status
        if intent is not None:
            self._intent = intent
        if urgency is not None:
            self._urgency = urgency
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self.accepts(self._model.ticket(source_row))

    def accepts(self, ticket: TicketSummary) -> bool:
        if self._status == UNREAD and not ticket.unread:
            return False
        if self._status not in (ANY, UNREAD) and ticket.status != self._status:
            return False
        if self._intent != ANY and self._intent not in ticket.intents:
            return False
        if self._urgency != ANY and ticket.urgency != self._urgency:
            return False
        return not self._text or self._text in search_text(ticket).casefold()
