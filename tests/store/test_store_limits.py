"""Policy limits: the demo policies' numbers as data, per VIP tier, with their provenance."""

from __future__ import annotations

import pytest

from app.store import Store, StoreBug
from app.store.models import PolicyLimit

EXPECTED = {
    ("refund_agent_cap_usd", None): (200.0, "USD", "POL-REFUNDS"),
    ("refund_window_days", None): (30.0, "days", "POL-REFUNDS"),
    ("store_credit_window_days", None): (60.0, "days", "POL-REFUNDS"),
    ("price_adjust_window_days", None): (14.0, "days", "POL-PRICE-ADJUST"),
    ("goodwill_credit_cap_usd", None): (25.0, "USD", "POL-ESCALATION"),
    ("goodwill_credit_cap_usd", "gold"): (50.0, "USD", "POL-VIP"),
    ("goodwill_credit_cap_usd", "platinum"): (50.0, "USD", "POL-VIP"),
    ("vip_discount_percent", "silver"): (5.0, "percent", "POL-VIP"),
    ("vip_discount_percent", "gold"): (15.0, "percent", "POL-VIP"),
    ("vip_discount_percent", "platinum"): (20.0, "percent", "POL-VIP"),
    ("free_overnight_reship", "gold"): (1.0, "flag", "POL-EXPEDITE"),
    ("free_overnight_reship", "platinum"): (1.0, "flag", "POL-EXPEDITE"),
}


def test_the_seeded_limits(seeded: Store) -> None:
    found = {(x.key, x.tier): (x.value, x.unit, x.policy_id) for x in seeded.policy_limits()}
    assert found == EXPECTED
    assert all(limit.note for limit in seeded.policy_limits())


def test_limits_are_listed_by_key_then_tier(seeded: Store) -> None:
    listed = [(x.key, x.tier) for x in seeded.policy_limits()]
    assert [key for key, _ in listed] == sorted(key for key, _ in listed)
    discounts = [tier for key, tier in listed if key == "vip_discount_percent"]
    assert discounts == ["silver", "gold", "platinum"]
    goodwill = [tier for key, tier in listed if key == "goodwill_credit_cap_usd"]
    assert goodwill == [None, "gold", "platinum"]


@pytest.mark.parametrize(
    ("key", "tier", "value", "policy_id"),
    [
        ("refund_agent_cap_usd", None, 200.0, "POL-REFUNDS"),
        ("refund_agent_cap_usd", "platinum", 200.0, "POL-REFUNDS"),  # no tier row: everyone's
        ("goodwill_credit_cap_usd", None, 25.0, "POL-ESCALATION"),
        ("goodwill_credit_cap_usd", "silver", 25.0, "POL-ESCALATION"),
        ("goodwill_credit_cap_usd", "gold", 50.0, "POL-VIP"),
        ("goodwill_credit_cap_usd", "platinum", 50.0, "POL-VIP"),
        ("vip_discount_percent", "silver", 5.0, "POL-VIP"),
        ("vip_discount_percent", "gold", 15.0, "POL-VIP"),
        ("vip_discount_percent", "platinum", 20.0, "POL-VIP"),
        ("free_overnight_reship", "gold", 1.0, "POL-EXPEDITE"),
        ("free_overnight_reship", "platinum", 1.0, "POL-EXPEDITE"),
    ],
)
def test_policy_limit_per_tier(
    seeded: Store, key: str, tier: str | None, value: float, policy_id: str
) -> None:
    limit = seeded.policy_limit(key, tier)
    assert limit is not None
    assert (limit.key, limit.value, limit.policy_id) == (key, value, policy_id)


@pytest.mark.parametrize(
    ("key", "tier"),
    [
        ("vip_discount_percent", None),  # no discount without a tier
        ("free_overnight_reship", None),
        ("free_overnight_reship", "silver"),
        ("no_such_limit", None),
        ("no_such_limit", "gold"),
    ],
)
def test_limits_that_do_not_apply(seeded: Store, key: str, tier: str | None) -> None:
    assert seeded.policy_limit(key, tier) is None


def test_each_number_is_written_in_its_policy(seeded: Store) -> None:
    for limit in seeded.policy_limits():
        policy = seeded.policy(limit.policy_id)
        assert policy is not None, limit
        number = f"{limit.value:g}"
        written = {
            "USD": f"${number}",
            "days": f"{number} days",
            "percent": f"{limit.tier} {number}%",
            "flag": "free for VIP gold and platinum" if limit.tier else "",
        }[limit.unit]
        assert written in policy.body, (limit, written)


def test_an_empty_store_has_no_limits(store: Store) -> None:
    assert store.policy_limits() == []
    assert store.policy_limit("refund_agent_cap_usd") is None


@pytest.mark.expected_errors  # a broken constraint is logged as a store bug
@pytest.mark.parametrize(
    "limit",
    [
        PolicyLimit("refund_agent_cap_usd", None, 500.0, "USD", "POL-REFUNDS"),  # a second row
        PolicyLimit("vip_discount_percent", "gold", 99.0, "percent", "POL-VIP"),
        PolicyLimit("vip_discount_percent", "bronze", 1.0, "percent", "POL-VIP"),  # no such tier
        PolicyLimit("new_limit", None, 1.0, "USD", "POL-NOWHERE"),  # no such policy
    ],
)
def test_bad_limits_are_refused(seeded: Store, limit: PolicyLimit) -> None:
    before = seeded.policy_limits()
    with pytest.raises(StoreBug, match=f"add policy limit {limit.key}"):
        seeded.insert_policy_limit(limit)
    assert seeded.policy_limits() == before


def test_add_missing_policy_limits_only_adds_what_is_missing(seeded: Store) -> None:
    limits = seeded.policy_limits()
    assert seeded.add_missing_policy_limits(limits) == 0
    seeded._conn.execute("DELETE FROM policy_limits WHERE tier IS NULL AND key LIKE 'refund%'")
    assert seeded.add_missing_policy_limits(limits) == 2
    assert seeded.policy_limits() == limits
