"""The chat messages each step sends: the step's system prompt, the ticket, a CONTEXT block.

The ticket is always quoted as data under a fixed header; instructions come only from the system
prompt. The CONTEXT block is JSON so every model (and the simulator) reads facts the same way.
"""

from __future__ import annotations

import json
from typing import Any

from app.pipeline.steps import StepSpec
from app.store.models import Ticket


def ticket_text(ticket: Ticket) -> str:
    header = f"TICKET {ticket.id} received {ticket.received_at}\nSubject: {ticket.subject}"
    return f"{header}\n\n{ticket.body}"


def build_messages(spec: StepSpec, ticket: Ticket, context: dict[str, Any]) -> list[dict[str, str]]:
    user = ticket_text(ticket)
    wanted = {key: context.get(key) for key in spec.context_keys}
    if wanted:
        block = json.dumps(wanted, ensure_ascii=False, indent=1)
        user += f"\n\nCONTEXT:\n```json\n{block}\n```"
    return [
        {"role": "system", "content": spec.system_prompt()},
        {"role": "user", "content": user},
    ]


def parse_json_output(text: str) -> dict[str, Any]:
    """A JSON object from a model's answer, tolerating a ```json fence around it."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[-1].rsplit("```", 1)[0]
    start, end = stripped.find("{"), stripped.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the answer")
    parsed = json.loads(stripped[start : end + 1])
    if not isinstance(parsed, dict):
        raise ValueError("the answer is not a JSON object")
    return parsed
