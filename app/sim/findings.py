"""What a reasoning rule produces, and the helpers every rule shares.

A ``Finding`` has a *check* (a reasoning line that compares facts and cites them), an *action* (a
sentence for the "Resolution:" paragraph, in "we" voice so the reply writer can hand it to the
customer), the policy sentence it relies on and the *offer* its action makes, for the Proposal
block (``proposal.py``). Rules read amounts, windows and limits from the retrieved policy text and
never invent them; with no policy to lean on, a rule says a supervisor must decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.sim.facts import Case, Order, Policy, amounts, days, dollars, money
from app.sim.proposal import Offer, Refund

_REFUND_WORDS = re.compile(r"refund|money back|reimburs|reembolso|退款", re.IGNORECASE)
_TIERS = re.compile(r"silver|gold|platinum", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    check: str = ""
    action: str = ""
    source: Policy | None = None
    quote: str = ""  # the sentence of ``source`` the finding relies on
    offer: Offer | None = None  # what ``action`` proposes, for the Proposal block


def finding(
    found: tuple[Policy, str] | None, check: str, action: str, offer: Offer | None = None
) -> Finding:
    """A Finding backed by ``found`` (a policy and its sentence), when there is one."""
    source, quote = found or (None, "")
    return Finding(check, action, source, quote, offer)


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


def refund_amount(case: Case, order: Order) -> float | None:
    """What the customer asks back: an amount named beside a refund word ("a full refund for the
    whole order, $320.99"), never more than the order's total; else the total."""
    total = order.total
    for sentence in re.split(r"(?<=[.!?。！？])\s+|\n+", case.ticket.text):
        if _REFUND_WORDS.search(sentence):
            for value in filter(None, (dollars(a) for a in amounts(sentence))):
                if total is None or value <= total + 0.005:
                    return value
    return total


def goodwill(case: Case) -> Finding | None:
    """The goodwill credit an agent may give this customer without approval, from policy.

    "a goodwill credit of up to $25 (up to $50 for VIP gold and platinum)": each "up to" amount
    applies to the tiers named right after it, or to everyone when it names none.
    """
    for policy in case.policies:
        for sentence in policy.sentences():
            if "goodwill credit" not in sentence.lower():
                continue
            for amount, scope in reversed(re.findall(r"up to (\$[\d,.]*\d)([^$]*)", sentence)):
                tiers = {t.lower() for t in _TIERS.findall(scope)}
                value = dollars(amount)
                if value is not None and (not tiers or case.tier in tiers):
                    check = f"A goodwill credit of up to {money(value)} needs no approval here."
                    action = f"We will add a goodwill credit of {money(value)} for the trouble"
                    return Finding(
                        check,
                        f"{action} {policy.cite}.",
                        policy,
                        sentence,
                        Offer(goodwill_credit=value),
                    )
    return None


def outside_window(
    case: Case, order: Order, topic: str, amount: float | None = None
) -> Finding | None:
    """Checks "within N days of delivery" for ``topic``; a Finding only when the order is past it.

    Past the window, a "between A and B days ... we offer X" sentence (store credit) is the
    fallback when the delay falls inside it; beyond that, only a supervisor can make an exception.
    ``amount`` is what the customer wants back: the store credit, or the refund the supervisor
    is asked to approve.
    """
    found = case.find(topic, "days of")
    limit = re.search(r"within (\d+) days", found[1]) if found else None
    delivered = order.delivered_on
    if not (found and limit and delivered):
        return None
    elapsed = (case.received - delivered).days
    window = int(limit.group(1))
    if elapsed <= window:
        return None
    check = f"{order.cite} was delivered {days(elapsed)} ago, past the {window}-day {topic} window."
    offer = case.find("between", "days", "offer")
    offer_terms = r"between (\d+) and (\d+) days.*?we offer ([^;.]+)"
    terms = re.search(offer_terms, offer[1], re.IGNORECASE) if offer else None
    if offer and terms and int(terms.group(1)) <= elapsed <= int(terms.group(2)):
        action = f"Order #{order.id} is past the {window}-day {topic} window, so we offer "
        credit = Offer(store_credit=amount) if "store credit" in terms.group(3) else None
        return Finding(check, f"{action}{terms.group(3)}{cite(offer)}.", *offer, credit)
    refund = None if amount is None else Offer(refund=Refund(order.id, amount))
    return finding(found, check, supervisor(f"an exception to the {window}-day window"), refund)


def within(start: date | None, case: Case, sentence: str) -> bool | None:
    """Whether the received date is within the "within N days" of ``sentence`` after ``start``."""
    limit = re.search(r"within (\d+) days", sentence)
    if start is None or limit is None:
        return None
    return (case.received - start).days <= int(limit.group(1))
