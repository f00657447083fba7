"""The reasoning step's facts, read tolerantly from its CONTEXT block.

Every record the pipeline sends (``app/pipeline/retrieval.py``) becomes a small typed view here, so
the rules in ``resolve.py`` compare real dates and amounts instead of poking at raw JSON. Missing or
malformed fields become None; nothing here raises on bad input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.sim.intent import analyse
from app.sim.ticket import TicketView, as_dict, as_dicts, as_strings, parse_date

PRE_SCAN = ("processing", "pending", "label_created", "pre_transit", "unfulfilled")
_AMOUNT = re.compile(r"\$\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(])")


@dataclass(frozen=True)
class Order:
    id: str
    status: str
    method: str
    carrier: str
    tracking: str
    location: str
    placed: date | None
    last_scan: date | None
    eta: date | None
    delivered_at: date | None  # the record's own delivery date, when it has one
    total: float | None
    currency: str
    items: tuple[tuple[str, int, float | None], ...]

    @property
    def cite(self) -> str:
        return f"[order:{self.id}]"

    @property
    def delivered(self) -> bool:
        return "delivered" in (self.status, self.tracking)

    @property
    def delivered_on(self) -> date | None:
        """When it was delivered: the record's date, else the ETA of a delivered order."""
        return self.delivered_at or (self.eta if self.delivered else None)

    @property
    def item_value(self) -> float | None:
        """What the items cost, without shipping; the total when no item has a price."""
        prices = [qty * price for _name, qty, price in self.items if price is not None]
        return round(sum(prices), 2) if prices else self.total

    @property
    def shipped(self) -> bool:
        return self.status not in PRE_SCAN and self.tracking not in PRE_SCAN


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    body: str

    @property
    def cite(self) -> str:
        return f"[policy:{self.id}]"

    def sentences(self) -> list[str]:
        return [s.strip() for s in _SENTENCE.split(self.body) if s.strip()]


@dataclass(frozen=True)
class Case:
    ticket: TicketView
    received: date
    intents: tuple[str, ...]
    order_ids: tuple[str, ...]
    deadline: date | None
    customer: dict[str, Any]
    orders: tuple[Order, ...]
    policies: tuple[Policy, ...]

    @property
    def order(self) -> Order | None:
        """The order the ticket is about: one the customer named, else the first not delivered."""
        named = [o for o in self.orders if o.id in self.order_ids]
        open_ = [o for o in self.orders if not o.delivered]
        candidates = named or open_ or list(self.orders)
        return candidates[0] if candidates else None

    @property
    def tier(self) -> str | None:
        """The VIP tier in lower case ("gold"), "vip" for a VIP without a tier, None otherwise."""
        if not self.customer.get("vip"):
            return None
        return str(self.customer.get("vip_tier") or "vip").lower()

    def find(self, *words: str) -> tuple[Policy, str] | None:
        """The first policy sentence that mentions every one of ``words`` (case-insensitive)."""
        for policy in self.policies:
            for sentence in policy.sentences():
                if all(w.lower() in sentence.lower() for w in words):
                    return policy, sentence
        return None


def read_case(ticket: TicketView) -> Case:
    context = ticket.context
    received = ticket.received or date.today()  # the pipeline always sends a received date
    intent = as_dict(context.get("intent")) or analyse(ticket)
    return Case(
        ticket=ticket,
        received=received,
        intents=tuple(as_strings(intent.get("intents"))) or ("other",),
        order_ids=tuple(re.sub(r"\D", "", i) for i in as_strings(intent.get("order_ids"))),
        deadline=parse_date(intent.get("deadline")),
        customer=as_dict(context.get("customer")),
        orders=tuple(_order(o) for o in as_dicts(context.get("orders"))),
        policies=tuple(_policy(p) for p in as_dicts(context.get("policies"))),
    )


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return str(value).strip() if value is not None else ""


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and abs(number) < 1e12 else None


def _order(record: dict[str, Any]) -> Order:
    items = tuple(
        (
            _text(i, "name") or "item",
            int(_number(i.get("quantity")) or 1),
            _number(i.get("unit_price")),
        )
        for i in as_dicts(record.get("items"))
    )
    return Order(
        id=_text(record, "id").lstrip("#") or "?",
        status=_text(record, "status").lower(),
        method=_text(record, "shipping_method").lower(),
        carrier=_text(record, "carrier"),
        tracking=_text(record, "tracking_status").lower(),
        location=_text(record, "tracking_location"),
        placed=parse_date(record.get("placed_at")),
        last_scan=parse_date(record.get("last_scan_at")),
        eta=parse_date(record.get("eta")),
        delivered_at=parse_date(record.get("delivered_at")),
        total=_number(record.get("total")),
        currency=_text(record, "currency") or "USD",
        items=items,
    )


def _policy(record: dict[str, Any]) -> Policy:
    return Policy(_text(record, "id") or "?", _text(record, "title"), _text(record, "body"))


def amounts(text: str) -> list[str]:
    return list(dict.fromkeys(_AMOUNT.findall(text)))


def dollars(text: str) -> float | None:
    """The first dollar amount in ``text`` as a number."""
    found = _AMOUNT.search(text)
    return float(found.group(0)[1:].replace(",", "")) if found else None


def money(value: float | None, currency: str = "USD") -> str:
    if value is None:
        return "an unknown amount"
    return f"${value:,.2f}" if currency.upper() == "USD" else f"{value:,.2f} {currency.upper()}"


def days(count: int) -> str:
    return f"{count} day" if abs(count) == 1 else f"{count} days"


def day_name(when: date) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[
        when.weekday()
    ]
