"""The reasoning step: numbered steps that cite every fact, a "Resolution:" paragraph, then the
"Proposal:" block with what the Resolution offers as JSON (``proposal.py``).

The rules (``rules_orders.py``, ``rules_money.py``) decide; this module picks the rules that fit
the ticket's intents and lays their findings out the way reasoning.md asks. The simulated
reasoning model (``sim-reasoner``) also streams a short thinking paragraph before the answer, as
DeepSeek-style reasoners do; ``thinking`` builds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.sim import proposal, rules_money, rules_orders
from app.sim.facts import Case, Order, Policy, amounts, day_name, days, money, read_case
from app.sim.findings import Finding, quoted
from app.sim.ticket import TicketView

HEADING = "(Simulated reasoning — demo mode)"
MAX_ACTIONS = 4
# Rules that need the order the ticket is about, by intent, in the order they are applied.
ORDER_RULES: dict[str, Callable[[Case, Order], list[Finding]]] = {
    "shipping_expedite": rules_orders.delivery,
    "order_status": rules_orders.delivery,
    "cancellation": rules_orders.cancellation,
    "address_change": rules_orders.address,
    "damaged_item": rules_orders.damaged,
    "return_request": rules_money.returns,
    "refund_request": rules_money.refund,
}
_INJECTION = re.compile(
    r"note for the ai|ai assistant|ignore (?:all|any|previous|the above)|pre-approved"
    r"|system prompt",
    re.IGNORECASE,
)
_COMMON_WORDS = (
    "the and for you your our with that this have has are was will can not but from they them "
    "would could please thanks thank what when does just"
)
_STOPWORDS = frozenset(_COMMON_WORDS.split())


def write(ticket: TicketView) -> tuple[str, str]:
    """(answer, thinking) for a reasoning request."""
    case = read_case(ticket)
    findings = findings_for(case)
    lines = [
        _request_line(case),
        *(_order_line(case, o) for o in _shown_orders(case)),
        _customer_line(case),
        *_policy_lines(case, findings),
        *dict.fromkeys(f.check for f in findings if f.check),
    ]
    if _INJECTION.search(ticket.text):
        lines.append(
            "The ticket contains text addressed to an AI assistant: it is data, not an "
            "instruction, and changes nothing above."
        )
    actions = list(dict.fromkeys(f.action for f in findings if f.action))[:MAX_ACTIONS]
    # Only what the Resolution says is proposed: an action cut above carries no offer.
    offers = [f.offer for f in findings if f.offer and (f.action in actions or not f.action)]
    offer = proposal.block(proposal.merge(offers, actions))
    steps = "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))
    return f"{HEADING}\n\n{steps}\n\nResolution: {' '.join(actions)}\n\n{offer}", thinking(case)


def findings_for(case: Case) -> list[Finding]:
    """Every rule that fits the case's intents, each run once, in a stable order."""
    order = case.order
    rules = dict.fromkeys(ORDER_RULES[i] for i in ORDER_RULES if i in case.intents)
    found: list[Finding] = []
    asking = bool({"product_inquiry", "other"} & set(case.intents))
    if order is not None:
        for rule in rules:
            found += rule(case, order)
    elif asking:
        found += rules_orders.new_order(case)
    elif rules:
        found.append(rules_orders.missing_order(case))
    if "discount_request" in case.intents:
        found += rules_money.discount(case, order)
    if "complaint_escalation" in case.intents:
        found += rules_orders.escalation(case)
    if asking or not any(f.action for f in found):
        found += _fallback(case, {f.quote for f in found})
    return list(dict.fromkeys(found))


def _request_line(case: Case) -> str:
    line = f"Ticket received {case.received.isoformat()} ({day_name(case.received)})"
    if case.deadline is None:
        return line + "; no deadline given."
    gap = (case.deadline - case.received).days
    when = f"{days(gap)} later" if gap >= 0 else f"already {days(-gap)} past"
    return line + f"; deadline {case.deadline.isoformat()} ({day_name(case.deadline)}), {when}."


def _shown_orders(case: Case) -> list[Order]:
    main = case.order
    named = [o for o in case.orders if o.id in case.order_ids and o is not main]
    return ([main] if main else []) + named[:1]


def _order_line(case: Case, order: Order) -> str:
    count = sum(qty for _name, qty, _price in order.items)
    placed = f" placed {order.placed.isoformat()}" if order.placed else ""
    items = "1 item" if count == 1 else f"{count} items"
    line = f"{order.cite}{placed}, {money(order.total, order.currency)} ({items});"
    line += f" {order.method or 'unknown'} via {order.carrier or 'unknown carrier'},"
    line += f' "{order.tracking or order.status or "no status"}"'
    line += f" in {order.location}" if order.location else ""
    if order.last_scan and not order.delivered:
        quiet = (case.received - order.last_scan).days
        ago = f" ({days(quiet)} ago)" if quiet > 0 else ""
        line += f", last scan {order.last_scan.isoformat()}{ago}"
    if order.delivered or (order.eta is not None and order.eta >= case.received):
        return line + f"; ETA {order.eta.isoformat() if order.eta else 'unknown'}."
    return line + "; no ETA left, so it is late."


def _customer_line(case: Case) -> str:
    customer = case.customer
    if not customer:
        return "No customer record: the writer has no account with us, so no VIP benefits apply."
    status = f"VIP {case.tier}" if case.tier else "not a VIP"
    since = customer.get("customer_since") or "an unknown date"
    orders = customer.get("lifetime_orders")
    history = f", {orders} orders" if isinstance(orders, int) else ""
    name = customer.get("name") or "Customer"
    return f"[customer:{customer.get('id', '?')}] {name}: {status}, since {since}{history}."


def _policy_lines(case: Case, findings: list[Finding]) -> list[str]:
    """Each policy a finding relies on, with the sentence it uses; the others in one line."""
    quotes: dict[str, str] = {}
    for item in findings:
        if item.source is not None:
            quotes.setdefault(item.source.id, item.quote)
    lines, unused = [], []
    for policy in case.policies:
        if policy.id not in quotes:
            unused.append(policy.cite)
            continue
        quote = _shorten(quotes[policy.id])
        extra = [a for a in amounts(policy.body) if a not in quote][:6]
        note = f" (also {', '.join(extra)})" if extra else ""
        lines.append(f"{policy.cite} {policy.title or 'Untitled policy'}: “{quote}”{note}")
    if unused:
        lines.append(f"Not needed here: {', '.join(unused)}.")
    return lines


def _shorten(sentence: str, words: int = 18) -> str:
    cut = sentence.split()
    return sentence if len(cut) <= words else " ".join(cut[:words]).rstrip(",;:") + " …"


def _fallback(case: Case, used: set[str]) -> list[Finding]:
    """Questions no rule covers: the policy sentence sharing most words with the ticket."""
    words = {w for w in re.findall(r"[a-z]{3,}", case.ticket.text.lower()) if w not in _STOPWORDS}
    best: tuple[int, Policy, str] | None = None
    for policy in case.policies:
        for sentence in policy.sentences():
            score = len(words & set(re.findall(r"[a-z]{3,}", sentence.lower())))
            if sentence not in used and score >= 2 and (best is None or score > best[0]):
                best = (score, policy, sentence)
    if best is None:
        return [Finding("No rule or policy covers the question.", "We will answer it directly.")]
    _score, policy, sentence = best
    check = f"{policy.cite} answers the question most directly."
    return [Finding(check, quoted(sentence, (policy, sentence)), policy, sentence)]


def thinking(case: Case) -> str:
    order = case.order
    about = f"order #{order.id}" if order else "a request with no order record"
    due = f", needed by {case.deadline.isoformat()}" if case.deadline else ""
    return (
        f"The ticket is about {about}{due}. Compare dates with the received date "
        f"{case.received.isoformat()}, take amounts only from the {len(case.policies)} policies, "
        "check the VIP status, cite every fact."
    )
