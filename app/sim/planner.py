"""The retrieval planner: which orders to fetch and which policies to search for.

The pipeline calls the planner at the same time as intent, so its request usually carries only
the ticket: the plan then rests on the simulator's own reading of it (``intent.analyse``). When a
CONTEXT block does carry an intent, its labels and order ids are used, together with the ids the
ticket itself names. Policy searches come from the ticket's own wording where it names something
an intent label hides (a duplicate charge is a refund request that billing handles), then from
each intent's best search: one to three in all, as retrieval.md asks.
"""

from __future__ import annotations

import re
from typing import Any

from app.sim.intent import analyse, order_ids_in
from app.sim.ticket import TicketView, as_dict, as_strings

MAX_QUERIES = 3
# What the customer writes → the search that finds the policy for exactly that.
WORDING_QUERIES = (
    (r"charged twice|duplicate charge|double[- ]charged|two charges", "duplicate charge billing"),
    (r"price (?:adjust\w*|drop\w*|difference)|cheaper now", "price adjustment"),
    (r"gift[- ]?wrap\w*", "gift wrap"),
)
_WORDING = tuple((re.compile(p, re.IGNORECASE), q) for p, q in WORDING_QUERIES)
# Intent → knowledge-base searches, most specific first.
POLICY_QUERIES = {
    "shipping_expedite": ("expedite upgrade cost", "express shipping delay"),
    "damaged_item": ("damaged item replacement",),
    "refund_request": ("refund window",),
    "return_request": ("return policy exchange",),
    "cancellation": ("cancel order",),
    "address_change": ("change delivery address",),
    "discount_request": ("VIP discount", "coupon code"),
    "complaint_escalation": ("escalation supervisor",),
    "order_status": ("express shipping delay", "delivery times tracking"),
    "product_inquiry": ("shipping methods delivery times",),
    "account_issue": ("account help",),
    "other": ("shipping methods delivery times",),
}
_NEEDS = {
    "shipping_expedite": "whether it can still arrive by the deadline and what expediting costs",
    "order_status": "where the parcel is and its ETA",
    "refund_request": "the refund window and approval limit",
    "return_request": "the return window and label cost",
    "discount_request": "the customer's VIP or coupon eligibility",
    "cancellation": "whether the order has shipped yet",
    "address_change": "whether the label has been scanned",
    "damaged_item": "the replacement rules for damaged or missing items",
    "complaint_escalation": "when a supervisor must step in",
    "product_inquiry": "the shipping options and times the question is about",
    "other": "the store policy the question touches",
}


def plan(ticket: TicketView) -> dict[str, Any]:
    """The retrieval plan, keys in the order retrieval.md lists them."""
    intent = as_dict(ticket.context.get("intent")) or analyse(ticket)
    intents = [i for i in as_strings(intent.get("intents")) if i in POLICY_QUERIES]
    ranked = sorted(intents or analyse(ticket)["intents"], key=list(POLICY_QUERIES).index)
    named = [re.sub(r"\D", "", i) for i in as_strings(intent.get("order_ids"))]
    order_ids = list(dict.fromkeys([*filter(None, named), *order_ids_in(ticket.text)]))
    needs = [_NEEDS[i] for i in ranked if i in _NEEDS][:MAX_QUERIES]
    subject = f"order {', '.join(order_ids)}" if order_ids else "this ticket"
    return {
        "order_ids": order_ids,
        "policy_queries": queries_for(ticket.text, ranked),
        "why": f"For {subject}, the agent needs to know {_join(needs or [_NEEDS['other']])}.",
        "simulated": True,
    }


def queries_for(text: str, intents: list[str]) -> list[str]:
    """One to three searches: the ticket's own wording first, then each intent's best search,
    then the second-best ones, so three intents get one each."""
    worded = [query for rule, query in _WORDING if rule.search(text)]
    ranked = [i for i in intents if i in POLICY_QUERIES] or ["other"]
    rounds = [POLICY_QUERIES[i][n] for n in (0, 1) for i in ranked if n < len(POLICY_QUERIES[i])]
    return list(dict.fromkeys([*worded, *rounds]))[:MAX_QUERIES]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
