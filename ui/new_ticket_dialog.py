"""The "New ticket" dialog (objectName ``newTicketDialog``): paste a customer message by hand.

Only the message is required. The subject defaults to its first line; a customer id must be one
the store knows (else the dialog says so under the field); order numbers the store does not know
are allowed, with a note, and are written into the ticket so the pipeline looks them up
(``app.store.new_ticket``). Every problem is shown under its field; nothing is stored until all
are fixed, and a store failure (disk full…) is shown in the dialog in plain words.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QMimeData, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.store import InvalidTicket, StoreError
from app.store.new_ticket import (
    BODY,
    CHANNEL,
    CHANNELS,
    CUSTOMER,
    MAX_BODY_CHARS,
    MAX_ORDER_IDS,
    ORDERS,
    SUBJECT,
    check,
    split_order_ids,
)
from ui.contracts import TicketStore
from ui.core_text import localize
from ui.i18n import translate
from ui.step_views import label
from ui.theme import set_role

log = logging.getLogger("stepwise.ui")

GENERAL = "general"  # problems that belong to no field (the store failed)
# Shown with translate("NewTicketDialog", ...); the keys are app.store.new_ticket.CHANNELS.
_CHANNEL_NAMES = {
    "email": str(QT_TRANSLATE_NOOP("NewTicketDialog", "E-mail")),
    "chat": str(QT_TRANSLATE_NOOP("NewTicketDialog", "Chat")),
    "web": str(QT_TRANSLATE_NOOP("NewTicketDialog", "Web form")),
}


class MessageEdit(QPlainTextEdit):
    """The message box. A paste or drop that would take it over MAX_BODY_CHARS is refused before
    it reaches the document: Qt lays out a megabyte on one line slowly and, on some platforms,
    crashes doing it (seen with the offscreen platform at 1 MB), so it must never get there."""

    # (int): length in characters of the paste or drop that was refused
    refused = Signal(int)

    def insertFromMimeData(self, source: QMimeData) -> None:
        incoming = len(source.text()) if source.hasText() else 0
        kept = len(self.toPlainText()) - len(self.textCursor().selectedText())
        if kept + incoming > MAX_BODY_CHARS:
            self.refused.emit(incoming)
            return
        super().insertFromMimeData(source)


class NewTicketDialog(QDialog):
    # (str): the id of the ticket just stored, e.g. "T-1028"; emitted once, before the dialog closes
    ticketCreated = Signal(str)

    def __init__(self, store: TicketStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newTicketDialog")
        self.setWindowTitle(self.tr("New ticket"))
        self.setAccessibleName(self.tr("New ticket"))
        self.store = store
        self.body = MessageEdit()
        self.subject = QLineEdit()
        self.customer = QLineEdit()
        self.orders = QLineEdit()
        self.channel = QComboBox()
        self.counter = label("", "muted")
        self.order_note = label("", "notice", wrap=True)
        self.problems: dict[str, QLabel] = {}
        self._boxes: dict[str, QFrame] = {}
        self._setup_fields()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText(self.tr("Create ticket"))
        self.create_button.setObjectName("newTicketCreate")
        self.create_button.setAccessibleName(self.tr("Create ticket"))
        set_role(self.create_button, "primary")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        self._update_counter()
        self.resize(560, 600)
        self.body.setFocus()

    def _setup_fields(self) -> None:
        fields = (
            (
                self.body,
                "newTicketBody",
                self.tr("Customer message"),
                self.tr("Paste the customer's message here"),
            ),
            (
                self.subject,
                "newTicketSubject",
                self.tr("Subject"),
                self.tr("Optional: the first line is used"),
            ),
            (
                self.customer,
                "newTicketCustomer",
                self.tr("Customer id"),
                self.tr("Optional, e.g. C-1001"),
            ),
            (
                self.orders,
                "newTicketOrders",
                self.tr("Order numbers"),
                self.tr("Optional, e.g. 4521, 4522"),
            ),
        )
        for widget, name, accessible, hint in fields:
            widget.setObjectName(name)
            widget.setAccessibleName(accessible)
            widget.setPlaceholderText(hint)
        self.body.setTabChangesFocus(True)  # Tab moves on; a pasted tab still arrives as text
        self.body.setMinimumHeight(180)
        self.channel.setObjectName("newTicketChannel")
        self.channel.setAccessibleName(self.tr("Channel"))
        for channel in CHANNELS:
            shown = _CHANNEL_NAMES.get(channel)
            self.channel.addItem(translate("NewTicketDialog", shown) if shown else channel, channel)
        self.counter.setObjectName("newTicketCounter")
        self.counter.setAccessibleName(self.tr("Message length"))
        self.order_note.setObjectName("newTicketOrderNote")
        self.order_note.setAccessibleName(self.tr("Order numbers note"))
        self.order_note.hide()
        for name in (BODY, SUBJECT, CUSTOMER, ORDERS, CHANNEL, GENERAL):
            self._add_problem_box(name)
        self.body.textChanged.connect(self._update_counter)
        self.body.refused.connect(self._on_paste_refused)
        self.orders.textChanged.connect(self._update_order_note)

    def _add_problem_box(self, name: str) -> None:
        box = QFrame()
        set_role(box, "error")
        text = label("", wrap=True)
        text.setObjectName(f"newTicketProblem.{name}")
        text.setAccessibleName(self.tr("Problem"))
        inner = QVBoxLayout(box)
        inner.setContentsMargins(8, 4, 8, 4)
        inner.addWidget(text)
        box.hide()
        self.problems[name] = text
        self._boxes[name] = box

    def _layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        body = _stack(self.body, self.counter, self._boxes[BODY])
        form.addRow(self.tr("Customer &message"), body)
        form.addRow(self.tr("&Subject"), _stack(self.subject, self._boxes[SUBJECT]))
        form.addRow(self.tr("C&ustomer id"), _stack(self.customer, self._boxes[CUSTOMER]))
        orders = _stack(self.orders, self.order_note, self._boxes[ORDERS])
        form.addRow(self.tr("&Order numbers"), orders)
        form.addRow(self.tr("C&hannel"), _stack(self.channel, self._boxes[CHANNEL]))
        layout = QVBoxLayout(self)
        intro = label(
            self.tr(
                "Paste a message a customer sent outside Stepwise. Only the message is required."
            ),
            "muted",
            wrap=True,
        )
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(self._boxes[GENERAL])
        layout.addWidget(self.buttons)
        order = (self.body, self.subject, self.customer, self.orders, self.channel)
        for first, second in zip(order, (*order[1:], self.create_button), strict=True):
            QWidget.setTabOrder(first, second)

    # --- checking and storing ---

    def accept(self) -> None:
        """Store the ticket when every field is fine; otherwise show what is wrong and stay."""
        self._clear_problems()
        fields = self._fields()
        checked = check(**fields)
        if checked.problems:
            self._show_problems(checked.problems)
            return
        try:
            ticket = self.store.add_ticket(
                fields["body"],
                subject=fields["subject"],
                customer_id=fields["customer_id"] or None,
                order_ids=split_order_ids(fields["order_ids"]),
                channel=fields["channel"],
            )
        except InvalidTicket as err:
            self._show_problems(err.problems)
            return
        except StoreError as err:
            problem = self.tr("The ticket was not created. {problem}").format(
                problem=localize(str(err))
            )
            self._show_problems({GENERAL: problem})
            return
        log.info("new ticket %s created in the dialog", ticket.id)
        self.ticketCreated.emit(ticket.id)
        super().accept()

    def _fields(self) -> dict[str, str]:
        return {
            "subject": self.subject.text(),
            "body": self.body.toPlainText(),
            "customer_id": self.customer.text(),
            "order_ids": self.orders.text(),
            "channel": str(self.channel.currentData()),
        }

    def _show_problems(self, problems: dict[str, str]) -> None:
        inputs: dict[str, QWidget] = {
            BODY: self.body,
            SUBJECT: self.subject,
            CUSTOMER: self.customer,
            ORDERS: self.orders,
            CHANNEL: self.channel,
        }
        first: QWidget | None = None
        for name, text in problems.items():
            where = name if name in self._boxes else GENERAL
            self.problems[where].setText(localize(text))
            self._boxes[where].show()
            widget = inputs.get(where)
            if widget is not None:
                widget.setAccessibleDescription(text)
                first = first or widget
        if first is not None:
            first.setFocus()

    def _clear_problems(self) -> None:
        for name, box in self._boxes.items():
            box.hide()
            self.problems[name].clear()
        for widget in (self.body, self.subject, self.customer, self.orders, self.channel):
            widget.setAccessibleDescription("")

    # --- live hints ---

    def _on_paste_refused(self, length: int) -> None:
        self._clear_problems()
        problem = self.tr(
            "Nothing was pasted: the text is {length} characters long and the message may hold "
            "{limit}. Paste only the customer's own message, without quoted history or "
            "attachments."
        ).format(length=f"{length:,}", limit=f"{MAX_BODY_CHARS:,}")
        self._show_problems({BODY: problem})

    def _update_counter(self) -> None:
        # Characters as the store counts them (code points): Qt's own count is in UTF-16 units,
        # two for an emoji, and would call a message too long that the store accepts.
        length = len(self.body.toPlainText())
        too_long = length > MAX_BODY_CHARS
        if too_long:
            text = self.tr("{length} / {limit} characters — too long")
        else:
            text = self.tr("{length} / {limit} characters")
        self.counter.setText(text.format(length=f"{length:,}", limit=f"{MAX_BODY_CHARS:,}"))
        set_role(self.counter, "notice" if too_long else "muted")

    def _update_order_note(self) -> None:
        given = split_order_ids(self.orders.text())[:MAX_ORDER_IDS]
        unknown = [order_id for order_id in given if not self._order_known(order_id)]
        if not unknown:
            self.order_note.hide()
            return
        listed = ", ".join(f"#{order_id}" for order_id in unknown)
        self.order_note.setText(
            self.tr(
                "Not in the store: {orders}. Kept in the message anyway; the look-up step will "
                "report it as not found."
            ).format(orders=listed)
        )
        self.order_note.show()

    def _order_known(self, order_id: str) -> bool:
        if len(order_id) > 32:
            return False
        try:
            return self.store.order(order_id) is not None
        except StoreError:
            return True  # cannot tell now; the pipeline's look-up will say


def _stack(*widgets: QWidget) -> QWidget:
    """One form field: the input with its hints and problem box under it (hidden ones take no
    space)."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    for widget in widgets:
        column.addWidget(widget)
    return holder
