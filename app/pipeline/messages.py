"""The chat messages each step sends: the step's system prompt, the ticket, a CONTEXT block.

The ticket is always quoted as data under a fixed header; instructions come only from the system
prompt. The CONTEXT block is JSON so every model (and the simulator) reads facts the same way.
"""

from __future__ import annotations

from typing import Any

import orjson

from app.pipeline.budget import Budget, fit_ticket
from app.pipeline.steps import StepSpec
from app.store.models import Ticket


def ticket_header(ticket: Ticket) -> str:
    return f"TICKET {ticket.id} received {ticket.received_at}\nSubject: {ticket.subject}"


def build_messages(
    spec: StepSpec,
    ticket: Ticket,
    context: dict[str, Any],
    *,
    model: str = "",
    max_tokens: int = 0,
) -> tuple[list[dict[str, str]], Budget]:
    """The step's messages, the ticket cut to fit the model's window (``budget.fit_ticket``)."""
    system = spec.system_prompt()
    wanted = {key: context.get(key) for key in spec.context_keys}
    block = ""
    if wanted:
        # orjson: json.dumps with an indent falls back to its slow pure-Python encoder.
        text = orjson.dumps(wanted, option=orjson.OPT_INDENT_2, default=str).decode()
        block = f"CONTEXT:\n```json\n{text}\n```"
    header = ticket_header(ticket)
    paragraphs = [p for p in ticket.body.split("\n\n") if p.strip()] or [ticket.body]
    kept, budget = fit_ticket([system, header, block], paragraphs, model, max_tokens)
    user = header + "\n\n" + "\n\n".join(kept) + (f"\n\n{block}" if block else "")
    return [{"role": "system", "content": system}, {"role": "user", "content": user}], budget


def parse_json_output(text: str) -> dict[str, Any]:
    """A JSON object from a model's answer, tolerating a ```json fence around it."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[-1].rsplit("```", 1)[0]
    start, end = stripped.find("{"), stripped.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the answer")
    parsed = orjson.loads(stripped[start : end + 1])
    if not isinstance(parsed, dict):
        raise ValueError("the answer is not a JSON object")
    return parsed
