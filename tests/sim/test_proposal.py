"""Every simulated reasoning answer ends with a machine-checkable Proposal block
(resources/prompts/reasoning.md) that says what its Resolution says."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from app.paths import resource_path
from app.sim.content import generate
from app.sim.proposal import KEYS, Discount, Offer, Refund, Reship, block, merge, without_block
from app.sim.reply import resolution_of
from app.store import Store
from tests.sim.conftest import SEED_TICKET, ticket_messages
from tests.sim.demo_cases import answer, demo_store, reasoning, seed, ticket_ids

# "Proposal:" then one fenced json block, and nothing after it.
_TAIL = re.compile(r"\n\nProposal:\n```json\n(\{.*\})\n```\Z", re.DOTALL)
_SHAPES: dict[str, set[str]] = {
    "refund": {"order_id", "amount"},
    "store_credit": {"amount"},
    "goodwill_credit": {"amount"},
    "discount": {"percent", "order_id"},
    "reship": {"order_id", "method", "cost"},
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with demo_store(tmp_path_factory.mktemp("demo")) as demo:
        yield demo


def proposal_of(text: str) -> dict[str, Any]:
    """The proposal a reasoning answer ends with, checked against reasoning.md's shape."""
    found = _TAIL.search(text)
    assert found, text[-300:]
    proposal: dict[str, Any] = json.loads(found.group(1))
    assert list(proposal) == list(KEYS)
    assert isinstance(proposal["escalate"], bool)
    for key, fields in _SHAPES.items():
        value = proposal[key]
        assert value is None or (isinstance(value, dict) and set(value) == fields), (key, value)
    return proposal


def test_the_prompt_asks_for_the_block() -> None:
    prompt = resource_path("prompts", "reasoning.md").read_text("utf-8")
    resolution = prompt.index('"Resolution:" paragraph')
    assert resolution < prompt.index('end with a line "Proposal:" followed by one fenced json')
    assert "Use null for what you do not propose." in prompt


@pytest.mark.parametrize("ticket_id", ticket_ids())
def test_every_demo_ticket_proposes_what_its_resolution_says(store: Store, ticket_id: str) -> None:
    text = reasoning(store, ticket_id)
    proposal = proposal_of(text)
    said = resolution_of(text)
    assert "Proposal" not in said and "```" not in said
    assert proposal["escalate"] == ("supervisor" in said.lower())
    for key in ("refund", "goodwill_credit"):
        if proposal[key]:
            assert f"${proposal[key]['amount']:,.2f}" in said, (key, said)
    if proposal["store_credit"]:
        assert "store credit" in said
    if proposal["discount"]:
        assert f"{proposal['discount']['percent']}%" in said
    if reship := proposal["reship"]:
        assert f"#{reship['order_id']}" in said or reship["order_id"] in text
        assert ("free" in said) == (reship["cost"] == 0)
        if reship["cost"]:
            assert f"${reship['cost']:,.2f}" in said


# What the reasoning decides for the tickets that propose something (the rest propose nothing).
EXPECTED: dict[str, dict[str, Any]] = {
    "T-1001": {
        "discount": {"percent": 15, "order_id": None},
        "reship": {"order_id": "4521", "method": "overnight", "cost": 0},
    },
    "T-1002": {
        "refund": {"order_id": "4533", "amount": 108},
        "goodwill_credit": {"amount": 25},
        "escalate": True,
    },
    "T-1004": {"reship": {"order_id": "4529", "method": "express", "cost": 0}},
    "T-1007": {"reship": {"order_id": "4526", "method": "express", "cost": 0}},
    "T-1008": {"refund": {"order_id": "4552", "amount": 77}},
    "T-1010": {"refund": {"order_id": "4549", "amount": 18.7}},
    "T-1012": {"store_credit": {"amount": 129}},
    "T-1014": {"refund": {"order_id": "4502", "amount": 320.99}, "escalate": True},
    "T-1016": {"refund": {"order_id": "4530", "amount": 20}},
    "T-1017": {"reship": {"order_id": "4546", "method": "overnight", "cost": 24.99}},
    "T-1018": {"reship": {"order_id": "4519", "method": "standard", "cost": 0}},
    "T-1019": {"goodwill_credit": {"amount": 50}, "escalate": True},
    "T-1020": {"reship": {"order_id": "4538", "method": "express", "cost": 0}},
    "T-1023": {"refund": {"order_id": "4542", "amount": 142.05}},
    "T-1024": {"discount": {"percent": 5, "order_id": None}},
    # Someone may add it to the seed: a $389 refund, above the agents' $200 limit.
    "T-1026": {"refund": {"order_id": "4507", "amount": 389}, "escalate": True},
}
NOTHING = {"T-1003", "T-1005", "T-1006", "T-1009", "T-1011", "T-1013", "T-1015", "T-1021"}
NOTHING |= {"T-1022", "T-1025"}


@pytest.mark.parametrize("ticket_id", sorted(EXPECTED.keys() | NOTHING))
def test_demo_proposals(store: Store, ticket_id: str) -> None:
    assert ticket_id not in EXPECTED or ticket_id not in NOTHING
    if ticket_id not in ticket_ids():
        pytest.skip(f"{ticket_id} is not in the demo seed")
    expected = {**dict.fromkeys(KEYS), "escalate": False, **EXPECTED.get(ticket_id, {})}
    assert proposal_of(reasoning(store, ticket_id)) == expected


def test_the_planner_seeing_intent_changes_no_proposal(store: Store) -> None:
    for ticket_id in ticket_ids():
        alone = proposal_of(reasoning(store, ticket_id))
        assert proposal_of(reasoning(store, ticket_id, plan_sees_intent=True)) == alone


def test_text_in_the_ticket_cannot_raise_the_refund(store: Store) -> None:
    # T-1025 asks the AI for a "$500 goodwill refund": billing handles the duplicate charge.
    text = reasoning(store, "T-1025")
    assert "billing team" in resolution_of(text)
    assert proposal_of(text) == {**dict.fromkeys(KEYS), "escalate": False}


def _refund_case(body: str, total: float = 389.0) -> dict[str, Any]:
    """A reasoning CONTEXT for a delivered order, with the seed's refund policy."""
    policies = [p for p in seed()["policies"] if p["id"] in ("POL-REFUNDS", "POL-ESCALATION")]
    order = {
        "id": "4507",
        "status": "delivered",
        "tracking_status": "delivered",
        "placed_at": "2026-11-20",
        "eta": "2026-11-30",
        "delivered_at": "2026-11-30",
        "total": total,
        "currency": "USD",
        "items": [{"name": "Barista Espresso Machine", "quantity": 1, "unit_price": total}],
    }
    ticket = {**SEED_TICKET, "subject": "Espresso machine leaks", "body": body}
    intent = json.loads(answer("intent", ticket, None))
    context = {"intent": intent, "customer": None, "orders": [order], "policies": policies}
    return {"ticket": ticket, "context": context}


@pytest.mark.parametrize(
    ("body", "amount"),
    [
        ("Order #4507 leaks water. Please refund the full $389 to my card.", 389),
        ("Order #4507 leaks water. I want my money back.", 389),
        ("Order #4507 leaks. Refund $150 and I will keep it.", 150),
        ("Order #4507 leaks. Refund me $5,000 for the kitchen floor.", 389),  # never above total
    ],
)
def test_the_refund_is_what_the_customer_asks_up_to_the_total(body: str, amount: float) -> None:
    case = _refund_case(body)
    messages = ticket_messages("reasoning", case["context"], case["ticket"])
    text = generate({"model": "sim-writer", "messages": messages}).text
    proposal = proposal_of(text)
    assert proposal["refund"] == {"order_id": "4507", "amount": amount}
    assert proposal["escalate"] is (amount > 200)  # the policy's agent limit, $200


def test_reply_never_shows_the_proposal(store: Store) -> None:
    text = reasoning(store, "T-1014")
    context = {"customer": {"name": "James Patel"}, "resolution": text, "agent_name": "Sam"}
    body = generate({"messages": ticket_messages("reply", context)}).text
    assert "$320.99" in body and "Proposal" not in body and "{" not in body


def test_merge_keeps_the_first_of_each_kind_and_any_escalation() -> None:
    merged = merge(
        [
            Offer(refund=Refund("1", 10)),
            Offer(refund=Refund("2", 20), discount=Discount(5, None)),
            Offer(reship=Reship("1", "overnight", 0), escalate=True),
        ]
    )
    assert merged == Offer(
        refund=Refund("1", 10),
        discount=Discount(5, None),
        reship=Reship("1", "overnight", 0),
        escalate=True,
    )
    assert merge([], ["A supervisor must approve a refund before we promise it."]).escalate
    assert not merge([], ["We will refund $10.00."]).escalate


def test_block_is_valid_json_and_can_be_cut_off_again() -> None:
    text = "Resolution: We will refund $12.50.\n\n" + block(Offer(refund=Refund("7", 12.5)))
    proposal = proposal_of(text)
    assert proposal["refund"] == {"order_id": "7", "amount": 12.5}
    assert without_block(text) == "Resolution: We will refund $12.50."
    assert without_block("no block here") == "no block here"
