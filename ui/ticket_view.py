"""The selected ticket: subject, when and how it came in, the customer's message (selectable,
never editable: it is data, not instructions), the customer card and the order cards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QScrollArea, QVBoxLayout, QWidget

from ui.cards import customer_card, order_card
from ui.contracts import TicketContextLike
from ui.formatting import format_datetime, humanize
from ui.step_views import StreamView, label
from ui.theme import set_role


class TicketView(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("ticketView")
        self.setAccessibleName(self.tr("Ticket"))
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page = QWidget()
        set_role(page, "pane")
        self.subject = label("", "title", wrap=True)
        self.subject.setObjectName("ticketSubject")
        self.meta = label("", "muted", wrap=True)
        self.meta.setObjectName("ticketMeta")
        self.message = StreamView(min_lines=2, max_lines=8)
        self.message.setObjectName("ticketMessage")
        self.message.setAccessibleName(self.tr("Customer message"))
        # Cards in two columns inside the page's own scroll area: a nested scroller would need
        # its height guessed before the cards' wrapped labels are laid out.
        self.cards = QGridLayout()
        self.cards.setSpacing(10)
        self.cards_box = QWidget()
        self.cards_box.setLayout(self.cards)
        self.empty = label(self.tr("Select a ticket in the inbox."), "muted")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        for widget in (self.empty, self.subject, self.meta, self.message, self.cards_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(page)
        self.clear()

    def clear(self) -> None:
        self.empty.show()
        for widget in (self.subject, self.meta, self.message, self.cards_box):
            widget.hide()
        self._clear_cards()

    def show_context(self, context: TicketContextLike) -> None:
        ticket = context.ticket
        self.empty.hide()
        self.subject.setText(ticket.subject)
        self.meta.setText(
            self.tr("Received {time} · via {channel} · {ticket}").format(
                time=format_datetime(ticket.received_at),
                channel=humanize(ticket.channel),
                ticket=ticket.id,
            )
        )
        self.message.clear_text()
        self.message.append(ticket.body)
        self.message.verticalScrollBar().setValue(0)
        self._clear_cards()
        cards = [customer_card(context.customer)] if context.customer is not None else []
        cards += [order_card(order) for order in context.orders]
        for index, card in enumerate(cards):
            self.cards.addWidget(card, index // 2, index % 2, Qt.AlignmentFlag.AlignTop)
        for widget in (self.subject, self.meta, self.message):
            widget.show()
        self.cards_box.setVisible(bool(cards))

    def _clear_cards(self) -> None:
        while self.cards.count():
            item = self.cards.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
