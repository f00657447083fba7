"""The reply writer: a warm, plain-text reply built from the reasoning step's "Resolution:".

English replies reuse the resolution's own sentences in customer terms (no citations, "you"
instead of "the customer", dates spelled out). Chinese and Spanish replies map each resolution
sentence onto a fixed phrase in that language (``reply_i18n.py``). Every draft ends with a label so
nobody mistakes it for a real model's work.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.sim.dates import ENGLISH_MONTHS
from app.sim.instruction import formal, read_instruction, shorter
from app.sim.intent import analyse, language_of
from app.sim.proposal import without_block
from app.sim.reply_i18n import localized_body
from app.sim.ticket import TicketView, as_dict, parse_date

LABEL = "[Simulated draft — demo mode]"
_CITATION = re.compile(r"\s*\[[a-z]+:[^\]\s]+\]")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Agent-facing phrasing → what the customer should read.
_CUSTOMER_TERMS = (
    (re.compile(r"\bthe customer's\b"), "your"),
    (re.compile(r"\bThe customer's\b"), "Your"),
    (re.compile(r"\bthe customer\b"), "you"),
    (re.compile(r"\bThe customer\b"), "You"),
    (
        re.compile(r"A supervisor must approve (.+?) before we promise it\."),
        r"I have asked a supervisor to approve \1 and will get back to you within one "
        "business day.",
    ),
    (
        re.compile(r"it is over the agent limit, so a supervisor approves it first"),
        "a supervisor signs it off first",
    ),
)


def write(ticket: TicketView) -> str:
    context = ticket.context
    customer = as_dict(context.get("customer"))
    resolution = resolution_of(str(context.get("resolution") or ""))
    agent = str(context.get("agent_name") or "").strip() or "Customer Support"
    asked = read_instruction(str(context.get("instruction") or ""))
    language = str(context.get("language") or customer.get("language") or "")
    language = (asked.language or language or language_of(ticket.text)).lower()[:2]
    name = _greeting_name(ticket, str(customer.get("name") or ""), language)
    localized = localized_body(language, name, resolution, analyse(ticket), agent)
    body = localized if localized is not None else _english(ticket, name, resolution, agent)
    body = formal(body) if asked.formal else body
    body = shorter(body) if asked.shorter else body
    signature = str(context.get("signature") or "").strip()
    if signature:  # the agent's own sign-off replaces the last paragraph's
        body = body.rsplit("\n\n", 1)[0] + "\n\n" + signature
    return f"{body}\n\n{LABEL}"


def resolution_of(text: str) -> str:
    """The paragraph after the last "Resolution:", or the last paragraph when there is none; the
    Proposal block after it is for the application, never for the customer."""
    text = without_block(text)
    marker = list(re.finditer(r"resolution\s*:", text, re.IGNORECASE))
    tail = text[marker[-1].end() :] if marker else text.strip().split("\n\n")[-1]
    return " ".join(tail.split())


def customer_terms(text: str) -> str:
    text = _CITATION.sub("", text)
    for pattern, replacement in _CUSTOMER_TERMS:
        text = pattern.sub(replacement, text)
    return _ISO.sub(lambda m: friendly_date(parse_date(m.group(0))) or m.group(0), text)


def friendly_date(when: date | None) -> str | None:
    if when is None:
        return None
    weekday = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return f"{weekday[when.weekday()]}, {ENGLISH_MONTHS[when.month - 1].capitalize()} {when.day}"


def _greeting_name(ticket: TicketView, full_name: str, language: str) -> str:
    signature = _signature(ticket.body)
    if language in ("zh", "ja", "ko") and signature and re.search(r"[\u4e00-\u9fff]", signature):
        return signature  # "李伟": the name as the customer writes it
    if full_name:
        return full_name.split()[0]
    return signature.split()[0] if signature else ""


def _signature(body: str) -> str:
    """The customer's sign-off name: a short last line such as "Emily Carter" or "- Hannah"."""
    lines = [line.strip(" -—–") for line in body.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return last if 0 < len(last) <= 30 and not re.search(r"[.!?:,@]|\d", last) else ""


def _english(ticket: TicketView, name: str, resolution: str, agent: str) -> str:
    intent = analyse(ticket)
    ids = [f"#{i}" for i in intent["order_ids"][:3]]
    subject = "your order"
    if ids:
        subject = (
            f"order {ids[0]}" if len(ids) == 1 else f"orders {', '.join(ids[:-1])} and {ids[-1]}"
        )
    opening = _opening(intent, subject)
    plan = (
        customer_terms(resolution)
        or _status_from_facts(ticket.context)  # the router skipped reasoning: facts only
        or "I have looked into your request and will follow up."
    )
    closing = (
        "I'll keep an eye on it and let you know as soon as anything changes."
        if ids and {"shipping_expedite", "order_status"} & set(intent["intents"])
        else "If you have any other questions, just reply to this email."
    )
    greeting = f"Hi {name}," if name else "Hello,"
    return f"{greeting}\n\n{opening}\n\n{plan}\n\n{closing}\n\nBest regards,\n{agent}"


def _status_from_facts(context: dict[str, Any]) -> str:
    """Where each order is, from the retrieved records alone (no resolution to build on)."""
    sentences = []
    for order in context.get("orders") or []:
        if not isinstance(order, dict):
            continue
        where = order.get("tracking_location")
        eta = friendly_date(parse_date(order.get("eta")))
        sentence = f"Order #{order.get('id')} is on its way with {order.get('carrier')}"
        sentence += f"; it was last scanned in {where}" if where else ""
        sentence += f", and it is expected on {eta}." if eta else "."
        sentences.append(sentence)
    return " ".join(sentences)


def _opening(intent: dict[str, Any], subject: str) -> str:
    """The first line after the greeting: acknowledge what the customer is dealing with."""
    intents, named = set(intent["intents"]), bool(intent["order_ids"])
    deadline = friendly_date(parse_date(intent.get("deadline")))
    if intent.get("sentiment") == "angry":
        return (
            f"I'm sorry you have had to write to us again about {subject}; you deserve a clear "
            "answer, and here it is."
        )
    if "damaged_item" in intents:
        return f"I'm so sorry that {subject} arrived with a problem, and thank you for telling us."
    if named and intents & {"shipping_expedite", "order_status"}:
        opening = f"Thank you for writing, and I'm sorry {subject} hasn't reached you yet."
        return opening + (f" I know it needs to be with you by {deadline}." if deadline else "")
    if "product_inquiry" in intents:
        return "Thank you for your question; I'm happy to help."
    if named:
        return f"Thank you for getting in touch about {subject}."
    return "Thank you for getting in touch with us."
