"""Pure conversions between SQLite rows, user text and the records in ``models``.

Nothing here touches a connection, so each piece is tested on its own: rows → records and
records → INSERT parameters, money in cents ↔ floats, the inbox preview, order-number
normalising and the FTS5 query builder.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections.abc import Iterable
from typing import Any

from .models import Customer, Order, OrderItem, PolicyArticle, PolicyLimit, Ticket, TicketSummary

PREVIEW_CHARS = 100

# FTS5 has its own query language (quotes, *, ^, NEAR, AND/OR/NOT, column filters). Ticket and
# model text must never be read as that language, so only word characters survive, each word is
# quoted as a plain string, and the words are OR-ed: BM25 then rewards articles matching more
# and rarer words. The cap bounds the work a very long query can cause.
_WORD = re.compile(r"\w+")
MAX_QUERY_WORDS = 32


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for free text, or None when it holds no searchable word."""
    words: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if word not in words:
            words.append(word)
        if len(words) == MAX_QUERY_WORDS:
            break
    if not words:
        return None
    # \w never matches '"', so wrapping in double quotes needs no escaping.
    return " OR ".join(f'"{word}"' for word in words)


def to_cents(amount: float) -> int:
    return round(amount * 100)


def from_cents(cents: int) -> float:
    return cents / 100


def normalize_order_id(order_id: str) -> str:
    """Order numbers as customers write them ("#4521", " 4521 ") → the stored id "4521"."""
    return order_id.strip().lstrip("#").strip()


def preview(body: str, limit: int = PREVIEW_CHARS) -> str:
    """The body on one line with whitespace collapsed, cut at ``limit`` characters with "…"."""
    flat = " ".join(body.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


def customer_from_row(row: sqlite3.Row) -> Customer:
    return Customer(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        vip=bool(row["vip"]),
        vip_tier=row["vip_tier"],
        customer_since=row["customer_since"],
        language=row["language"],
        lifetime_orders=row["lifetime_orders"],
        notes=row["notes"],
    )


def item_from_row(row: sqlite3.Row) -> OrderItem:
    return OrderItem(
        sku=row["sku"],
        name=row["name"],
        quantity=row["quantity"],
        unit_price=from_cents(row["unit_price_cents"]),
    )


def order_from_row(row: sqlite3.Row, items: Iterable[OrderItem]) -> Order:
    return Order(
        id=row["id"],
        customer_id=row["customer_id"],
        placed_at=row["placed_at"],
        items=tuple(items),
        total=from_cents(row["total_cents"]),
        currency=row["currency"],
        status=row["status"],
        shipping_method=row["shipping_method"],
        carrier=row["carrier"],
        tracking_number=row["tracking_number"],
        tracking_status=row["tracking_status"],
        tracking_location=row["tracking_location"],
        last_scan_at=row["last_scan_at"],
        eta=row["eta"],
        delivered_at=row["delivered_at"],
    )


def policy_from_row(row: sqlite3.Row) -> PolicyArticle:
    return PolicyArticle(
        id=row["id"], title=row["title"], body=row["body"], tags=tuple(json.loads(row["tags"]))
    )


def policy_limit_from_row(row: sqlite3.Row) -> PolicyLimit:
    return PolicyLimit(
        key=row["key"],
        tier=row["tier"],
        value=row["value"],
        unit=row["unit"],
        policy_id=row["policy_id"],
        note=row["note"],
    )


def ticket_from_row(row: sqlite3.Row) -> Ticket:
    return Ticket(
        id=row["id"],
        customer_id=row["customer_id"],
        subject=row["subject"],
        body=row["body"],
        channel=row["channel"],
        received_at=row["received_at"],
        status=row["status"],
        draft=row["draft"],
        sent_text=row["sent_text"],
        sent_at=row["sent_at"],
    )


def summary_from_row(row: sqlite3.Row) -> TicketSummary:
    return TicketSummary(
        id=row["id"],
        subject=row["subject"],
        customer_name=row["customer_name"] or "",
        received_at=row["received_at"],
        status=row["status"],
        preview=preview(row["body"]),
        intents=intent_labels(row["intents_json"]),
        urgency=row["urgency"] if isinstance(row["urgency"], str) else None,
        unread=bool(row["unread"]),
    )


def intent_labels(text: str | None) -> tuple[str, ...]:
    """The labels of an intent answer's ``intents`` array (JSON text); () when it is not one."""
    if not text:
        return ()
    try:
        found = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(found, list):
        return ()
    return tuple(label for label in found if isinstance(label, str))


def insert_statement(table: str, columns: str) -> str:
    """INSERT with one named parameter per column; ``columns`` is space-separated."""
    names = columns.split()
    return (
        f"INSERT INTO {table} ({', '.join(names)})"
        f" VALUES ({', '.join(':' + name for name in names)})"
    )


INSERT_CUSTOMER = insert_statement(
    "customers", "id name email vip vip_tier customer_since language lifetime_orders notes"
)
INSERT_ORDER = insert_statement(
    "orders",
    "id customer_id placed_at total_cents currency status shipping_method carrier"
    " tracking_number tracking_status tracking_location last_scan_at eta delivered_at",
)
INSERT_ITEM = insert_statement("order_items", "order_id line_no sku name quantity unit_price_cents")
INSERT_POLICY = insert_statement("policies", "id title body tags")
INSERT_POLICY_LIMIT = insert_statement("policy_limits", "key tier value unit policy_id note")
INSERT_TICKET = insert_statement(
    "tickets", "id customer_id subject body channel received_at status draft sent_text sent_at"
)


def customer_params(customer: Customer) -> dict[str, Any]:
    return {**dataclasses.asdict(customer), "vip": int(customer.vip)}


def order_params(order: Order) -> dict[str, Any]:
    params = {f.name: getattr(order, f.name) for f in dataclasses.fields(order)}
    del params["items"], params["total"]
    return {**params, "total_cents": to_cents(order.total)}


def item_params(order_id: str, line_no: int, item: OrderItem) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "line_no": line_no,
        "sku": item.sku,
        "name": item.name,
        "quantity": item.quantity,
        "unit_price_cents": to_cents(item.unit_price),
    }


def policy_params(policy: PolicyArticle) -> dict[str, Any]:
    return {
        "id": policy.id,
        "title": policy.title,
        "body": policy.body,
        "tags": json.dumps(list(policy.tags)),
    }


def policy_limit_params(limit: PolicyLimit) -> dict[str, Any]:
    return dataclasses.asdict(limit)


def ticket_params(ticket: Ticket) -> dict[str, Any]:
    return dataclasses.asdict(ticket)
