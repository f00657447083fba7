"""The inbox (issue "Inbox"): search, filters, read state, keyboard navigation, New ticket.

The list (objectName ``inbox``) shows ``TicketSummary`` rows through ``InboxFilter``. Status
filters a ticket's state (or "Unread"); intent and urgency filter on the latest classified run.
The inbox reads and writes the store only for what is its own: creating a ticket (``New ticket``,
Ctrl+N) and recording that a ticket was opened (``mark_read``, called by the window).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.pipeline.steps import taxonomy
from app.pipeline.validate import schema
from app.store import StoreError
from app.store.models import TicketSummary
from ui.contracts import TicketStore
from ui.formatting import humanize
from ui.i18n import translate
from ui.inbox_delegate import TicketDelegate
from ui.inbox_model import ANY, ID_ROLE, UNREAD, InboxFilter, InboxModel
from ui.new_ticket_dialog import NewTicketDialog
from ui.step_views import label

log = logging.getLogger("stepwise.ui")

# The filters' choices (text, value), shown with translate("Inbox", text); filtering uses the value.
STATUS_CHOICES = (
    (str(QT_TRANSLATE_NOOP("Inbox", "All tickets")), ANY),
    (str(QT_TRANSLATE_NOOP("Inbox", "Unread")), UNREAD),
    (str(QT_TRANSLATE_NOOP("Inbox", "Open")), "open"),
    (str(QT_TRANSLATE_NOOP("Inbox", "Draft")), "draft"),
    (str(QT_TRANSLATE_NOOP("Inbox", "Sent")), "sent"),
)


def urgency_levels() -> list[str]:
    """The urgencies the intent step may give, from its schema (resources/schemas/intent.json)."""
    values = schema("intent.json")["properties"]["urgency"]["enum"]
    return [str(value) for value in values]


class Inbox(QWidget):
    # (str): the ticket the agent moved to (click or arrow keys)
    ticketSelected = Signal(str)
    # (str): id of a ticket just created with New ticket; it is already listed and selected
    ticketCreated = Signal(str)

    def __init__(self, store: TicketStore | None = None) -> None:
        super().__init__()
        self.store = store
        self.model = InboxModel()
        self.proxy = InboxFilter(self.model, self)
        self.new_ticket_dialog: NewTicketDialog | None = None  # while one is open
        self.new_button = self._new_button()
        self.search = self._search_box()
        statuses = [(translate("Inbox", text), value) for text, value in STATUS_CHOICES]
        self.status_filter = filter_combo(
            "inboxStatusFilter", self.tr("Filter by status"), statuses
        )
        # Intent labels and descriptions are the editable taxonomy's (resources/taxonomy.json).
        intents = taxonomy()
        intent_choices = [(self.tr("Any intent"), ANY)]
        intent_choices += [(humanize(key).capitalize(), key) for key in intents]
        self.intent_filter = filter_combo(
            "inboxIntentFilter", self.tr("Filter by intent"), intent_choices
        )
        for row, description in enumerate(intents.values(), start=1):
            self.intent_filter.setItemData(row, description, Qt.ItemDataRole.ToolTipRole)
        levels = [(self.tr("Any urgency"), ANY)] + [
            (humanize(level).capitalize(), level) for level in urgency_levels()
        ]
        self.urgency_filter = filter_combo(
            "inboxUrgencyFilter", self.tr("Filter by urgency"), levels
        )
        self.view = self._list_view()
        self.count = label("", "muted")
        self.count.setObjectName("inboxCount")
        self.count.setAccessibleName(self.tr("Tickets shown"))
        for combo in (self.status_filter, self.intent_filter, self.urgency_filter):
            combo.currentIndexChanged.connect(self._filter)
        self._layout()
        self.set_store(store)

    # --- construction ---

    def _new_button(self) -> QPushButton:
        button = QPushButton(self.tr("New ticket"))
        button.setObjectName("newTicketButton")
        button.setAccessibleName(self.tr("New ticket"))
        button.setShortcut(QKeySequence.StandardKey.New)  # Ctrl+N (⌘N on macOS), window-wide
        shortcut = button.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(
            self.tr("Paste a customer message as a new ticket ({shortcut})").format(
                shortcut=shortcut
            )
        )
        button.clicked.connect(self.open_new_ticket)
        return button

    def _search_box(self) -> QLineEdit:
        search = QLineEdit()
        search.setObjectName("inboxSearch")
        search.setAccessibleName(self.tr("Search tickets"))
        search.setPlaceholderText(self.tr("Search tickets"))
        search.setClearButtonEnabled(True)
        search.textChanged.connect(self._filter)
        search.installEventFilter(self)  # Down moves into the list
        return search

    def _list_view(self) -> QListView:
        view = QListView()
        view.setObjectName("inbox")
        view.setAccessibleName(self.tr("Inbox"))
        view.setModel(self.proxy)
        view.setItemDelegate(TicketDelegate(view))
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setUniformItemSizes(True)
        view.selectionModel().currentChanged.connect(self._on_current)
        return view

    def _layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(label(self.tr("Inbox"), "section"))
        header.addStretch(1)
        header.addWidget(self.new_button)
        # Two rows: intent labels ("Complaint escalation") need the whole width of a narrow inbox.
        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.urgency_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.intent_filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        order = (
            self.new_button,
            self.search,
            self.status_filter,
            self.urgency_filter,
            self.intent_filter,
            self.view,
        )
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- the ticket list ---

    def set_store(self, store: TicketStore | None) -> None:
        """The store New ticket and ``mark_read`` write to; without one both are off."""
        self.store = store
        self.new_button.setEnabled(store is not None)

    def set_tickets(self, tickets: Sequence[TicketSummary]) -> None:
        self.model.set_tickets(tickets)
        self._update_count()

    def select(self, ticket_id: str) -> bool:
        """Make the ticket current (emitting ticketSelected); False when it is not listed or a
        filter hides it."""
        row = self.model.row_of(ticket_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def set_status(self, ticket_id: str, status: str) -> None:
        self.model.set_status(ticket_id, status)

    def set_read(self, ticket_id: str) -> None:
        """Show the ticket as read (the store already knows)."""
        self.model.set_read(ticket_id)
        self._update_count()

    def mark_read(self, ticket_id: str) -> None:
        """The agent opened the ticket: record it in the store and show it as read. A store
        failure is logged and the ticket stays unread on screen: being read is not worth
        interrupting the agent for, and the next open tries again."""
        if self.store is not None:
            try:
                self.store.mark_read(ticket_id)
            except StoreError as err:
                log.warning("could not mark ticket %s read: %s", ticket_id, err)
                return
        self.set_read(ticket_id)

    # --- New ticket ---

    def open_new_ticket(self) -> None:
        if self.store is None:
            return
        if self.new_ticket_dialog is not None:  # one at a time; it is window-modal anyway
            return
        dialog = NewTicketDialog(self.store, self)
        dialog.ticketCreated.connect(self._on_created)
        dialog.finished.connect(self._on_dialog_finished)
        self.new_ticket_dialog = dialog
        dialog.open()  # window-modal without a nested event loop under qasync

    def _on_dialog_finished(self) -> None:
        dialog, self.new_ticket_dialog = self.new_ticket_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _on_created(self, ticket_id: str) -> None:
        if self.store is not None:
            try:
                self.set_tickets(self.store.list_tickets())
            except StoreError as err:
                log.warning("inbox not reloaded after creating %s: %s", ticket_id, err)
        if not self.select(ticket_id) and self.model.row_of(ticket_id) is not None:
            self.clear_filters()  # the agent wants to see what they just made
            self.select(ticket_id)
        self.ticketCreated.emit(ticket_id)

    # --- filters and keys ---

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.intent_filter, self.urgency_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._filter()

    def _filter(self) -> None:
        self.proxy.set_filters(
            text=self.search.text(),
            status=str(self.status_filter.currentData()),
            intent=str(self.intent_filter.currentData()),
            urgency=str(self.urgency_filter.currentData()),
        )
        self._update_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.proxy.rowCount():
                self.view.setFocus()
                if not self.view.currentIndex().isValid():
                    self.select_first()
                return True
        return super().eventFilter(watched, event)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.ticketSelected.emit(str(current.data(ID_ROLE)))

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        unread = sum(1 for row in range(total) if self.model.ticket(row).unread)
        if shown == total and unread:
            text = self.tr("{total} tickets · {unread} unread")
        elif shown == total:
            text = self.tr("{total} tickets")
        elif unread:
            text = self.tr("{shown} of {total} shown · {unread} unread")
        else:
            text = self.tr("{shown} of {total} shown")
        self.count.setText(text.format(shown=shown, total=total, unread=unread))


def filter_combo(
    name: str, accessible: str, choices: Sequence[tuple[str, str]], *, narrow: bool = True
) -> QComboBox:
    """A filter's choices as (shown text, value); ``narrow`` lets it shrink with its column (the
    inbox), else it is as wide as its longest choice."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setToolTip(accessible)
    for text, value in choices:
        combo.addItem(text, value)
    if not narrow:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(4)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
    return combo
