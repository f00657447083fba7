"""Reading a chat request the way the pipeline writes it (``app/pipeline/messages.py``).

The user message is the ticket under a fixed header, then, for the steps that need one, a CONTEXT
block of JSON (the retrieval planner runs beside intent and gets none). A repair request
(``is_repair``) continues that conversation: the invalid answer, then a user turn starting with
``REPAIR:``; the ticket is still read from the first user message. Requests from other clients
look different, so every field here is optional and nothing in a request can make these functions
raise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# The first line of each step's system prompt (resources/prompts/*.md) names the step.
STEP_PROMPTS = {
    "You are the intent step": "intent",
    "You are the retrieval planner": "retrieval",
    "You are the reasoning step": "reasoning",
    "You are the reply writer": "reply",
}
_HEADER = re.compile(
    r"\ATICKET[ \t]+(\S+)[ \t]+received[ \t]+(\S+)[^\n]*(?:\n|\Z)(?:Subject:([^\n]*)(?:\n|\Z))?"
)
REPAIR_PREFIX = "REPAIR:"  # app/pipeline/call.py: the turn asking to correct an invalid answer
_MARKER, _CLOSING = "CONTEXT:", "\n```"
_OPENING = re.compile(r"CONTEXT:\s*```(?:json)?\s*\n")


@dataclass(frozen=True)
class TicketView:
    ticket_id: str | None = None
    received: date | None = None
    subject: str = ""
    body: str = ""
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Subject and body: what the customer wrote, for keyword and date rules."""
        return f"{self.subject}\n{self.body}".strip()


def flatten(content: Any) -> str:
    """A message's content as text: a string, or the text parts of an OpenAI content array."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, Mapping)]
        return "\n".join(p for p in parts if isinstance(p, str))
    return ""


def plain_messages(messages: Any) -> list[dict[str, str]]:
    """Messages reduced to role and text, the shape the token counter takes."""
    if not isinstance(messages, list):
        return []
    return [
        {"role": str(m.get("role", "")), "content": flatten(m.get("content"))}
        for m in messages
        if isinstance(m, Mapping)
    ]


def detect_step(messages: list[dict[str, str]]) -> str | None:
    for message in messages:
        if message["role"] in ("system", "developer"):
            first_line = message["content"].strip().split("\n", 1)[0]
            for prefix, step in STEP_PROMPTS.items():
                if first_line.startswith(prefix):
                    return step
            return None
    return None


def last_user_text(messages: list[dict[str, str]]) -> str:
    users = [m["content"] for m in messages if m["role"] == "user"]
    return users[-1] if users else ""


def is_repair(messages: list[dict[str, str]]) -> bool:
    """A request to correct an invalid answer: the step's system message, the user message, then
    one or more pairs of an assistant answer and a user turn starting with ``REPAIR:``."""
    roles = [m["role"] for m in messages]
    if len(roles) < 4 or len(roles) % 2 or roles[0] not in ("system", "developer"):
        return False
    expected = ["user", *["assistant", "user"] * ((len(roles) - 2) // 2)]
    turns = messages[3::2]
    return roles[1:] == expected and all(
        m["content"].lstrip().startswith(REPAIR_PREFIX) for m in turns
    )


def ticket_text(messages: list[dict[str, str]]) -> str:
    """The user message that carries the ticket: the first one of a repair, else the last."""
    return messages[1]["content"] if is_repair(messages) else last_user_text(messages)


def read_ticket(messages: list[dict[str, str]]) -> TicketView:
    text, block = split_context(ticket_text(messages).replace("\r\n", "\n").strip())
    context = _parse_context(block) if block is not None else {}
    header = _HEADER.match(text)
    if not header:
        return TicketView(body=text.strip(), context=context)
    return TicketView(
        ticket_id=header.group(1),
        received=parse_date(header.group(2)),
        subject=(header.group(3) or "").strip(),
        body=text[header.end() :].strip(),
        context=context,
    )


def split_context(text: str) -> tuple[str, str | None]:
    """``text`` without the CONTEXT block that ends it, and the block's JSON (None: no block).

    The pipeline always appends its block last, so the block is the *last* opening that runs to
    the closing fence at the very end: a ticket that itself says "CONTEXT:" (a prompt-injection
    attempt, tests/hostile) stays ticket text instead of hiding the real facts. Searching back
    from the end also keeps this linear: a regex searched from the start took seconds on a
    ticket flooded with openings, holding the GIL the app's window needs.
    """
    stripped = text.rstrip()
    if not stripped.endswith(_CLOSING):
        return text, None
    close = len(stripped) - len(_CLOSING)
    start = stripped.rfind(_MARKER, 0, close)
    while start >= 0:
        found = _OPENING.match(stripped, start, close + 1)
        if found:
            return stripped[:start].rstrip("\n"), stripped[found.end() : close]
        start = stripped.rfind(_MARKER, 0, start)
    return text, None


def _parse_context(raw: str) -> dict[str, Any]:
    try:
        parsed = json.loads(raw)
    except ValueError:
        # A hand-written or truncated block: try the outermost braces before giving up.
        start, end = raw.find("{"), raw.rfind("}")
        try:
            parsed = json.loads(raw[start : end + 1]) if 0 <= start < end else {}
        except ValueError:
            parsed = {}
    return parsed if isinstance(parsed, dict) else {}


def parse_date(value: Any) -> date | None:
    """A date from ``2026-12-08``, ``2026-12-08T09:14:00`` or similar; None for anything else.

    Years outside 1900-2999 count as garbage, which keeps all later date arithmetic in range.
    """
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip()).date()
    except ValueError:
        try:
            parsed = date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return parsed if 1900 <= parsed.year <= 2999 else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def as_strings(value: Any) -> list[str]:
    return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []
