"""The customer card and order cards shown beside a ticket."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from app.store.models import Customer, Order
from ui.formatting import format_date, format_datetime, format_money, humanize
from ui.i18n import translate
from ui.step_views import label
from ui.theme import set_role, set_state

CARD_WIDTH = 250
_TROUBLE = {"delayed", "exception"}


def _card(name: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName(name)
    set_role(card, "card")
    card.setFixedWidth(CARD_WIDTH)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(12, 10, 12, 10)
    layout.setSpacing(3)
    return card, layout


def _title_row(title: str, badge: QLabel | None) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    heading = label(title, "stepTitle", wrap=True)
    row.addWidget(heading, 1)
    if badge is not None:
        row.addWidget(badge)
    return row


def language_name(code: str) -> str:
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return f"{QLocale.languageToString(locale.language())} ({code})"


def customer_card(customer: Customer) -> QFrame:
    card, layout = _card("customerCard")
    badge = None
    if customer.vip:
        badge = label(
            translate("Cards", "VIP {tier}").format(tier=customer.vip_tier or "").strip(), "badge"
        )
        badge.setObjectName("vipBadge")
    layout.addLayout(_title_row(customer.name, badge))
    layout.addWidget(label(customer.email, "muted"))
    since = format_date(customer.customer_since)
    layout.addWidget(label(translate("Cards", "Customer since {date}").format(date=since)))
    language = language_name(customer.language)
    layout.addWidget(label(translate("Cards", "Language: {language}").format(language=language)))
    orders = customer.lifetime_orders
    layout.addWidget(label(translate("Cards", "Lifetime orders: {count}").format(count=orders)))
    if customer.notes:
        layout.addWidget(label(customer.notes, "muted", wrap=True))
    layout.addStretch(1)
    return card


def order_card(order: Order) -> QFrame:
    card, layout = _card("orderCard")
    status = label(humanize(order.status))
    set_state(status, "done" if order.status == "delivered" else "queued")
    layout.addLayout(
        _title_row(translate("Cards", "Order #{order}").format(order=order.id), status)
    )
    placed = format_date(order.placed_at)
    layout.addWidget(label(translate("Cards", "Placed {date}").format(date=placed), "muted"))
    for item in order.items:
        layout.addWidget(label(f"{item.quantity} × {item.name}", wrap=True))
    total = format_money(order.total, order.currency)
    layout.addWidget(label(translate("Cards", "Total {amount}").format(amount=total)))
    shipping = translate("Cards", "{method} shipping · {carrier}")
    method = humanize(order.shipping_method).capitalize()
    layout.addWidget(label(shipping.format(method=method, carrier=order.carrier)))
    tracking = humanize(order.tracking_status).capitalize()
    where = f" · {order.tracking_location}" if order.tracking_location else ""
    track = label(f"{tracking}{where}", wrap=True)
    track.setObjectName("trackingStatus")
    if order.tracking_status in _TROUBLE:
        set_role(track, "notice")
    layout.addWidget(track)
    scan = format_datetime(order.last_scan_at)
    layout.addWidget(label(translate("Cards", "Last scan {time}").format(time=scan), "muted"))
    eta = label(translate("Cards", "ETA {date}").format(date=format_date(order.eta)))
    eta.setObjectName("orderEta")
    layout.addWidget(eta)
    layout.addStretch(1)
    return card
