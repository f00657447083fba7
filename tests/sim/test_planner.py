"""The retrieval plan from the ticket alone: the pipeline calls the planner beside intent, so its
request carries no CONTEXT block. The plan must be as good as with one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.sim.planner import MAX_QUERIES, queries_for
from app.store import Store
from tests.sim.conftest import SEED_TICKET
from tests.sim.demo_cases import answer, demo_store, facts, shown, ticket_ids


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with demo_store(tmp_path_factory.mktemp("demo")) as demo:
        yield demo


def _plan(ticket: dict[str, str], context: dict[str, Any] | None = None) -> dict[str, Any]:
    plan: dict[str, Any] = json.loads(answer("retrieval", ticket, context))
    return plan


def _check_shape(plan: dict[str, Any]) -> None:
    """retrieval.md's keys and types; at most three searches, each a short phrase."""
    assert list(plan) == ["order_ids", "policy_queries", "why", "simulated"]
    assert all(isinstance(i, str) and i.isdigit() for i in plan["order_ids"])
    assert 1 <= len(plan["policy_queries"]) <= MAX_QUERIES
    assert all(isinstance(q, str) and 0 < len(q) <= 60 for q in plan["policy_queries"])
    assert isinstance(plan["why"], str) and plan["why"].endswith(".")


# Orders each demo ticket names, and the policies its look-ups must find.
EXPECTED: dict[str, tuple[list[str], set[str]]] = {
    "T-1001": (["4521"], {"POL-EXPEDITE", "POL-VIP", "POL-SHIPPING"}),
    "T-1002": (["4533"], {"POL-REFUNDS", "POL-ESCALATION", "POL-SHIPPING"}),
    "T-1003": (["4540"], {"POL-CANCEL"}),
    "T-1004": (["4529"], {"POL-DAMAGED"}),
    "T-1005": (["4547"], {"POL-ADDRESS"}),
    "T-1006": ([], {"POL-EXPEDITE", "POL-SHIPPING"}),
    "T-1007": (["4526"], {"POL-DAMAGED"}),
    "T-1008": (["4551", "4552"], {"POL-CANCEL"}),
    "T-1009": (["4536"], {"POL-ADDRESS"}),
    "T-1010": (["4549"], {"POL-PRICE-ADJUST"}),
    "T-1011": ([], {"POL-SHIPPING", "POL-EXPEDITE"}),
    "T-1012": (["4318"], {"POL-REFUNDS", "POL-RETURNS"}),
    "T-1013": (["4498"], {"POL-RETURNS"}),
    "T-1014": (["4502"], {"POL-REFUNDS", "POL-DAMAGED"}),
    "T-1015": (["4544"], {"POL-SHIPPING"}),
    "T-1016": (["4530"], {"POL-PRICE-ADJUST"}),
    "T-1017": (["4546"], {"POL-EXPEDITE"}),
    "T-1018": (["4519"], {"POL-DAMAGED"}),
    "T-1019": (["4548"], {"POL-EXPEDITE", "POL-SHIPPING"}),
    "T-1020": (["4538"], {"POL-DAMAGED"}),
    "T-1021": (["9982"], {"POL-SHIPPING"}),
    "T-1022": ([], {"POL-SHIPPING"}),
    "T-1023": (["4542"], {"POL-CANCEL", "POL-RETURNS"}),
    "T-1024": ([], {"POL-VIP", "POL-PRICE-ADJUST"}),
    "T-1025": (["4535"], {"POL-ESCALATION", "POL-REFUNDS"}),
    "T-1026": (["4507"], {"POL-REFUNDS"}),
}


@pytest.mark.parametrize("ticket_id", ticket_ids())
def test_every_demo_ticket_is_planned_from_the_ticket_alone(store: Store, ticket_id: str) -> None:
    ticket = shown(store.ticket(ticket_id))
    plan = _plan(ticket)
    _check_shape(plan)
    assert all(i in ticket["subject"] + ticket["body"] for i in plan["order_ids"])
    if ticket_id in EXPECTED:
        orders, policies = EXPECTED[ticket_id]
        assert plan["order_ids"] == orders
        intent = json.loads(answer("intent", ticket, None))
        found = facts(store, store.ticket(ticket_id), intent, plan)
        assert policies <= {p["id"] for p in found["policies"]}, plan["policy_queries"]


@pytest.mark.parametrize("ticket_id", ticket_ids())
def test_a_context_block_changes_nothing_for_the_demo(store: Store, ticket_id: str) -> None:
    ticket = shown(store.ticket(ticket_id))
    intent = json.loads(answer("intent", ticket, None))
    assert _plan(ticket, {"intent": intent}) == _plan(ticket)


def test_the_customers_wording_comes_first() -> None:
    assert queries_for("I was charged twice for it", ["refund_request"]) == [
        "duplicate charge billing",
        "refund window",
    ]
    assert queries_for("Can you gift wrap it?", ["product_inquiry"])[0] == "gift wrap"
    many = queries_for("price drop, charged twice, gift wrap", ["shipping_expedite"])
    assert len(many) == MAX_QUERIES and "expedite upgrade cost" not in many
    assert queries_for("hello", []) == ["shipping methods delivery times"]


def test_a_context_intent_adds_to_what_the_ticket_names() -> None:
    intent = {"intents": ["refund_request"], "order_ids": ["#7777", "4521"]}
    plan = _plan(SEED_TICKET, {"intent": intent})
    assert plan["order_ids"] == ["7777", "4521"]
    assert plan["policy_queries"] == ["refund window"]
    _check_shape(plan)


@pytest.mark.parametrize(
    "intent", [None, "garbage", {"intents": ["no_such_label"], "order_ids": "4521"}, {}]
)
def test_an_unusable_context_intent_falls_back_to_the_ticket(intent: Any) -> None:
    assert _plan(SEED_TICKET, {"intent": intent}) == _plan(SEED_TICKET)
