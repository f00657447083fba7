"""The machine-checkable end of a reasoning answer: ``Proposal:`` and one fenced JSON block.

reasoning.md asks for six keys: refund, store_credit, goodwill_credit, discount, reship and
escalate. A rule attaches an ``Offer`` to the finding it makes (a refund of the amount it
decides, a reship with its cost...); ``merge`` combines the offers of the findings whose actions
made it into the Resolution, so the block says what the prose says. ``escalate`` is true when an
action puts the decision to a supervisor. The proposal carries what the reasoning recommends,
also above an agent's limit: the application, not the model, checks the limits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

KEYS = ("refund", "store_credit", "goodwill_credit", "discount", "reship", "escalate")
_SUPERVISOR = re.compile(r"\bsupervisor\b", re.IGNORECASE)
# The line that starts the block; a reply writer stops reading the resolution there.
_MARKER = re.compile(r"^[ \t]*Proposal[ \t]*:", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Refund:
    order_id: str
    amount: float


@dataclass(frozen=True)
class Discount:
    percent: float
    order_id: str | None  # None: a code for a future order


@dataclass(frozen=True)
class Reship:
    order_id: str
    method: str  # "overnight", "express", "standard"
    cost: float  # what the customer pays; 0 when it is free


@dataclass(frozen=True)
class Offer:
    """What one finding proposes; every field optional."""

    refund: Refund | None = None
    store_credit: float | None = None
    goodwill_credit: float | None = None
    discount: Discount | None = None
    reship: Reship | None = None
    escalate: bool = False


def escalates(action: str) -> bool:
    """Whether a Resolution sentence leaves the decision to a supervisor."""
    return bool(_SUPERVISOR.search(action))


def merge(offers: Iterable[Offer], actions: Iterable[str] = ()) -> Offer:
    """The first offer of each kind wins; escalate when any offer or action asks for it."""
    fields: dict[str, Any] = dict.fromkeys(KEYS)
    fields["escalate"] = any(escalates(a) for a in actions)
    for offer in offers:
        for key in KEYS[:-1]:
            if fields[key] is None:
                fields[key] = getattr(offer, key)
        fields["escalate"] = fields["escalate"] or offer.escalate
    return Offer(**fields)


def as_json(offer: Offer) -> dict[str, Any]:
    """The proposal in reasoning.md's shape: all six keys, null for what is not proposed."""
    refund, discount, reship = offer.refund, offer.discount, offer.reship
    return {
        "refund": None
        if refund is None
        else {"order_id": refund.order_id, "amount": number(refund.amount)},
        "store_credit": _amount(offer.store_credit),
        "goodwill_credit": _amount(offer.goodwill_credit),
        "discount": None
        if discount is None
        else {"percent": number(discount.percent), "order_id": discount.order_id},
        "reship": None
        if reship is None
        else {"order_id": reship.order_id, "method": reship.method, "cost": number(reship.cost)},
        "escalate": offer.escalate,
    }


def block(offer: Offer) -> str:
    """``Proposal:`` and the fenced JSON: one key a line, each value compact."""
    pairs = as_json(offer).items()
    lines = (f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in pairs)
    return "Proposal:\n```json\n{\n" + ",\n".join(lines) + "\n}\n```"


def without_block(text: str) -> str:
    """A reasoning answer without its Proposal block (the text before the last marker)."""
    found = list(_MARKER.finditer(text))
    return text[: found[-1].start()].rstrip() if found else text


def number(value: float) -> int | float:
    """Money and percentages as JSON numbers: 389 rather than 389.0, cents kept."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _amount(value: float | None) -> dict[str, int | float] | None:
    return None if value is None else {"amount": number(value)}
