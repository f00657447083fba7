"""Numeric policy limits, checked in code after the reasoning step answers.

The reasoning model ends with a ``Proposal:`` JSON block (resources/prompts/reasoning.md). Each
amount it proposes is compared here with the limits stored in ``policy_limits`` (never with a
number the model read or wrote): a refund above the agent's cap or outside the refund window, a
goodwill credit above the customer's tier cap, a discount the customer is not eligible for. Any
breach flags the run as needing a supervisor's approval, with the reason and the policy's id.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from app.store.models import PolicyLimit

_BLOCK = re.compile(r"Proposal:\s*```(?:json)?\s*(\{.*?\})\s*```", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Flag:
    rule: str
    message: str
    policy_id: str


class Limits(Protocol):
    def policy_limit(self, key: str, tier: str | None = None) -> PolicyLimit | None: ...


def parse_proposal(text: str) -> dict[str, Any] | None:
    """The last ``Proposal:`` block of a reasoning answer, or None."""
    found = _BLOCK.findall(text)
    if not found:
        return None
    try:
        proposal = json.loads(found[-1])
    except ValueError:
        return None
    return proposal if isinstance(proposal, dict) else None


def check(
    proposal: dict[str, Any] | None,
    facts: dict[str, Any],
    limits: Limits,
    ticket_day: date,
) -> list[Flag]:
    if proposal is None:
        return [Flag("no_proposal", "The reasoning gave no checkable proposal: review it.", "")]
    customer = facts.get("customer") or {}
    tier = customer.get("vip_tier") if customer.get("vip") else None
    orders = {str(o.get("id")): o for o in facts.get("orders") or []}
    flags = _refund(_section(proposal, "refund"), orders, limits, ticket_day)
    flags += _credit(_section(proposal, "goodwill_credit"), tier, limits)
    flags += _discount(_section(proposal, "discount"), tier, limits)
    if proposal.get("escalate") is True:
        flags.append(
            Flag("escalation", "The reasoning asks for a supervisor's decision.", "POL-ESCALATION")
        )
    return flags


def _section(proposal: dict[str, Any], key: str) -> dict[str, Any]:
    value = proposal.get(key)
    return value if isinstance(value, dict) else {}


def _amount(section: dict[str, Any], key: str = "amount") -> float | None:
    value = section.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _refund(
    refund: dict[str, Any], orders: dict[str, Any], limits: Limits, ticket_day: date
) -> list[Flag]:
    amount = _amount(refund)
    if amount is None:
        return []
    flags = []
    cap = limits.policy_limit("refund_agent_cap_usd")
    if cap is not None and amount > cap.value:
        flags.append(
            Flag(
                "refund_agent_cap_usd",
                f"Refund of ${amount:,.2f} is above the agents' limit of ${cap.value:,.0f}.",
                cap.policy_id,
            )
        )
    order = orders.get(str(refund.get("order_id")).strip().lstrip("#"))
    if order is None:
        # Not an order retrieved for this ticket: unknown, or another customer's (the store
        # never shows those). A ticket asking to refund someone else's order must not pass
        # unchecked just because the amount is under the cap (tests/hostile).
        flags.append(
            Flag(
                "refund_unknown_order",
                f"Refund for order #{refund.get('order_id')}, which is not one of the orders "
                "retrieved for this ticket.",
                "POL-REFUNDS",
            )
        )
    elif amount > float(order.get("total") or 0):
        flags.append(
            Flag(
                "refund_over_total",
                f"Refund of ${amount:,.2f} is more than the order's total "
                f"of ${float(order.get('total') or 0):,.2f}.",
                "POL-REFUNDS",
            )
        )
    window = limits.policy_limit("refund_window_days")
    delivered = order.get("delivered_at") if order else None
    if window is not None and order and delivered:
        age = (ticket_day - date.fromisoformat(str(delivered)[:10])).days
        if age > window.value:
            flags.append(
                Flag(
                    "refund_window_days",
                    f"Order #{order['id']} was delivered {age} days before the ticket, outside "
                    f"the {window.value:.0f}-day refund window.",
                    window.policy_id,
                )
            )
    return flags


def _credit(credit: dict[str, Any], tier: str | None, limits: Limits) -> list[Flag]:
    amount = _amount(credit)
    cap = limits.policy_limit("goodwill_credit_cap_usd", tier)
    if amount is None or cap is None or amount <= cap.value:
        return []
    return [
        Flag(
            "goodwill_credit_cap_usd",
            f"Goodwill credit of ${amount:,.2f} is above the ${cap.value:,.0f} an agent may give"
            f"{' a ' + tier + ' member' if tier else ''}.",
            cap.policy_id,
        )
    ]


def _discount(discount: dict[str, Any], tier: str | None, limits: Limits) -> list[Flag]:
    percent = _amount(discount, "percent")
    if percent is None:
        return []
    allowed = limits.policy_limit("vip_discount_percent", tier) if tier else None
    if allowed is None:
        return [
            Flag(
                "vip_discount_percent",
                f"A {percent:g}% discount: the customer is not a VIP member.",
                "POL-VIP",
            )
        ]
    flags = []
    if percent > allowed.value:
        flags.append(
            Flag(
                "vip_discount_percent",
                f"A {percent:g}% discount is above the {tier} tier's {allowed.value:g}%.",
                allowed.policy_id,
            )
        )
    if discount.get("order_id"):
        flags.append(
            Flag(
                "vip_discount_retroactive",
                "A VIP discount cannot be applied to an order "
                "already placed: offer a code for a future order.",
                allowed.policy_id,
            )
        )
    return flags
