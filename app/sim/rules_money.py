"""Reasoning rules about money: refunds, returns, VIP discounts, coupon codes, price drops.

Limits ("up to $200"), windows ("within 30 days of delivery") and rates ("gold 15%") come from
the retrieved policy text; the amounts come from the order record or the customer's own words.
A refund above the agent's limit is still proposed, with a supervisor's approval: the application
checks the limits, not the model.
"""

from __future__ import annotations

import re

from app.sim.facts import Case, Order, amounts, dollars, money
from app.sim.findings import (
    Finding,
    cite,
    finding,
    outside_window,
    quoted,
    refund_amount,
    supervisor,
    within,
)
from app.sim.proposal import Discount, Offer, Refund

_CODE = re.compile(r"\b[A-Z]{4,}\d{1,3}\b")  # WELCOME10, HOLIDAY20


def refund(case: Case, order: Order) -> list[Finding]:
    duplicate = case.find("duplicate")
    if duplicate and re.search(r"twice|duplicate", case.ticket.text, re.IGNORECASE):
        action = "We will pass the duplicate charge to the billing team, who reply within 2 "
        return [
            finding(
                duplicate,
                "Billing disputes go to the billing team.",
                f"{action}business days{cite(duplicate)}.",
            )
        ]
    if {"cancellation", "return_request"} & set(case.intents):
        return []  # the cancellation or return rule says how the money comes back
    limit = case.find("refund", "up to $")
    value = refund_amount(case, order)
    amount = money(value, order.currency)
    offer = None if value is None else Offer(refund=Refund(order.id, value))
    cap = dollars(limit[1]) if limit else None
    over = cap is not None and value is not None and value > cap
    check = f"Refund {amount} vs the agent limit {money(cap)}: " if cap is not None else ""
    check += ("needs a supervisor." if over else "within the limit.") if check else ""
    approval = ", once a supervisor approves it" if over else ""
    in_full = " in full" if value == order.total else ""
    if not order.delivered:
        action = f"If order #{order.id} cannot arrive in time, we will refund {amount}{in_full}"
        return [finding(limit, check, f"{action}{approval}{cite(limit)}.", offer)]
    late = outside_window(case, order, "refund", value)
    action = f"We will refund {amount} to the original payment method{approval}{cite(limit)}."
    return [late or finding(limit, check, action, offer)]


def returns(case: Case, order: Order) -> list[Finding]:
    if "damaged_item" in case.intents:
        return []  # the damage rule says whether the item comes back
    late = outside_window(case, order, "return", order.item_value)
    if late is not None:
        return [late]
    if re.search(r"exchange|instead", case.ticket.text, re.IGNORECASE):
        found = case.find("exchange")
        action = "We will exchange the item free of charge and email a prepaid return label"
        return [
            finding(found, f"{order.cite} is within the return window.", f"{action}{cite(found)}.")
        ]
    found = case.find("label", "deducted") or case.find("return", "label")
    fee = amounts(found[1]) if found and "deducted" in found[1] else []
    deducted = f" ({fee[0]} is deducted from the refund)" if fee else ""
    deduction = (dollars(fee[0]) if fee else None) or 0.0
    back = None if order.item_value is None else order.item_value - deduction
    refund = "the refund" if back is None else f"the refund of {money(back, order.currency)}"
    action = f"We will email a return label for order #{order.id}{deducted}; {refund} follows "
    action += f"once it reaches our warehouse{cite(found)}."
    offer = None if back is None else Offer(refund=Refund(order.id, back))
    return [finding(found, f"{order.cite} is within the return window.", action, offer)]


def discount(case: Case, order: Order | None) -> list[Finding]:
    text = case.ticket.text
    findings: list[Finding] = []
    code = _CODE.search(text)
    if code:
        findings.append(_coupon(case, code.group(0), order))
    elif order and re.search(r"price (?:adjust|drop)|cheaper", text, re.IGNORECASE):
        findings.append(_price_drop(case, order))
    if case.tier and re.search(r"\bvip\b", text, re.IGNORECASE):
        findings.append(_vip(case, order))
        stack = case.find("stack")
        if code and stack:
            findings.append(finding(stack, "", quoted(stack[1], stack)))
    if not findings:
        findings.append(
            Finding(
                "The customer is not a VIP and names no code.", supervisor("a goodwill discount")
            )
        )
    return findings


def _vip(case: Case, order: Order | None) -> Finding:
    rates = (re.search(rf"{case.tier}\s+(\d+%)", p.body) for p in case.policies)
    rate = next((m.group(1) for m in rates if m), None)
    found = case.find("discount", "code") or case.find("discount")
    if rate is None or found is None:
        return Finding("No retrieved policy sets the VIP rate.", supervisor("a VIP discount"))
    policy, sentence = found
    later = "retroactive" in sentence.lower() or "future order" in sentence.lower()
    action = f"The VIP {case.tier} discount of {rate} comes as a one-time code for a future order"
    target = f" to order #{order.id}" if order else " to an order already placed"
    action += f"; it cannot be applied{target} {policy.cite}." if later else f" {policy.cite}."
    check = f"VIP {case.tier} rate is {rate}" + (", for future orders only." if later else ".")
    on = None if later or order is None else order.id
    return Finding(check, action, policy, sentence, Offer(discount=Discount(float(rate[:-1]), on)))


def _coupon(case: Case, code: str, order: Order | None) -> Finding:
    found = case.find(code)
    if found is None:
        return Finding(f"No retrieved policy mentions {code}.", supervisor(f"the {code} code"))
    policy, sentence = found
    terms = re.search(rf"{code} (is|was) ([^;.]+)", sentence)
    if terms and terms.group(1) == "was":
        action = f"{code} has expired ({terms.group(2)}), so we cannot honour it {policy.cite}."
        return Finding(f"{code} is no longer valid.", action, policy, sentence)
    late = case.find("code", "days of purchase")
    in_time = within(order.placed if order else None, case, late[1]) if late else None
    if in_time is False:
        return finding(late, f"{code} came too late to apply.", supervisor(f"applying {code}"))
    rate = re.search(r"(\d+)% off", terms.group(2)) if terms else None
    back, offer = "", None
    if rate and order and order.total is not None:
        # A code applied after the purchase is money back on that order, not a VIP discount.
        value = round(order.total * int(rate.group(1)) / 100, 2)
        back, offer = (
            f": {money(value, order.currency)} back",
            Offer(refund=Refund(order.id, value)),
        )
    detail = f" ({terms.group(2)})" if terms else ""
    action = f"We will apply {code}{detail} to order #{order.id if order else '?'}{back}"
    return Finding(
        f"{code} is valid and still within the window.",
        f"{action} {policy.cite}.",
        policy,
        sentence,
        offer,
    )


def _price_drop(case: Case, order: Order) -> Finding:
    found = case.find("price", "days of purchase")
    if found is None:
        return Finding("No retrieved policy covers price drops.", supervisor("a price adjustment"))
    if not within(order.placed, case, found[1]):
        return finding(
            found,
            f"{order.cite} is outside the price-drop window.",
            supervisor("a price adjustment"),
        )
    paid = [float(a[1:].replace(",", "")) for a in amounts(case.ticket.text)[:2]]
    value = max(paid) - min(paid) if len(paid) == 2 else None
    gap = "" if value is None else f" of {money(value)}"
    return finding(
        found,
        f"{order.cite} was bought within the price-drop window.",
        f"We will refund the price difference{gap} on order #{order.id}{cite(found)}.",
        None if value is None else Offer(refund=Refund(order.id, value)),
    )
