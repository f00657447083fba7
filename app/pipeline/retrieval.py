"""Grounded retrieval: every fact comes from the store, never from a model.

A model may only *plan* look-ups (which order ids, which policy searches); this module runs them
against SQLite and returns the records with their provenance (record or article id).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from app.store import Store
from app.store.models import Customer, Order, PolicyArticle, Ticket

ORDER_ID = re.compile(r"#\s?(\d{3,})|\border\s+(?:no\.?\s*|number\s*)?(\d{3,})\b", re.IGNORECASE)
MAX_POLICIES = 4


def order_ids_in(text: str) -> list[str]:
    return list(dict.fromkeys(a or b for a, b in ORDER_ID.findall(text)))


def _ids(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [str(v).lstrip("#").strip() for v in values if str(v).strip()]


@dataclass(frozen=True)
class Named:
    """What the ticket itself names, looked up before any model answers: its customer and the
    orders it mentions (``None`` for an id that is not found or not this customer's)."""

    customer: Customer | None
    orders: dict[str, Order | None]


def look_up_named(store: Store, ticket: Ticket) -> Named:
    customer = store.customer(ticket.customer_id) if ticket.customer_id else None
    ids = order_ids_in(ticket.subject + "\n" + ticket.body)
    return Named(customer, {order_id: _order(store, customer, order_id) for order_id in ids})


def retrieve(
    store: Store,
    ticket: Ticket,
    intent: dict[str, Any],
    plan: dict[str, Any],
    named: Named | None = None,
) -> dict[str, Any]:
    """The facts for the ticket: what it names (``named``, looked up already or now), the
    orders intent and the plan add, and the policy articles the plan's searches find."""
    named = named or look_up_named(store, ticket)
    found = dict(named.orders)
    for order_id in _ids(intent.get("order_ids")) + _ids(plan.get("order_ids")):
        if order_id not in found:
            found[order_id] = _order(store, named.customer, order_id)
    orders = [order for order in found.values() if order is not None]
    not_found = [order_id for order_id, order in found.items() if order is None]
    queries = [str(q) for q in plan.get("policy_queries") or [] if str(q).strip()][:3]
    queries = queries or [" ".join(str(i).replace("_", " ") for i in intent.get("intents") or [])]
    policies: dict[str, PolicyArticle] = {}
    for query in queries:
        for article in store.search_policies(query, limit=2):
            policies.setdefault(article.id, article)
    return _facts(named.customer, orders, list(policies.values())[:MAX_POLICIES], not_found)


def covers(facts: dict[str, Any], intent: dict[str, Any], plan: dict[str, Any]) -> bool:
    """Whether ``facts`` looked up without intent already hold all that intent would add: every
    order id it names, and policy searches of the plan's own (intent's labels are the fallback)."""
    looked_up = {o["id"] for o in facts.get("orders") or []} | set(facts.get("not_found") or [])
    named = set(_ids(intent.get("order_ids")))
    has_queries = any(str(q).strip() for q in plan.get("policy_queries") or [])
    return named <= looked_up and has_queries


def _order(store: Store, customer: Customer | None, order_id: str) -> Order | None:
    order = store.order(order_id)
    # An order of another customer is never shown: a ticket cannot pull someone else's data.
    return order if order and (customer is None or order.customer_id == customer.id) else None


def _facts(
    customer: Customer | None,
    orders: list[Order],
    policies: list[PolicyArticle],
    not_found: list[str],
) -> dict[str, Any]:
    records = []
    if customer:
        tier = f" · VIP {customer.vip_tier}" if customer.vip else ""
        records.append(
            {
                "kind": "customer",
                "id": customer.id,
                "label": customer.name + tier,
                "detail": f"customer since {customer.customer_since}, "
                f"{customer.lifetime_orders} orders",
            }
        )
    for order in orders:
        records.append(
            {
                "kind": "order",
                "id": order.id,
                "label": f"Order #{order.id} · {order.status}",
                "detail": f"{order.shipping_method} via {order.carrier}, "
                f"{order.tracking_status} in {order.tracking_location}, "
                f"ETA {order.eta or 'unknown'}",
            }
        )
    for article in policies:
        records.append({"kind": "policy", "id": article.id, "label": article.title, "detail": ""})
    return {
        "records": records,
        "customer": asdict(customer) if customer else None,
        "orders": [asdict(o) for o in orders],
        "policies": [{"id": p.id, "title": p.title, "body": p.body} for p in policies],
        "not_found": not_found,
    }
