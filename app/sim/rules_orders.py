"""Reasoning rules about where an order is and what we can do with it.

Delivery (ETA against the deadline, expediting), cancellation, address changes, damaged, missing
or wrong items, and escalation. All dates are compared as ``datetime.date``. A replacement sent
out, like a reship, is proposed as a ``reship``; a goodwill credit comes with an escalation or a
deadline nothing can meet.
"""

from __future__ import annotations

import re

from app.sim.dates import business_days_after
from app.sim.facts import Case, Order, days, dollars, money
from app.sim.findings import (
    Finding,
    business_days_range,
    cite,
    finding,
    goodwill,
    last_amount,
    supervisor,
)
from app.sim.proposal import Offer, Refund, Reship


def missing_order(case: Case) -> Finding:
    if case.order_ids:
        named = ", ".join(f"#{i}" for i in case.order_ids)
        return Finding(
            f"No order record in the CONTEXT matches {named}: nothing about it can be promised.",
            f"We cannot find order {named} under the customer's account, so we ask the customer to "
            "check the number in the confirmation email.",
        )
    return Finding(
        "The ticket names no order number and the CONTEXT holds no order record.",
        "We need the customer's order number (from the confirmation email) to look it up.",
    )


def delivery(case: Case, order: Order) -> list[Finding]:
    if order.delivered:
        return [Finding(f"{order.cite} is already delivered.")]
    late = order.eta is None or order.eta < case.received
    if not late and (case.deadline is None or (order.eta and order.eta <= case.deadline)):
        return [_on_time(case, order)]
    if case.deadline is None or "shipping_expedite" not in case.intents:
        return [_trace(case, order, f"{order.cite} has no usable ETA: it is late.")]
    reason = "has no ETA" if order.eta is None else f"is due {order.eta.isoformat()}"
    check = f"{order.cite} {reason}, so it cannot be counted on for {case.deadline.isoformat()}."
    findings = [Finding(check), *_expedite(case, order)]
    if order.tracking in ("delayed", "exception"):
        findings.append(_trace(case, order, "", also=True))
    return findings


def _trace(case: Case, order: Order, check: str, also: bool = False) -> Finding:
    found = case.find("trace")
    if also:
        action = f"We will also open a carrier trace on the original parcel{cite(found)}."
    else:
        action = f"We will open a carrier trace on order #{order.id} and send the customer the "
        action += f"next update time{cite(found)}."
    return finding(found, check, action)


def _on_time(case: Case, order: Order) -> Finding:
    assert order.eta is not None
    margin = ""
    if case.deadline is not None:
        margin = f", {days((case.deadline - order.eta).days)} before {case.deadline.isoformat()}"
    carrier = f" with {order.carrier}" if order.carrier else ""
    return Finding(
        f"{order.cite} ETA {order.eta.isoformat()}{margin}: on time.",
        f"Order #{order.id} is on its way{carrier} and due on {order.eta.isoformat()}{margin}.",
    )


def _expedite(case: Case, order: Order) -> list[Finding]:
    assert case.deadline is not None
    arrival = business_days_after(case.received, 1)  # overnight, sent today
    margin = (case.deadline - arrival).days
    found = case.find("upgrade") if not order.shipped else case.find("reship")
    if found is None:
        check = "No retrieved policy offers a faster option."
        return [Finding(check, supervisor("a faster option"))]
    policy, sentence = found
    if margin < 0:
        check = f"Even overnight, sent today, arrives {arrival.isoformat()}: after the deadline."
        # Nothing makes the date: a goodwill credit while a supervisor decides what else to do.
        credit = goodwill(case)
        return [
            Finding(check, supervisor("another remedy"), policy, sentence),
            *filter(None, [credit]),
        ]
    free = case.tier is not None and case.tier in sentence.lower()
    price = (
        f"free of charge for VIP {case.tier} members" if free else f"for {last_amount(sentence)}"
    )
    verb = (
        "upgrade the shipping to overnight" if not order.shipped else "reship the items overnight"
    )
    timing = "on the deadline day itself" if margin == 0 else f"{days(margin)} before the deadline"
    check = f"Overnight, sent today, arrives {arrival.isoformat()}: {timing}."
    action = f"We will {verb}, {price}, so they arrive on {arrival.isoformat()}, {timing}"
    # An upgrade before dispatch is proposed as a reship too: a new overnight send, at its cost.
    cost = 0.0 if free else dollars(last_amount(sentence)) or 0.0
    offer = Offer(reship=Reship(order.id, "overnight", cost))
    return [Finding(check, f"{action} {policy.cite}.", policy, sentence, offer)]


def cancellation(case: Case, order: Order) -> list[Finding]:
    # "cancel 4552 and refund it": the order right after the verb, when the ticket names one.
    named = re.search(r"cancel\w*\s+(?:order\s+)?#?(\d{3,})", case.ticket.text, re.IGNORECASE)
    order = next((o for o in case.orders if named and o.id == named.group(1)), order)
    found = case.find("cancel")
    if not order.shipped:
        amount = "" if order.total is None else f" ({money(order.total, order.currency)})"
        action = f"We will cancel order #{order.id} free of charge and refund it in full{amount}"
        action += f"{cite(found)}."
        check = f"{order.cite} has no carrier scan yet: it can be cancelled."
        refund = None if order.total is None else Offer(refund=Refund(order.id, order.total))
        return [finding(found, check, action, refund)]
    action = f"Order #{order.id} has already shipped, so instead of cancelling, the customer can "
    action += f"refuse the delivery or return it{cite(found)}."
    return [finding(found, f"{order.cite} is already in transit: too late to cancel.", action)]


def address(case: Case, order: Order) -> list[Finding]:
    found = case.find("address")
    if not order.shipped:
        action = f"We will change the address on order #{order.id} free of charge before it ships"
        return [finding(found, f"{order.cite} has no carrier scan yet.", f"{action}{cite(found)}.")]
    fee = case.find("address correction")
    waived = fee is not None and case.tier is not None and "waived for vip" in fee[1].lower()
    cost = "" if fee is None else f" (carrier fee {last_amount(fee[1])})"
    cost = " (the carrier fee is waived for VIP members)" if waived else cost
    action = f"We will ask {order.carrier or 'the carrier'} to correct the address{cost}"
    check = f"{order.cite} is in transit with {order.carrier or 'the carrier'}."
    return [finding(fee or found, check, f"{action}{cite(fee or found)}.")]


_ITEM_ACTIONS = {
    "damaged": "send a replacement for the damaged item free of charge",
    "missing": "send the missing item free of charge",
    "wrong": "send the right item free of charge, with a prepaid label for the wrong one",
}


def damaged(case: Case, order: Order) -> list[Finding]:
    if "refund_request" in case.intents:
        return []  # the customer wants their money back: the refund rule answers
    text = case.ticket.text
    kind = "wrong" if re.search(r"\bwrong\b", text, re.I) else "damaged"
    kind = "missing" if re.search(r"missing|isn't in the box", text, re.I) else kind
    found = case.find(kind) or case.find("replace")
    if found is None:
        return [Finding(f"No retrieved policy covers {kind} items.", supervisor("a replacement"))]
    policy, sentence = found
    action = f"We will {_ITEM_ACTIONS[kind]}"
    method = "express" if "express" in sentence else "standard"
    if method == "express":
        action += " by express shipping" + _arrival(case)
    threshold = re.search(r"under \$(\d+)", policy.body)
    prices = [price for _name, _qty, price in order.items if price is not None]
    if kind == "damaged" and threshold and prices:
        keep = max(prices) < float(threshold.group(1))
        action += (
            ", and there is no need to send the broken one back"
            if keep
            else ", with a prepaid label for sending the broken one back"
        )
    check = f"{order.cite}: a {kind} item is covered."
    offer = Offer(reship=Reship(order.id, method, 0.0))  # sent free of charge
    return [Finding(check, f"{action} {policy.cite}.", policy, sentence, offer)]


def _arrival(case: Case) -> str:
    """ ", arriving by <date>" when the policy's express time is known."""
    transit = business_days_range(case, "express")
    if transit is None:
        return ""
    arrival = business_days_after(case.received, transit + 1)  # dispatch takes a business day
    before = ""
    if case.deadline is not None and arrival <= case.deadline:
        before = f", before {case.deadline.isoformat()}"
    return f", arriving by {arrival.isoformat()}{before}"


_METHODS = ("overnight", "express", "standard")


def new_order(case: Case) -> list[Finding]:
    """No order yet ("if I order today..."): when would it arrive, against the deadline?"""
    if case.deadline is None:
        return []
    text = case.ticket.text.lower()
    method = next((m for m in _METHODS if m in text), "standard")
    transit = 1 if method == "overnight" else business_days_range(case, method)
    found = case.find(method, "business day")
    if transit is None or found is None:
        return []
    arrival = business_days_after(case.received, transit + 1)  # dispatch takes a business day
    gap = (case.deadline - arrival).days
    verdict = f"{days(gap)} before the deadline" if gap >= 0 else "too late for the deadline"
    check = f"Ordered today with {method} shipping: arrives by {arrival.isoformat()}, {verdict}."
    action = f"Ordered today with {method} shipping, it would arrive by {arrival.isoformat()}"
    action += f", {verdict}{cite(found)}."
    return [finding(found, check, action)]


def escalation(case: Case) -> list[Finding]:
    found = case.find("escalate") or case.find("supervisor")
    action = "We will escalate the case to a supervisor, who follows up within one business day"
    check = "The customer asks for a manager or has written before: escalation applies."
    escalated = finding(found, check, f"{action}{cite(found)}.", Offer(escalate=True))
    return [escalated, *filter(None, [goodwill(case)])]
