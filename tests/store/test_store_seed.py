"""The demo seed: loads once, completely, and holds the cases the demo relies on."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime
from typing import Any

import pytest

from app.paths import resource_path
from app.store import Store, StoreBug, seed_demo


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("demo", "seed.json").read_text("utf-8"))
    return data


def test_seed_demo_is_idempotent(store: Store) -> None:
    assert seed_demo(store) is True
    first = store.list_tickets()
    assert seed_demo(store) is False
    assert store.list_tickets() == first


def test_seed_counts(seeded: Store, raw: dict[str, Any]) -> None:
    assert len(seeded.list_tickets()) == len(raw["tickets"]) == 27
    assert len(seeded.policy_limits()) == len(raw["policy_limits"]) == 12
    assert 18 <= len(raw["customers"]) <= 26
    assert 25 <= len(raw["orders"]) <= 35
    assert 8 <= len(raw["policies"]) <= 10
    for policy in raw["policies"]:
        assert seeded.policy(policy["id"]) is not None


def test_the_emily_carter_ticket(seeded: Store) -> None:
    ticket = seeded.ticket("T-1001")
    assert ticket.customer_id == "C-1001"
    assert ticket.received_at == "2026-12-08T09:14:00"
    assert ticket.channel == "email"
    assert "#4521" in ticket.subject
    for phrase in ("November 28", "Chicago", "12 days for express is ridiculous", "December 10"):
        assert phrase in ticket.body
    customer = seeded.customer("C-1001")
    assert customer is not None
    assert (customer.name, customer.vip, customer.vip_tier) == ("Emily Carter", True, "gold")
    assert customer.customer_since.startswith("2019")
    assert customer.language == "en"
    order = seeded.order("#4521")
    assert order is not None
    assert order.customer_id == "C-1001"
    assert (order.placed_at, order.shipping_method, order.carrier) == (
        "2026-11-28",
        "express",
        "UPS",
    )
    assert (order.tracking_status, order.tracking_location) == ("delayed", "Chicago, IL")
    assert order.last_scan_at.startswith("2026-12-02")
    assert order.eta is None
    assert 185 <= order.total <= 195
    assert {item.name for item in order.items} >= {
        "Deluxe Watercolor Paint Set (48 colors)",
        "Personalized Sketchbook (A4, 120 pages)",
    }


def test_seed_records_are_consistent(raw: dict[str, Any]) -> None:
    customers = {c["id"] for c in raw["customers"]}
    orders = {o["id"] for o in raw["orders"]}
    assert len(orders) == len(raw["orders"])
    for order in raw["orders"]:
        assert order["customer_id"] in customers
        items_total = sum(i["quantity"] * i["unit_price"] for i in order["items"])
        assert order["total"] == pytest.approx(items_total), order["id"]
        assert order["shipping_method"] in {"standard", "express", "overnight"}
        assert order["tracking_status"] in {
            "label_created",
            "in_transit",
            "delayed",
            "out_for_delivery",
            "delivered",
            "exception",
        }
        date.fromisoformat(order["placed_at"])
        datetime.fromisoformat(order["last_scan_at"])
        assert order["placed_at"] <= order["last_scan_at"][:10]
        # Delivered on the day of the delivery scan; not delivered, no date.
        delivered = order["tracking_status"] == "delivered"
        assert order["delivered_at"] == (order["last_scan_at"][:10] if delivered else None)
        assert delivered == (order["status"] == "delivered"), order["id"]
    for ticket in raw["tickets"]:
        received = datetime.fromisoformat(ticket["received_at"])
        assert datetime(2026, 12, 1) <= received < datetime(2026, 12, 10), ticket["id"]
        assert ticket["customer_id"] is None or ticket["customer_id"] in customers


def test_delivered_at_is_read_back(seeded: Store) -> None:
    delivered, in_transit = seeded.order("4526"), seeded.order("4521")
    assert delivered is not None and delivered.delivered_at == "2026-12-03"
    assert in_transit is not None and in_transit.delivered_at is None


def test_tickets_about_delivered_orders_come_after_the_delivery(raw: dict[str, Any]) -> None:
    orders = {o["id"]: o for o in raw["orders"]}
    checked = 0
    for ticket in raw["tickets"]:
        for order_id in re.findall(r"\b\d{4}\b", ticket["subject"] + " " + ticket["body"]):
            order = orders.get(order_id)
            if order is None or order["delivered_at"] is None:
                continue
            assert order["customer_id"] == ticket["customer_id"], (ticket["id"], order_id)
            assert order["delivered_at"] <= ticket["received_at"][:10], (ticket["id"], order_id)
            checked += 1
    assert checked >= 10


def test_the_refund_above_the_cap_ticket(seeded: Store) -> None:
    ticket = seeded.ticket("T-1026")
    assert (ticket.customer_id, ticket.channel, ticket.status) == ("C-1009", "email", "open")
    assert ticket.subject == "Espresso machine leaks — I want my $389 back"
    assert "#4507" in ticket.body and "$389" in ticket.body
    customer = seeded.customer("C-1009")
    assert customer is not None and (customer.vip, customer.vip_tier) == (False, None)
    order = seeded.order("#4507")
    assert order is not None and order.customer_id == "C-1009"
    assert (order.total, order.currency, order.status) == (389.0, "USD", "delivered")
    assert [(i.name, i.quantity, i.unit_price) for i in order.items] == [
        ("Barista Espresso Machine (15 bar)", 1, 389.0)
    ]
    assert order.delivered_at is not None
    received = datetime.fromisoformat(ticket.received_at).date()
    days = (received - date.fromisoformat(order.delivered_at)).days
    assert days == 9
    # Inside the refund window, above what an agent may approve alone.
    window = seeded.policy_limit("refund_window_days", customer.vip_tier)
    cap = seeded.policy_limit("refund_agent_cap_usd", customer.vip_tier)
    assert window is not None and cap is not None
    assert days <= window.value and order.total > cap.value


def test_seed_covers_the_demo_cases(seeded: Store, raw: dict[str, Any]) -> None:
    languages = Counter(
        seeded.customer(t["customer_id"]).language  # type: ignore[union-attr]
        for t in raw["tickets"]
        if t["customer_id"]
    )
    assert languages["zh"] >= 2 and languages["es"] >= 1
    assert any(t["customer_id"] is None for t in raw["tickets"])
    assert any(c["vip_tier"] == "platinum" for c in raw["customers"])
    assert any(o["total"] > 200 for o in raw["orders"]), "a refund above the agent cap"
    statuses = {o["tracking_status"] for o in raw["orders"]}
    assert statuses >= {"label_created", "in_transit", "delayed", "delivered", "exception"}
    assert {o["shipping_method"] for o in raw["orders"]} == {"standard", "express", "overnight"}


@pytest.mark.expected_errors  # the broken foreign key is logged as a store bug
def test_load_seed_is_all_or_nothing(store: Store, raw: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(raw))
    broken["tickets"][-1]["customer_id"] = "C-NOBODY"  # violates the foreign key at the end
    with pytest.raises(StoreBug, match="load the demo data"):
        store.load_seed(broken)
    assert store.is_empty()
    assert store.customer("C-1001") is None
    assert store.search_policies("refund") == []
    assert store.policy_limits() == []


def test_malformed_seed_names_the_bad_entry(store: Store) -> None:
    with pytest.raises(StoreBug, match=r"orders\[0\] \(4521\) has unknown field\(s\) \['carier'\]"):
        store.load_seed({"orders": [{"id": "4521", "carier": "UPS", "items": []}]})


def test_seed_entry_missing_a_field(store: Store) -> None:
    ticket = {"id": "T-1", "subject": "s", "body": "b", "channel": "chat", "received_at": "x"}
    with pytest.raises(StoreBug, match=r"tickets\[0\] \(T-1\): .*customer_id"):
        store.load_seed({"tickets": [ticket]})
    customer = {"id": "C-1", "name": "n"}
    with pytest.raises(StoreBug, match=r"customers\[0\] \(C-1\): .*missing"):
        store.load_seed({"customers": [customer]})
    with pytest.raises(StoreBug, match="lacks the field 'items'"):
        store.load_seed({"orders": [{"id": "1"}]})
