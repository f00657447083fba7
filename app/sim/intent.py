"""The intent step, by keyword rules over the ticket text (the retrieval plan: ``planner``).

The rules cover English, Spanish and Chinese phrasings of the demo tickets' requests. Output
follows resources/prompts/intent.md exactly, plus ``"simulated": true``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from app.sim.dates import FoundDate, find_dates
from app.sim.ticket import TicketView

# Label → what a customer writes when they mean it. Order matters only for display.
INTENT_RULES = {
    "order_status": r"where(?:'s| is)|status|track\w*|stuck|hasn't moved|not arrived|hasn't arrived"
    r"|did not arrive|didn't arrive|not updating|no shipping email|when will|still waiting|delay"
    r"|在哪|物流|没到|还没收到|不更新|没有任何更新|dónde está|seguimiento|no ha llegado",
    "shipping_expedite": r"expedit\w*|faster|rush\w*|speed (?:it )?up|hurry|upgrade|overnight"
    r"|in time|加急|尽快送|más rápido|urgente",
    "refund_request": r"refund\w*|money back|reimburs\w*|charged twice|duplicate charge"
    r"|退款|reembolso",
    "return_request": r"\breturn\w*|send (?:it|them) back|exchange|退货|寄回|devolver|devolución",
    "discount_request": r"discount\w*|coupon\w*|promo code|voucher|\bvip\b|code didn't apply"
    r"|price adjustment|cheaper|折扣|优惠|descuento|cupón",
    "product_inquiry": r"quick question|before i buy|does it come with|will (?:it|your) .{0,40}work"
    r"|in stock|compatible|gift wrap",
    "cancellation": r"cancel\w*|取消|cancelar",
    "address_change": r"address|redirect|send it to my \w+ instead|地址|dirección",
    "damaged_item": r"damaged|broken|shattered|cracked|defective|stopped working|not working|died"
    r"|missing|isn't in the box|wrong \w+ (?:received|sent|arrived)|碎|裂|损坏|坏了|roto|dañado",
    "complaint_escalation": r"manager|supervisor|unacceptable|escalat\w*|disput\w*|third time"
    r"|leaving a review|经理|投诉|gerente|queja",
    "account_issue": r"password|log ?in|sign ?in|locked out|account (?:is )?(?:locked|hacked)",
}
_INTENT_RES = {label: re.compile(p, re.IGNORECASE) for label, p in INTENT_RULES.items()}
# "no rush" is not a request to rush: drop such phrases before the rules run.
_NEGATED = re.compile(
    r"\b(?:no|not|without) (?:rush|hurry|panic|urgent|urgency)\w*"
    r"|不(?:需要|想要|要)[\u4e00-\u9fff]{1,3}",
    re.IGNORECASE,
)
_ORDER_ID = re.compile(
    r"#\s?(\d{3,})|\border\s+(?:no\.?\s*|number\s*)?(\d{3,})\b|订单\s*#?(\d{3,})|pedido\s*#?(\d{3,})"
    r"|(?<![\d$.,:/-])\b(\d{4,})\b(?![.,:/-]\d)",
    re.IGNORECASE,
)
_EXPLICIT_GROUPS = 4  # the first four groups above are ids the customer marked as orders
_ANGRY = re.compile(
    r"unacceptable|furious|outrageous|worst|scam|lawyer|disput\w*|third time|never again|manager"
    r"|\bbank\b|\?\?",
    re.IGNORECASE,
)
_FRUSTRATED = re.compile(
    r"ridiculous|frustrat\w*|disappoint\w*|annoy\w*|hasn't moved|stuck|nobody|upset|done with"
    r"|rather not|还没|一直|不更新",
    re.IGNORECASE,
)
_POSITIVE = re.compile(r"thank|lovely|great|love|appreciate|谢谢|gracias", re.IGNORECASE)
_SPANISH = re.compile(
    r"\b(?:hola|gracias|pedido|por favor|quiero|necesito|pueden|dirección|envío|paquete|muchas"
    r"|antes|cuenta|mi|el|la|los|las|que|para|pero|de|del|una?)\b",
    re.IGNORECASE,
)
_ACTIONS = {
    "shipping_expedite": "expedite the delivery{by}",
    "order_status": "say where order {order} is",
    "refund_request": "refund order {order}",
    "return_request": "arrange a return or exchange",
    "discount_request": "apply the {discount}",
    "cancellation": "cancel order {order}",
    "address_change": "change the delivery address",
    "damaged_item": "replace the damaged, missing or wrong item",
    "complaint_escalation": "escalate to a manager",
    "product_inquiry": "answer the product question",
    "account_issue": "help with the account",
    "other": "answer the customer's question",
}


def intents_in(text: str) -> list[str]:
    cleaned = _NEGATED.sub(" ", text)
    found = [label for label, rule in _INTENT_RES.items() if rule.search(cleaned)]
    return found or ["other"]


def order_ids_in(text: str) -> list[str]:
    explicit: list[str] = []
    bare: list[str] = []
    for match in _ORDER_ID.finditer(text):
        groups = match.groups()
        explicit.extend(g for g in groups[:_EXPLICIT_GROUPS] if g)
        bare.extend(g for g in groups[_EXPLICIT_GROUPS:] if g)
    # A bare number counts only when the customer marked none as an order (house numbers and
    # postcodes are bare numbers too), and a bare 19xx/20xx is a year.
    ids = explicit or [i for i in bare if not (len(i) == 4 and 1900 <= int(i) <= 2099)]
    # "Digits only", as the prompt asks: a full-width "４５２１" (an East Asian keyboard) or
    # Arabic-Indic "٤٥٢١" is written 4521; the schema refuses anything but ASCII.
    return list(dict.fromkeys(map(_ascii_digits, ids)))


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def sentiment_of(text: str) -> str:
    shouted = len(re.findall(r"\b[A-Z]{4,}\b", text))  # "THIRD", "TODAY"
    angry = len(_ANGRY.findall(text)) + (1 if shouted >= 2 else 0)
    if angry >= 2:
        return "angry"
    if angry or _FRUSTRATED.search(text):
        return "frustrated"
    return "positive" if _POSITIVE.search(text) else "neutral"


def language_of(text: str) -> str:
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if re.search(r"[\uac00-\ud7af]", text):
        return "ko"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    words = re.findall(r"\w+", text)
    return "es" if words and len(_SPANISH.findall(text)) >= max(4, len(words) // 8) else "en"


def urgency_of(deadline: date | None, received: date, sentiment: str, text: str) -> str:
    if sentiment == "angry" or (deadline is not None and (deadline - received).days <= 7):
        return "high"
    if re.search(r"not urgent|no (?:rush|hurry|panic)", text, re.IGNORECASE):
        return "low"
    return "normal"


def analyse(ticket: TicketView) -> dict[str, Any]:
    """The intent JSON for a ticket, keys in the order intent.md lists them."""
    text = ticket.text
    received = ticket.received or date.today()  # the pipeline always sends a received date
    intents = intents_in(text)
    order_ids = order_ids_in(text)
    dates = find_dates(text, received)
    deadlines = [d.iso for d in dates if d.role == "deadline"]
    # The earliest date the customer needs something by is the one that constrains us.
    deadline = min(deadlines, default=None)
    sentiment = sentiment_of(text)
    return {
        "intents": intents,
        "order_ids": order_ids,
        "dates": [_date_json(d) for d in dates],
        "deadline": deadline.isoformat() if deadline else None,
        "requested_actions": _actions(intents, order_ids, deadline, text),
        "urgency": urgency_of(deadline, received, sentiment, text),
        "sentiment": sentiment,
        "language": language_of(text),
        "simulated": True,
    }


def _date_json(found: FoundDate) -> dict[str, str]:
    return {"text": found.text, "iso": found.iso.isoformat(), "role": found.role}


def _actions(
    intents: list[str], order_ids: list[str], deadline: date | None, text: str
) -> list[str]:
    order = ", ".join(order_ids) or "(number not given)"
    by = f" to arrive by {deadline.isoformat()}" if deadline else ""
    discount = (
        "VIP discount" if re.search(r"\bvip\b", text, re.I) else "discount or price adjustment"
    )
    return [_ACTIONS[i].format(order=order, by=by, discount=discount) for i in intents]
