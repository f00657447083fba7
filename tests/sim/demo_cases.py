"""The demo tickets as the pipeline would show them to the simulator, built from the seed.

Each step's request is made the way the pipeline makes it (the step prompt, the ticket, a CONTEXT
block), with the simulator's own intent and plan as the earlier steps' answers and the facts
looked up in a real store loaded with ``resources/demo/seed.json``. Retrieval follows
``app/pipeline/retrieval.py``: the customer, the orders named (only the customer's own), up to
three policy searches of two articles each, four articles at most.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.paths import resource_path
from app.sim.content import generate
from app.store import Store
from app.store.models import Ticket
from tests.sim.conftest import ticket_messages

JSON_MODE = {"type": "json_object"}
MAX_POLICIES = 4


def seed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("demo", "seed.json").read_text("utf-8"))
    return data


def ticket_ids() -> list[str]:
    return [str(t["id"]) for t in seed()["tickets"]]


@contextmanager
def demo_store(folder: Path) -> Iterator[Store]:
    with Store.open(folder / "demo.sqlite3") as store:
        store.load_seed(seed())
        yield store


def shown(ticket: Ticket) -> dict[str, str]:
    """The ticket's fields the step requests show (``conftest.ticket_messages``)."""
    return {
        "id": ticket.id,
        "received_at": ticket.received_at,
        "subject": ticket.subject,
        "body": ticket.body,
    }


def answer(step: str, ticket: dict[str, str], context: dict[str, Any] | None) -> str:
    """The simulated answer for ``step`` (JSON steps in JSON mode)."""
    body: dict[str, Any] = {
        "model": "sim-reasoner",
        "messages": ticket_messages(step, context, ticket),
    }
    if step in ("intent", "retrieval"):
        body["response_format"] = JSON_MODE
    return generate(body).text


def facts(
    store: Store, ticket: Ticket, intent: dict[str, Any], plan: dict[str, Any]
) -> dict[str, Any]:
    """The reasoning step's CONTEXT facts, looked up as app/pipeline/retrieval.py does."""
    customer = store.customer(ticket.customer_id) if ticket.customer_id else None
    wanted = [*intent.get("order_ids", []), *plan.get("order_ids", [])]
    orders: list[dict[str, Any]] = []
    for order_id in dict.fromkeys(wanted):
        order = store.order(order_id)
        if order and (customer is None or order.customer_id == customer.id):
            orders.append(asdict(order))
    policies: dict[str, Any] = {}
    for query in plan.get("policy_queries", [])[:3]:
        for article in store.search_policies(query, limit=2):
            policies.setdefault(
                article.id, {"id": article.id, "title": article.title, "body": article.body}
            )
    return {
        "customer": asdict(customer) if customer else None,
        "orders": orders,
        "policies": list(policies.values())[:MAX_POLICIES],
    }


def reasoning(store: Store, ticket_id: str, *, plan_sees_intent: bool = False) -> str:
    """The simulated reasoning answer for a demo ticket, after simulated intent and retrieval.

    The planner runs beside intent, so by default its request carries no CONTEXT block.
    """
    ticket = store.ticket(ticket_id)
    fields = shown(ticket)
    intent = json.loads(answer("intent", fields, None))
    plan = json.loads(answer("retrieval", fields, {"intent": intent} if plan_sees_intent else None))
    context = {"intent": intent, **facts(store, ticket, intent, plan)}
    return answer("reasoning", fields, context)
