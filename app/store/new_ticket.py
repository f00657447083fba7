"""A ticket the agent pastes in by hand (issue "Inbox": "New ticket"): checks and clean-up.

Pure functions, no SQL. The dialog shows every problem under its own field before anything is
stored, and ``Store.add_ticket`` runs the same checks again, so no caller can store a bad ticket.
Whether the customer exists is the one check that needs the database; the store makes it.

Order numbers have no column of their own: the pipeline finds orders in the ticket's text, so an
order number the agent gives that the message does not already mention is added to the body on a
last line of its own, marked as the agent's note. An order the store does not know is kept too
(the customer may have mistyped it, and the retrieval step reports it as not found).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .rows import normalize_order_id

MAX_BODY_CHARS = 100_000  # a long e-mail thread is ~20,000; more is a paste gone wrong
MAX_SUBJECT_CHARS = 200
SUBJECT_FROM_BODY_CHARS = 80
MAX_CUSTOMER_ID_CHARS = 64
MAX_ORDER_IDS = 20
CHANNELS = ("email", "chat", "web")

# The field each problem belongs to, as the dialog names its inputs.
SUBJECT, BODY, CUSTOMER, ORDERS, CHANNEL = "subject", "body", "customer_id", "order_ids", "channel"

# The order-number pattern of the intent step's schema (resources/schemas/intent.json).
_ORDER_ID = re.compile(r"[0-9A-Za-z-]{1,32}")
_ORDER_SEPARATORS = re.compile(r"[\s,;]+")
# Characters that are not text: C0/C1 controls other than tab and newline, lone UTF-16
# surrogates (a broken paste; SQLite cannot store them as UTF-8) and the non-characters U+FFFE/F.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class NewTicket:
    """A checked ticket, ready to store."""

    subject: str
    body: str  # with the agent's order-number note appended when there is one
    customer_id: str | None
    order_ids: tuple[str, ...]
    channel: str


@dataclass(frozen=True)
class Checked:
    ticket: NewTicket | None  # None when there are problems
    problems: dict[str, str] = field(default_factory=dict)  # field → what is wrong, in words


def check(
    subject: str, body: str, customer_id: str = "", order_ids: str = "", channel: str = "email"
) -> Checked:
    """Check the typed fields; ``order_ids`` is free text ("4521, #4522")."""
    problems: dict[str, str] = {}
    clean_body = normalize_newlines(body).strip()
    _note(problems, BODY, body_problem(clean_body))
    clean_subject = " ".join(subject.split())
    _note(problems, SUBJECT, subject_problem(clean_subject))
    clean_customer = customer_id.strip()
    _note(problems, CUSTOMER, customer_problem(clean_customer))
    orders = split_order_ids(order_ids)
    _note(problems, ORDERS, orders_problem(orders))
    if channel not in CHANNELS:
        problems[CHANNEL] = f"The channel must be one of {', '.join(CHANNELS)}."
    if problems:
        return Checked(None, problems)
    ticket = NewTicket(
        subject=clean_subject or subject_from_body(clean_body),
        body=with_order_note(clean_body, orders),
        customer_id=clean_customer or None,
        order_ids=tuple(orders),
        channel=channel,
    )
    return Checked(ticket)


def _note(problems: dict[str, str], name: str, problem: str | None) -> None:
    if problem is not None:
        problems[name] = problem


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def body_problem(body: str) -> str | None:
    if not body:
        return "Paste or type the customer's message: it is empty."
    if len(body) > MAX_BODY_CHARS:
        return (
            f"The message is {len(body):,} characters long; the limit is {MAX_BODY_CHARS:,}. "
            "Paste only the customer's own message, without quoted history or attachments."
        )
    return character_problem(body, "The message")


def subject_problem(subject: str) -> str | None:
    if len(subject) > MAX_SUBJECT_CHARS:
        return (
            f"The subject is {len(subject):,} characters long; keep it under "
            f"{MAX_SUBJECT_CHARS} (or leave it empty to use the message's first line)."
        )
    return character_problem(subject, "The subject")


def customer_problem(customer_id: str) -> str | None:
    if len(customer_id) > MAX_CUSTOMER_ID_CHARS or any(c.isspace() for c in customer_id):
        return "A customer id is one word, such as C-1001. Leave it empty if you do not know it."
    return character_problem(customer_id, "The customer id")


def character_problem(text: str, what: str) -> str | None:
    """Names the first character that is not text, with its line; None when all is text."""
    found = _NOT_TEXT.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    code = f"U+{ord(found.group()):04X}"
    return (
        f"{what} contains a character that is not text ({code}, line {line}), probably from "
        "a broken copy. Remove it, or paste the text again from its source."
    )


def split_order_ids(text: str) -> list[str]:
    """ "4521, #4522 4523" → ["4521", "4522", "4523"], each once, in the order given."""
    found: list[str] = []
    for part in _ORDER_SEPARATORS.split(text):
        order_id = normalize_order_id(part)
        if order_id and order_id not in found:
            found.append(order_id)
    return found


def orders_problem(order_ids: list[str]) -> str | None:
    if len(order_ids) > MAX_ORDER_IDS:
        return f"At most {MAX_ORDER_IDS} order numbers per ticket."
    bad = [order_id for order_id in order_ids if not _ORDER_ID.fullmatch(order_id)]
    if bad:
        return (
            f"“{bad[0][:40]}” is not an order number: use letters, digits and '-', and separate "
            "numbers with commas or spaces."
        )
    return None


def subject_from_body(body: str) -> str:
    """The first non-empty line, on one line, cut at SUBJECT_FROM_BODY_CHARS with "…"."""
    first = next((line for line in body.split("\n") if line.strip()), "")
    flat = " ".join(first.split())
    if len(flat) <= SUBJECT_FROM_BODY_CHARS:
        return flat
    return flat[: SUBJECT_FROM_BODY_CHARS - 1].rstrip() + "…"


def with_order_note(body: str, order_ids: list[str]) -> str:
    """The body, plus a last line naming the given orders the body does not mention."""
    missing = [order_id for order_id in order_ids if not _mentions(body, order_id)]
    if not missing:
        return body
    listed = ", ".join(f"#{order_id}" for order_id in missing)
    return f"{body}\n\n[Order numbers added by the agent: {listed}]"


def _mentions(body: str, order_id: str) -> bool:
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(order_id)}(?![0-9A-Za-z])", body) is not None
