"""The complexity router: rules that may skip a step for a simple ticket, saying why.

``simple_status``: a plain "where is my order" question whose orders were all found needs no
multi-constraint reasoning: the reply can be written from the facts. Anything else (a deadline, a
request for money, an angry customer, an order we could not find) keeps the step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SIMPLE_INTENTS = frozenset({"order_status"})


def simple_status(context: dict[str, Any]) -> str | None:
    intent = context.get("intent") or {}
    intents = set(intent.get("intents") or [])
    if not intents or not intents <= SIMPLE_INTENTS:
        return None
    if intent.get("deadline") or intent.get("urgency") == "high":
        return None
    if intent.get("sentiment") == "angry" or context.get("not_found") or not context.get("orders"):
        return None
    return "A plain order-status question and every order it names was found."


RULES: dict[str, Callable[[dict[str, Any]], str | None]] = {"simple_status": simple_status}


def skip_reason(rule: str | None, context: dict[str, Any], enabled: bool) -> str | None:
    if not enabled or rule is None:
        return None
    return RULES[rule](context)
