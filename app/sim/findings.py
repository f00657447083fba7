"""What a reasoning rule produces, and the helpers every rule shares.

A ``Finding`` has a *check* (a reasoning line that compares facts and cites them), an *action* (a
sentence for the "Resolution:" paragraph, in "we" voice so the reply writer can hand it to the
customer) and the policy sentence it relies on. Rules read amounts, windows and limits from the
retrieved policy text and never invent them; with no policy to lean on, a rule says a supervisor
must decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.sim.facts import Case, Order, Policy, amounts, days


@dataclass(frozen=True)
class Finding:
    check: str = ""
    action: str = ""
    source: Policy | None = None
    quote: str = ""  # the sentence of ``source`` the finding relies on


def finding(found: tuple[Policy, str] | None, check: str, action: str) -> Finding:
    """A Finding backed by ``found`` (a policy and its sentence), when there is one."""
    return Finding(check, action, *(found or (None, "")))


def cite(found: tuple[Policy, str] | None) -> str:
    """ " [policy:ID]" for the end of a sentence, or nothing without a policy."""
    return f" {found[0].cite}" if found else ""


def quoted(sentence: str, found: tuple[Policy, str] | None) -> str:
    """A policy sentence used as an action, with its citation before the full stop."""
    return f"{sentence.rstrip(' .')}{cite(found)}."


def supervisor(what: str) -> str:
    return f"A supervisor must approve {what} before we promise it."


def last_amount(sentence: str) -> str:
    found = amounts(sentence)
    return found[-1] if found else "the listed fee"


def business_days_range(case: Case, method: str) -> int | None:
    """The slowest transit time for ``method`` ("express 2-3 business days" → 3), from policy."""
    for policy in case.policies:
        found = re.search(rf"{method} (\d+)(?:-(\d+))? business days", policy.body, re.IGNORECASE)
        if found:
            return int(found.group(2) or found.group(1))
    return None


def outside_window(case: Case, order: Order, topic: str) -> Finding | None:
    """Checks "within N days of delivery" for ``topic``; a Finding only when the order is past it.

    Past the window, a "between A and B days ... we offer X" sentence (store credit) is the
    fallback when the delay falls inside it; beyond that, only a supervisor can make an exception.
    """
    found = case.find(topic, "days of")
    limit = re.search(r"within (\d+) days", found[1]) if found else None
    if not (found and limit and order.delivered and order.eta):
        return None
    elapsed = (case.received - order.eta).days
    window = int(limit.group(1))
    if elapsed <= window:
        return None
    check = f"{order.cite} was delivered {days(elapsed)} ago, past the {window}-day {topic} window."
    offer = case.find("between", "days", "offer")
    offer_terms = r"between (\d+) and (\d+) days.*?we offer ([^;.]+)"
    terms = re.search(offer_terms, offer[1], re.IGNORECASE) if offer else None
    if offer and terms and int(terms.group(1)) <= elapsed <= int(terms.group(2)):
        action = f"Order #{order.id} is past the {window}-day {topic} window, so we offer "
        return Finding(check, f"{action}{terms.group(3)}{cite(offer)}.", *offer)
    return finding(found, check, supervisor(f"an exception to the {window}-day window"))


def within(start: date | None, case: Case, sentence: str) -> bool | None:
    """Whether the received date is within the "within N days" of ``sentence`` after ``start``."""
    limit = re.search(r"within (\d+) days", sentence)
    if start is None or limit is None:
        return None
    return (case.received - start).days <= int(limit.group(1))
