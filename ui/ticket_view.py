"""The selected ticket: subject, when and how it came in, the customer's message (selectable,
never editable: it is data, not instructions), the customer card and the order cards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from ui.cards import customer_card, order_card
from ui.contracts import TicketContextLike
from ui.formatting import format_datetime
from ui.step_views import StreamView, label
from ui.theme import set_role


class TicketView(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("ticketView")
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
        self.message.setAccessibleName("Customer message")
        self.cards = QHBoxLayout()
        self.cards.setSpacing(10)
        cards_box = QWidget()
        cards_box.setLayout(self.cards)
        self.cards_scroller = QScrollArea()
        self.cards_scroller.setWidget(cards_box)
        self.cards_scroller.setWidgetResizable(True)
        self.cards_scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.cards_scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = label("Select a ticket in the inbox.", "muted")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        for widget in (self.empty, self.subject, self.meta, self.message, self.cards_scroller):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(page)
        self.clear()

    def clear(self) -> None:
        self.empty.show()
        for widget in (self.subject, self.meta, self.message, self.cards_scroller):
            widget.hide()
        self._clear_cards()

    def show_context(self, context: TicketContextLike) -> None:
        ticket = context.ticket
        self.empty.hide()
        self.subject.setText(ticket.subject)
        self.meta.setText(
            f"Received {format_datetime(ticket.received_at)} · via {ticket.channel} · {ticket.id}"
        )
        self.message.clear_text()
        self.message.append(ticket.body)
        self.message.verticalScrollBar().setValue(0)
        self._clear_cards()
        if context.customer is not None:
            self.cards.addWidget(customer_card(context.customer))
        for order in context.orders:
            self.cards.addWidget(order_card(order))
        self.cards.addStretch(1)
        for widget in (self.subject, self.meta, self.message):
            widget.show()
        self.cards_scroller.setVisible(context.customer is not None or bool(context.orders))
        self._fit_cards()

    def _fit_cards(self) -> None:
        """The card strip is as tall as its tallest card, plus room for its scroll bar."""
        inner = self.cards_scroller.widget()
        height = inner.sizeHint().height() if inner is not None else 0
        bar = self.cards_scroller.horizontalScrollBar().sizeHint().height()
        self.cards_scroller.setFixedHeight(height + bar + 2)

    def _clear_cards(self) -> None:
        while self.cards.count():
            item = self.cards.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
