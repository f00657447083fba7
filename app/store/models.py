"""Records the store hands out. Plain frozen dataclasses: no SQL, no Qt.

Dates are ISO 8601 strings (``2026-11-28``; datetimes ``2026-12-08T09:14:00``), money is a float in
the order's currency. Every record has a stable id, which is its provenance in the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Customer:
    id: str  # "C-1001"
    name: str
    email: str
    vip: bool
    vip_tier: str | None  # "gold", "platinum"… or None
    customer_since: str  # ISO date
    language: str  # BCP 47 code of the language they write in: "en", "zh", "es"
    lifetime_orders: int
    notes: str = ""


@dataclass(frozen=True)
class OrderItem:
    sku: str
    name: str
    quantity: int
    unit_price: float


@dataclass(frozen=True)
class Order:
    id: str  # "4521" (customers write "#4521")
    customer_id: str
    placed_at: str  # ISO date
    items: tuple[OrderItem, ...]
    total: float
    currency: str  # "USD"
    status: str  # processing | shipped | delivered | cancelled | returned
    shipping_method: str  # standard | express | overnight
    carrier: str  # "UPS", "FedEx", "USPS", "DHL"
    tracking_number: str
    # label_created | in_transit | delayed | out_for_delivery | delivered | exception
    tracking_status: str
    tracking_location: str  # "Chicago, IL"
    last_scan_at: str  # ISO datetime
    eta: str | None  # ISO date, None when unknown
    # ISO date the carrier delivered it; None until then. Refund, return and price windows count
    # from it (POL-REFUNDS, POL-RETURNS), so it is stored rather than guessed from the last scan.
    delivered_at: str | None = None


@dataclass(frozen=True)
class PolicyArticle:
    id: str  # "POL-EXPEDITE"
    title: str
    body: str  # short plain text; numbers in it are the policy's own figures
    tags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PolicyLimit:
    """One number from a policy article, as data the reasoning step can cite."""

    key: str  # "refund_agent_cap_usd"
    tier: str | None  # None: everyone without a tier-specific row; "silver" | "gold" | "platinum"
    value: float
    unit: str  # "USD" | "days" | "percent" | "flag" (1.0 = yes)
    policy_id: str  # the article the number is written in: its provenance
    note: str = ""


@dataclass(frozen=True)
class Ticket:
    id: str  # "T-1001"
    customer_id: str | None
    subject: str
    body: str
    channel: str  # email | chat | web
    received_at: str  # ISO datetime
    status: str  # open | draft | sent
    draft: str | None = None
    sent_text: str | None = None
    sent_at: str | None = None


@dataclass(frozen=True)
class TicketSummary:
    """One inbox row."""

    id: str
    subject: str
    customer_name: str
    received_at: str
    status: str
    preview: str  # the first ~100 characters of the body, on one line
    # From the latest run whose intent step gave an answer; empty / None before any such run.
    intents: tuple[str, ...] = ()  # taxonomy labels: "shipping_expedite", …
    urgency: str | None = None  # low | normal | high (resources/schemas/intent.json)
    unread: bool = False  # True until the agent opens the ticket once (``Store.mark_read``)
